/** Plain DTOs the console sees (shared/ipc/types.ts shapes), built from the business state. */
import type { MicStateView, RoomMember, RoomSummary } from '../../shared/ipc/types';
import type { MicQueue } from './mic/micQueue';
import type { RoomRecord } from './rooms/roomRegistry';

export function roomSummary(room: RoomRecord, mic: MicQueue | undefined): RoomSummary {
  return {
    roomId: room.roomId,
    name: room.name,
    userCount: room.members.size,
    capacity: room.capacity,
    hasPassword: room.passwordDigest !== null,
    seatCount: mic?.seatCount ?? room.seatCount,
    queueLength: mic?.queueLength ?? 0,
    createdAt: room.createdAt,
    isCallRoom: room.kind === 'call',
  };
}

export function micView(roomId: number, mic: MicQueue | undefined): MicStateView {
  return mic ? mic.snapshot() : { roomId, seats: [], queue: [] };
}

export function roomMembers(room: RoomRecord, nickNameOf: (userId: number) => string): RoomMember[] {
  return [...room.members.values()].map((m) => ({ userId: m.userId, nickName: nickNameOf(m.userId), role: m.role }));
}

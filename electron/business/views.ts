/**
 * The business layer's read models, built from its state: plain data the console passes on as its
 * views (shared/ipc/types.ts has the same shapes; the console's handlers are where they become IPC DTOs).
 */
import type { RoomRole } from '../../shared/protocol/messages';
import type { MicQueue } from './mic/micQueue';
import type { RoomRecord } from './rooms/roomRegistry';

export interface RoomSummary {
  roomId: number;
  name: string | null;
  userCount: number;
  capacity: number | null;
  hasPassword: boolean;
  seatCount: number;
  queueLength: number;
  createdAt: number;
  /** A room allocated for a 1:1 video call. */
  isCallRoom: boolean;
}

export interface MicSeatView {
  /** Seat number as the server counts it: 0-based. UIs show seat + 1. */
  seat: number;
  userId: number | null;
  locked: boolean;
  /** When the current occupant took the seat (epoch ms), or null. */
  since: number | null;
}

export interface MicStateView {
  roomId: number;
  seats: MicSeatView[];
  queue: number[];
}

export interface RoomMember {
  userId: number;
  nickName: string;
  role: RoomRole;
}

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

export interface BusinessEvents {
  /** A room appeared or changed; `removed: true` when it ended. */
  roomChanged: RoomSummary & { removed?: boolean };
  /** A room's membership or roles changed. */
  roomMembers: { roomId: number; users: RoomMember[] };
  micChanged: MicStateView;
}

export interface BusinessRoomDetail {
  room: RoomSummary;
  users: RoomMember[];
  mic: MicStateView;
}

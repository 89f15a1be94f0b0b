import type { StateCreator } from 'zustand';
import type { ConsoleEvents, RoomDetail, RoomMember, RoomSummary } from '../../shared/ipc/contract';
import { readTickets, type DetailRead } from './detailRead';
import type { ConsoleState } from './store';

export type RoomProducer = RoomDetail['producers'][number];

/**
 * Rooms normalised by id; members and producers are kept per room (members from `rooms:detail`
 * and `rooms:members`, producers from `rooms:detail` and the preview's `preview:producers`).
 * Maps are updated in place; `roomsVersion` bumps when the room set or a summary changes,
 * `membersVersion` when any member list changes. Each entry object is replaced when it changes.
 */
export interface RoomsSlice {
  rooms: Map<number, RoomSummary>;
  roomsVersion: number;
  /** Bumps only when a room appears or ends (pickers of rooms need no re-render when a count changes). */
  roomSetVersion: number;
  members: Map<number, RoomMember[]>;
  membersVersion: number;
  producers: Map<number, RoomProducer[]>;
  producersVersion: number;
  /** The open room's detail read (`rooms:detail`); its answer lands through roomDetailLoaded. */
  roomDetailRead: DetailRead<number> | null;
  roomsSnapshotLoaded(list: RoomSummary[]): void;
  roomsChanged(change: ConsoleEvents['rooms:changed']): void;
  roomsMembers(change: ConsoleEvents['rooms:members']): void;
  roomDetailLoaded(detail: RoomDetail): void;
  roomProducersChanged(roomId: number, producers: RoomProducer[]): void;
  fetchRoomDetail(roomId: number): Promise<void>;
}

export const createRoomsSlice: StateCreator<ConsoleState, [], [], RoomsSlice> = (set, get) => {
  // Per store (tests build several).
  const roomDetailTickets = readTickets();
  return {
    rooms: new Map(),
    roomsVersion: 0,
    roomSetVersion: 0,
    members: new Map(),
    membersVersion: 0,
    producers: new Map(),
    producersVersion: 0,
    roomDetailRead: null,
    roomsSnapshotLoaded: (list) =>
      set((s) => ({ rooms: new Map(list.map((r) => [r.roomId, r])), roomsVersion: s.roomsVersion + 1, roomSetVersion: s.roomSetVersion + 1 })),
    roomsChanged: (change) =>
      set((s) => {
        const { removed, ...room } = change;
        const setChanged = removed ? s.rooms.has(room.roomId) : !s.rooms.has(room.roomId);
        if (removed) {
          s.rooms.delete(room.roomId);
          s.members.delete(room.roomId);
          s.producers.delete(room.roomId);
          s.mics.delete(room.roomId);
        } else {
          s.rooms.set(room.roomId, room);
        }
        return {
          roomsVersion: s.roomsVersion + 1,
          ...(setChanged ? { roomSetVersion: s.roomSetVersion + 1 } : {}),
          ...(removed ? { membersVersion: s.membersVersion + 1, micsVersion: s.micsVersion + 1 } : {}),
        };
      }),
    roomsMembers: ({ roomId, users }) =>
      set((s) => {
        s.members.set(roomId, users);
        return { membersVersion: s.membersVersion + 1 };
      }),
    roomDetailLoaded: (detail) =>
      set((s) => {
        const id = detail.room.roomId;
        const added = !s.rooms.has(id);
        s.rooms.set(id, detail.room);
        s.members.set(id, detail.users);
        s.producers.set(id, detail.producers);
        s.mics.set(id, detail.mic);
        for (const r of detail.recordings) if (r.state === 'recording') s.activeRecordings.set(r.recordingId, r);
        return {
          activeRecordingsVersion: s.activeRecordingsVersion + 1,
          roomsVersion: s.roomsVersion + 1,
          ...(added ? { roomSetVersion: s.roomSetVersion + 1 } : {}),
          membersVersion: s.membersVersion + 1,
          producersVersion: s.producersVersion + 1,
          micsVersion: s.micsVersion + 1,
        };
      }),
    roomProducersChanged: (roomId, producers) =>
      set((s) => {
        s.producers.set(roomId, producers);
        return { producersVersion: s.producersVersion + 1 };
      }),
    fetchRoomDetail: async (roomId) => {
      const client = get().client;
      if (!client) return;
      const ticket = roomDetailTickets.take();
      set({ roomDetailRead: { key: roomId, loading: true, error: null } });
      const r = await client.call('rooms:detail', { roomId });
      if (!roomDetailTickets.isLatest(ticket)) return;
      if (r.ok) get().roomDetailLoaded(r.value);
      set({ roomDetailRead: { key: roomId, loading: false, error: r.ok ? null : r.error } });
    },
  };
};

export function filterRooms(rooms: Map<number, RoomSummary>, text: string): RoomSummary[] {
  const q = text.trim().toLowerCase();
  const out: RoomSummary[] = [];
  for (const r of rooms.values()) {
    if (q && !`${r.roomId} ${r.name ?? ''}`.toLowerCase().includes(q)) continue;
    out.push(r);
  }
  return out.sort((a, b) => b.userCount - a.userCount || a.roomId - b.roomId);
}

/**
 * Rooms, their names and members: the SDK's live room state behind an interface, so a shared
 * (e.g. Redis-backed) table can stand behind it in a cluster. The in-process table is the
 * default; the composition root chooses. A room exists while it has members.
 */
import type { RoomRole } from './types';

export interface RoomEntry {
  readonly roomId: number;
  readonly roomName: string;
  /** userId → role, in entry order */
  readonly members: ReadonlyMap<number, RoomRole>;
}

export interface RoomTable {
  get(roomId: number): RoomEntry | undefined;
  has(roomId: number): boolean;
  /** The room currently holding this name. */
  idOfName(roomName: string): number | undefined;
  /** A room id no room uses (calls, rooms entered by name). */
  allocateRoomId(): number;
  /** Adds (or re-roles) a member, creating the room on first use. */
  join(roomId: number, roomName: string, userId: number, role: RoomRole): RoomEntry;
  /** False when the user is not a member. */
  setRole(roomId: number, userId: number, role: RoomRole): boolean;
  /** Removes a member; the room (and its name) goes with its last member. */
  leave(roomId: number, userId: number): void;
  values(): IterableIterator<RoomEntry>;
}

/** Ids the SDK allocates start here, above ids applications typically choose. */
const FIRST_ALLOCATED_ROOM = 1_000_000;

interface Room extends RoomEntry {
  readonly members: Map<number, RoomRole>;
}

export class InProcessRoomTable implements RoomTable {
  private readonly rooms = new Map<number, Room>();
  private readonly names = new Map<string, number>();
  private nextRoomId = FIRST_ALLOCATED_ROOM;

  get(roomId: number): RoomEntry | undefined {
    return this.rooms.get(roomId);
  }

  has(roomId: number): boolean {
    return this.rooms.has(roomId);
  }

  idOfName(roomName: string): number | undefined {
    return this.names.get(roomName);
  }

  allocateRoomId(): number {
    while (this.rooms.has(this.nextRoomId)) this.nextRoomId++;
    return this.nextRoomId++;
  }

  join(roomId: number, roomName: string, userId: number, role: RoomRole): RoomEntry {
    let room = this.rooms.get(roomId);
    if (!room) {
      room = { roomId, roomName, members: new Map() };
      this.rooms.set(roomId, room);
      if (roomName) this.names.set(roomName, roomId);
    }
    room.members.set(userId, role);
    return room;
  }

  setRole(roomId: number, userId: number, role: RoomRole): boolean {
    const room = this.rooms.get(roomId);
    if (!room?.members.has(userId)) return false;
    room.members.set(userId, role);
    return true;
  }

  leave(roomId: number, userId: number): void {
    const room = this.rooms.get(roomId);
    if (!room) return;
    room.members.delete(userId);
    if (room.members.size > 0) return;
    this.rooms.delete(roomId);
    if (room.roomName && this.names.get(room.roomName) === roomId) this.names.delete(room.roomName);
  }

  values(): IterableIterator<RoomEntry> {
    return this.rooms.values();
  }
}

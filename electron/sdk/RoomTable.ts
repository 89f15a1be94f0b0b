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
  /** The room currently holding this name (or reserved for it). */
  idOfName(roomName: string): number | undefined;
  /** A room id no room uses (calls, rooms entered by name). */
  allocateRoomId(): number;
  /**
   * Reserves the room a user is about to enter, until it joins or `release`s: by name, the room
   * holding the name, else a new id from `allocate` that then holds the name. Two users entering
   * one new name at once get one id (in a cluster: through any nodes). Resolves once the table
   * shows every member whose entry finished before (a cluster node's replica has caught up).
   */
  reserve(target: { roomId: number } | { roomName: string }, userId: number, allocate: () => number): Promise<number>;
  /** Gives up a reservation the user will not use (its entry was refused). */
  release(roomId: number, roomName: string, userId: number): void;
  /** Adds (or re-roles) a member, creating the room on first use. */
  join(roomId: number, roomName: string, userId: number, role: RoomRole): RoomEntry;
  /** False when the user is not a member. */
  setRole(roomId: number, userId: number, role: RoomRole): boolean;
  /** Removes a member (`reason` as in userLeft); the room (and its name) goes with its last member. */
  leave(roomId: number, userId: number, reason?: number): void;
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
  /** Names reserved by entries in progress: the id and who holds it (a name outlives an emptied room while reserved). */
  private readonly reserved = new Map<string, { roomId: number; users: Set<number> }>();
  private nextRoomId = FIRST_ALLOCATED_ROOM;

  get(roomId: number): RoomEntry | undefined {
    return this.rooms.get(roomId);
  }

  has(roomId: number): boolean {
    return this.rooms.has(roomId);
  }

  idOfName(roomName: string): number | undefined {
    return this.names.get(roomName) ?? this.reserved.get(roomName)?.roomId;
  }

  async reserve(target: { roomId: number } | { roomName: string }, userId: number, allocate: () => number): Promise<number> {
    if ('roomId' in target) return target.roomId;
    const name = target.roomName;
    let r = this.reserved.get(name);
    if (!r) {
      r = { roomId: this.names.get(name) ?? allocate(), users: new Set() };
      this.reserved.set(name, r);
    }
    r.users.add(userId);
    return r.roomId;
  }

  release(roomId: number, roomName: string, userId: number): void {
    const r = this.reserved.get(roomName);
    if (!r || r.roomId !== roomId) return;
    r.users.delete(userId);
    if (r.users.size === 0) this.reserved.delete(roomName);
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
    if (roomName) this.release(roomId, roomName, userId);
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

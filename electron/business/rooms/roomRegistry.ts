/**
 * The business layer's rooms (seeds/nim-multiparty-rooms.txt): a room is known by its id and,
 * optionally, a unique name. Creating a name that exists is refused with 417. A room ends when
 * its last member leaves (its name can be reused at once). An operator close refuses new
 * entries and frees the name immediately; the record goes when the last member has left.
 *
 * Admission (`admit`) checks password, capacity and call-room privacy and reserves a place for a
 * short while, so two users entering at once cannot both take the last place; `join` turns the
 * reservation into membership when the SDK reports the entry.
 *
 * Pure state: no SDK, no sockets. The BusinessLayer wires it to the SDK's hooks and events.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { CodedError, Codes, SignalingCodes } from '../../../shared/codes';
import type { Clock } from '../clock';
import { MAX_SEATS } from '../mic/micQueue';

export type RoomRole = 'interactive' | 'audience';

export interface RoomMemberRecord {
  userId: number;
  role: RoomRole;
  joinedAt: number;
}

export interface RoomRecord {
  readonly roomId: number;
  /** Null for rooms entered by id only and for call rooms. */
  name: string | null;
  readonly kind: 'room' | 'call';
  capacity: number | null;
  chatLog: boolean;
  seatCount: number;
  readonly createdAt: number;
  readonly createdBy: number | null;
  /** Set by an operator close: entries are refused, the name is free again. */
  closing: boolean;
  /** NIM `custom_info` given at creation: every member who enters receives it ('' = none). */
  customInfo: string;
  /** Kept in the store and across restarts; does not end when empty (only an operator close ends it). */
  persistent: boolean;
  /** Call rooms only: the two parties, the only users admitted. */
  readonly parties: readonly number[];
  readonly members: Map<number, RoomMemberRecord>;
  /** userId → reservation expiry (epoch ms). */
  readonly reservations: Map<number, number>;
  passwordDigest: Buffer | null;
  /** Last admit / join / leave (epoch ms): empty rooms idle this long are swept. */
  lastActivity: number;
}

export interface CreateRoomOptions {
  name?: string | null;
  /** Ask for a specific id; allocated when absent. */
  roomId?: number;
  password?: string | null;
  capacity?: number | null;
  chatLog?: boolean;
  seatCount?: number;
  createdBy?: number | null;
  customInfo?: string;
  persistent?: boolean;
  /** Restoring a persistent room: its stored password digest (the password itself is never kept). */
  passwordDigest?: Buffer | null;
  createdAt?: number;
}

export interface RoomRegistryOptions {
  clock: Clock;
  defaultSeatCount: number;
  defaultChatLog: boolean;
  /** Largest capacity a room may have (also the limit for rooms without one). */
  maxRoomUsers: number;
  maxRooms: number;
  /** Hands out a fresh room id (the SDK's allocator, shared with call rooms). */
  allocateRoomId: () => number;
  /** How long an admitted user's place is held until the SDK reports the entry. */
  reservationMs?: number;
  /** A named room's name is free again (it ended, or an operator closed it). */
  onNameReleased?: (name: string, roomId: number) => void;
}

export const MAX_ROOM_NAME = 64;
export const MAX_ROOM_PASSWORD = 64;
/** Longest `customInfo` a room may carry (characters). */
export const MAX_ROOM_CUSTOM_INFO = 4096;
export const MAX_ROOM_ID = 2_147_483_647;

export type RoomRef = { roomId: number } | { roomName: string };

export class RoomRegistry {
  private readonly rooms = new Map<number, RoomRecord>();
  private readonly byName = new Map<string, number>();
  private readonly reservationMs: number;

  constructor(private readonly opts: RoomRegistryOptions) {
    this.reservationMs = opts.reservationMs ?? 15_000;
  }

  get size(): number {
    return this.rooms.size;
  }

  list(): RoomRecord[] {
    return [...this.rooms.values()];
  }

  get(roomId: number): RoomRecord | undefined {
    return this.rooms.get(roomId);
  }

  require(roomId: number): RoomRecord {
    const r = this.rooms.get(roomId);
    if (!r) throw new CodedError(Codes.ROOM_NOT_FOUND, `no room ${roomId}`);
    return r;
  }

  findByName(name: string): RoomRecord | undefined {
    const id = this.byName.get(normalizeName(name));
    return id === undefined ? undefined : this.rooms.get(id);
  }

  find(ref: RoomRef): RoomRecord | undefined {
    return 'roomId' in ref ? this.rooms.get(ref.roomId) : this.findByName(ref.roomName);
  }

  /** Creates a room; 417 when the name (or the asked-for id) is taken. */
  create(o: CreateRoomOptions): RoomRecord {
    const name = o.name === undefined || o.name === null ? null : checkName(o.name);
    if (name !== null && this.byName.has(name)) {
      throw new CodedError(Codes.ROOM_ALREADY_EXISTS, `a room named "${name}" already exists`, { roomId: this.byName.get(name) });
    }
    if (o.roomId !== undefined) {
      checkRoomId(o.roomId);
      if (this.rooms.has(o.roomId)) throw new CodedError(Codes.ROOM_ALREADY_EXISTS, `room ${o.roomId} already exists`, { roomId: o.roomId });
    }
    if (this.rooms.size >= this.opts.maxRooms) throw new CodedError(Codes.TOO_MANY_ROOMS, `at most ${this.opts.maxRooms} rooms`);
    const capacity = o.capacity ?? null;
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1 || capacity > this.opts.maxRoomUsers)) {
      throw new CodedError(Codes.BAD_REQUEST, `capacity must be an integer from 1 to ${this.opts.maxRoomUsers}`);
    }
    const password = o.password ?? null;
    if (password !== null && (typeof password !== 'string' || password.length > MAX_ROOM_PASSWORD)) {
      throw new CodedError(Codes.BAD_REQUEST, `password must be a string of at most ${MAX_ROOM_PASSWORD} characters`);
    }
    const seatCount = o.seatCount ?? this.opts.defaultSeatCount;
    if (!Number.isInteger(seatCount) || seatCount < 0 || seatCount > MAX_SEATS) {
      throw new CodedError(Codes.BAD_REQUEST, `seat count must be an integer from 0 to ${MAX_SEATS}`);
    }
    const room: RoomRecord = {
      roomId: o.roomId ?? this.allocateId(),
      name,
      kind: 'room',
      capacity,
      chatLog: o.chatLog ?? this.opts.defaultChatLog,
      seatCount,
      createdAt: o.createdAt ?? this.opts.clock.now(),
      createdBy: o.createdBy ?? null,
      closing: false,
      customInfo: o.customInfo ?? '',
      persistent: o.persistent ?? false,
      parties: [],
      members: new Map(),
      reservations: new Map(),
      passwordDigest: o.passwordDigest !== undefined ? o.passwordDigest : password ? digest(password) : null,
      lastActivity: this.opts.clock.now(),
    };
    this.rooms.set(room.roomId, room);
    if (name !== null) this.byName.set(name, room.roomId);
    return room;
  }

  /** The room a started video call allocated (seed §6): only its two parties may enter. */
  createCallRoom(roomId: number, parties: readonly [number, number]): RoomRecord {
    checkRoomId(roomId);
    const existing = this.rooms.get(roomId);
    if (existing) {
      if (existing.kind === 'call' && sameParties(existing.parties, parties)) return existing;
      throw new CodedError(Codes.ROOM_ALREADY_EXISTS, `room ${roomId} already exists`);
    }
    const room: RoomRecord = {
      roomId,
      name: null,
      kind: 'call',
      capacity: 2,
      chatLog: false,
      seatCount: 0,
      createdAt: this.opts.clock.now(),
      createdBy: null,
      closing: false,
      customInfo: '',
      persistent: false,
      parties: [...parties],
      members: new Map(),
      reservations: new Map(),
      passwordDigest: null,
      lastActivity: this.opts.clock.now(),
    };
    this.rooms.set(roomId, room);
    return room;
  }

  /**
   * May this user enter? Checks closing, call privacy, password and capacity, then holds a place.
   * A member entering again (or switching role on re-entry) is always admitted.
   */
  admit(room: RoomRecord, userId: number, password: string): void {
    if (room.closing) throw new CodedError(Codes.ROOM_CLOSED, `room ${room.roomId} is closing`);
    if (room.kind === 'call' && !room.parties.includes(userId)) {
      throw new CodedError(Codes.ROOM_PRIVATE, `room ${room.roomId} belongs to a call between other users`);
    }
    if (room.passwordDigest && !room.members.has(userId)) {
      const given = digest(password ?? '');
      if (!timingSafeEqual(given, room.passwordDigest)) throw new CodedError(Codes.ROOM_PASSWORD_WRONG, 'wrong room password');
    }
    this.expireReservations(room);
    if (!room.members.has(userId) && !room.reservations.has(userId)) {
      const limit = room.capacity ?? this.opts.maxRoomUsers;
      if (room.members.size + room.reservations.size >= limit) throw new CodedError(Codes.ROOM_FULL, `room ${room.roomId} is full (${limit})`);
    }
    room.reservations.set(userId, this.opts.clock.now() + this.reservationMs);
    room.lastActivity = this.opts.clock.now();
  }

  /** The SDK reports the entry. Unknown rooms (entered without our hook) are recorded as they come. */
  join(roomId: number, userId: number, role: RoomRole): RoomRecord {
    let room = this.rooms.get(roomId);
    if (!room) room = this.create({ roomId });
    room.reservations.delete(userId);
    room.lastActivity = this.opts.clock.now();
    room.members.set(userId, { userId, role, joinedAt: room.members.get(userId)?.joinedAt ?? this.opts.clock.now() });
    return room;
  }

  /** Drops a failed/abandoned reservation; ends the room if that leaves it empty. */
  cancelReservation(roomId: number, userId: number): { ended: boolean } {
    const room = this.rooms.get(roomId);
    if (!room) return { ended: false };
    room.reservations.delete(userId);
    return { ended: this.endIfEmpty(room) };
  }

  setRole(roomId: number, userId: number, role: RoomRole): RoomMemberRecord {
    const room = this.require(roomId);
    const m = room.members.get(userId);
    if (!m) throw new CodedError(SignalingCodes.NOT_IN_ROOM, `user ${userId} is not in room ${roomId}`);
    m.role = role;
    return m;
  }

  /** The SDK reports a leave. `ended` = the room is gone (its name is free). */
  leave(roomId: number, userId: number): { room: RoomRecord | undefined; ended: boolean } {
    const room = this.rooms.get(roomId);
    if (!room) return { room: undefined, ended: false };
    room.members.delete(userId);
    room.reservations.delete(userId);
    room.lastActivity = this.opts.clock.now();
    return { room, ended: this.endIfEmpty(room) };
  }

  /** Operator close: frees the name and refuses entries. Returns the members to force out. */
  close(roomId: number): { room: RoomRecord; members: number[]; ended: boolean } {
    const room = this.require(roomId);
    room.closing = true;
    this.releaseName(room);
    room.reservations.clear();
    const members = [...room.members.keys()];
    return { room, members, ended: this.endIfEmpty(room) };
  }

  /** Removes a room outright (the BusinessLayer's own shutdown, or a call room torn down). */
  remove(roomId: number): RoomRecord | undefined {
    const room = this.rooms.get(roomId);
    if (!room) return undefined;
    this.releaseName(room);
    this.rooms.delete(roomId);
    return room;
  }

  /**
   * Ends rooms nobody ever entered (created, or admitted users who never arrived) once they
   * have been empty for `idleMs`. Returns the ids removed.
   */
  sweep(idleMs: number): number[] {
    const now = this.opts.clock.now();
    const gone: number[] = [];
    for (const room of [...this.rooms.values()]) {
      this.expireReservations(room);
      if (room.members.size > 0 || room.reservations.size > 0) continue;
      if (room.persistent && !room.closing) continue;
      if (room.closing || now - room.lastActivity >= idleMs) {
        this.remove(room.roomId);
        gone.push(room.roomId);
      }
    }
    return gone;
  }

  /** The room the user is a member of, if any (a user is in at most one room). */
  roomOf(userId: number): RoomRecord | undefined {
    for (const r of this.rooms.values()) if (r.members.has(userId)) return r;
    return undefined;
  }

  private endIfEmpty(room: RoomRecord): boolean {
    this.expireReservations(room);
    if (room.members.size > 0 || room.reservations.size > 0) return false;
    if (room.persistent && !room.closing) return false;
    this.remove(room.roomId);
    return true;
  }

  private expireReservations(room: RoomRecord): void {
    const now = this.opts.clock.now();
    for (const [u, until] of room.reservations) if (until <= now) room.reservations.delete(u);
  }

  private releaseName(room: RoomRecord): void {
    if (room.name === null || this.byName.get(room.name) !== room.roomId) return;
    this.byName.delete(room.name);
    this.opts.onNameReleased?.(room.name, room.roomId);
  }

  private allocateId(): number {
    for (let i = 0; i < 1000; i++) {
      const id = this.opts.allocateRoomId();
      if (!this.rooms.has(id)) return id;
    }
    throw new CodedError(Codes.TOO_MANY_ROOMS, 'no free room id');
  }
}

function normalizeName(name: string): string {
  return name.trim();
}

function checkName(name: unknown): string {
  if (typeof name !== 'string') throw new CodedError(Codes.BAD_REQUEST, 'room name must be a string');
  const n = normalizeName(name);
  if (n.length === 0 || n.length > MAX_ROOM_NAME) throw new CodedError(Codes.BAD_REQUEST, `room name must have 1 to ${MAX_ROOM_NAME} characters`);
  return n;
}

export function checkRoomId(id: unknown): asserts id is number {
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > MAX_ROOM_ID) {
    throw new CodedError(Codes.BAD_REQUEST, `room id must be an integer from 1 to ${MAX_ROOM_ID}`);
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function sameParties(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((u) => b.includes(u));
}

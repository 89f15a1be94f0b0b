/**
 * Rooms of the whole cluster, read synchronously: one in-process table holds every node's
 * members; this node's own joins, role changes and leaves are announced (`onLocalChange`), other
 * nodes' arrive through `apply*` and are not announced again. A room entered by name through
 * two nodes is one room: the name is claimed atomically in Redis (`RoomClaims`), never decided
 * from this node's replica, which may lag.
 */
import { InProcessRoomTable, type RoomEntry, type RoomRole, type RoomTable } from '../sdk';

export type RoomChange =
  | { kind: 'join'; roomId: number; roomName: string; userId: number; role: RoomRole }
  | { kind: 'role'; roomId: number; userId: number; role: RoomRole }
  | { kind: 'leave'; roomId: number; userId: number; roomName?: string; reason?: number };

/** The cluster's shared record of room names and members (Redis; see ClusterNode). */
export interface RoomClaims {
  /** Adds the user to the room holding the name and returns its id; else, with `proposedId` 0, returns 0, or makes the name `proposedId`'s. */
  claimName(roomName: string, userId: number, proposedId: number): Promise<number>;
  /** Adds the user to the room's members ahead of its join (the room cannot end meanwhile). */
  claimId(roomId: number, userId: number): Promise<void>;
  /** Takes the user out of the room's members; the last one out frees the room's name and media owner. */
  release(roomId: number, roomName: string, userId: number): void;
  /** Resolves once everything other nodes published before this call has been applied here. */
  caughtUp(): Promise<void>;
}

export class ClusterRoomTable implements RoomTable {
  private readonly inner = new InProcessRoomTable();

  constructor(
    private readonly claims: RoomClaims,
    private readonly onLocalChange: (change: RoomChange) => void,
  ) {}

  get(roomId: number): RoomEntry | undefined {
    return this.inner.get(roomId);
  }

  has(roomId: number): boolean {
    return this.inner.has(roomId);
  }

  idOfName(roomName: string): number | undefined {
    return this.inner.idOfName(roomName);
  }

  allocateRoomId(): number {
    return this.inner.allocateRoomId();
  }

  async reserve(target: { roomId: number } | { roomName: string }, userId: number, allocate: () => number): Promise<number> {
    let roomId: number;
    if ('roomId' in target) {
      roomId = target.roomId;
      await this.claims.claimId(roomId, userId);
    } else {
      // Ask first, so a name in use costs no id; a new name is claimed with a fresh id, and a
      // node that claimed it in between wins.
      roomId = await this.claims.claimName(target.roomName, userId, 0);
      if (roomId === 0) roomId = await this.claims.claimName(target.roomName, userId, allocate());
    }
    // Members whose entry finished before this claim are in the replica before the user's list is made.
    await this.claims.caughtUp();
    return roomId;
  }

  release(roomId: number, roomName: string, userId: number): void {
    this.claims.release(roomId, roomName, userId);
  }

  join(roomId: number, roomName: string, userId: number, role: RoomRole): RoomEntry {
    const room = this.inner.join(roomId, roomName, userId, role);
    this.onLocalChange({ kind: 'join', roomId, roomName: room.roomName, userId, role });
    return room;
  }

  setRole(roomId: number, userId: number, role: RoomRole): boolean {
    if (!this.inner.setRole(roomId, userId, role)) return false;
    this.onLocalChange({ kind: 'role', roomId, userId, role });
    return true;
  }

  leave(roomId: number, userId: number, reason = 0): void {
    const roomName = this.inner.get(roomId)?.roomName ?? '';
    this.inner.leave(roomId, userId);
    this.onLocalChange({ kind: 'leave', roomId, userId, roomName, reason });
  }

  values(): IterableIterator<RoomEntry> {
    return this.inner.values();
  }

  /** Another node's change (not announced again). */
  apply(change: RoomChange): void {
    if (change.kind === 'join') this.inner.join(change.roomId, change.roomName, change.userId, change.role);
    else if (change.kind === 'role') this.inner.setRole(change.roomId, change.userId, change.role);
    else this.inner.leave(change.roomId, change.userId);
  }
}

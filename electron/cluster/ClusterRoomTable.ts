/**
 * Rooms of the whole cluster, read synchronously: one in-process table holds every node's
 * members; this node's own joins, role changes and leaves are announced (`onLocalChange`), other
 * nodes' arrive through `apply*` and are not announced again. A room entered by name through
 * two nodes is one room: the name maps to one id everywhere.
 */
import { InProcessRoomTable, type RoomEntry, type RoomRole, type RoomTable } from '../sdk';

export type RoomChange =
  | { kind: 'join'; roomId: number; roomName: string; userId: number; role: RoomRole }
  | { kind: 'role'; roomId: number; userId: number; role: RoomRole }
  | { kind: 'leave'; roomId: number; userId: number };

export class ClusterRoomTable implements RoomTable {
  private readonly inner = new InProcessRoomTable();

  constructor(private readonly onLocalChange: (change: RoomChange) => void) {}

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

  leave(roomId: number, userId: number): void {
    this.inner.leave(roomId, userId);
    this.onLocalChange({ kind: 'leave', roomId, userId });
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

import { describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { ManualClock } from '../clock';
import { RoomRegistry } from './roomRegistry';

function make(o: { maxRooms?: number; maxRoomUsers?: number } = {}) {
  let next = 1000;
  const clock = new ManualClock();
  const reg = new RoomRegistry({
    clock,
    defaultSeatCount: 2,
    defaultChatLog: false,
    maxRoomUsers: o.maxRoomUsers ?? 100,
    maxRooms: o.maxRooms ?? 10,
    allocateRoomId: () => next++,
    reservationMs: 1000,
  });
  return { clock, reg };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: number }).code;
  }
  return undefined;
}

describe('RoomRegistry', () => {
  it('creates by name with allocated ids, refuses a taken name with 417, finds by id or name', () => {
    const { reg } = make();
    const a = reg.create({ name: 'lobby' });
    expect(a.roomId).toBe(1000);
    expect(a.seatCount).toBe(2);
    expect(codeOf(() => reg.create({ name: 'lobby' }))).toBe(Codes.ROOM_ALREADY_EXISTS);
    expect(codeOf(() => reg.create({ name: '  lobby ' }))).toBe(Codes.ROOM_ALREADY_EXISTS);
    expect(codeOf(() => reg.create({ roomId: 1000 }))).toBe(Codes.ROOM_ALREADY_EXISTS);
    expect(reg.create({ name: 'b' }).roomId).toBe(1001);
    expect(reg.find({ roomName: 'lobby' })).toBe(a);
    expect(reg.find({ roomId: 1000 })).toBe(a);
    expect(codeOf(() => reg.create({ name: '' }))).toBe(Codes.BAD_REQUEST);
    expect(codeOf(() => reg.create({ name: 'x'.repeat(65) }))).toBe(Codes.BAD_REQUEST);
    expect(codeOf(() => reg.create({ name: 'c', capacity: 0 }))).toBe(Codes.BAD_REQUEST);
    expect(codeOf(() => reg.create({ name: 'c', capacity: 101 }))).toBe(Codes.BAD_REQUEST);
    expect(codeOf(() => reg.create({ name: 'c', seatCount: 65 }))).toBe(Codes.BAD_REQUEST);
    expect(codeOf(() => reg.create({ roomId: -3 }))).toBe(Codes.BAD_REQUEST);
  });

  it('skips ids in use when allocating and limits the number of rooms', () => {
    const { reg } = make({ maxRooms: 3 });
    reg.create({ roomId: 1000 });
    expect(reg.create({ name: 'x' }).roomId).toBe(1001);
    reg.create({ name: 'y' });
    expect(codeOf(() => reg.create({ name: 'z' }))).toBe(Codes.TOO_MANY_ROOMS);
  });

  it('checks the password (members re-entering skip it) and the capacity, counting reservations', () => {
    const { reg, clock } = make();
    const r = reg.create({ name: 'p', password: 'secret', capacity: 2 });
    expect(codeOf(() => reg.admit(r, 1, 'nope'))).toBe(Codes.ROOM_PASSWORD_WRONG);
    expect(codeOf(() => reg.admit(r, 1, ''))).toBe(Codes.ROOM_PASSWORD_WRONG);
    reg.admit(r, 1, 'secret');
    reg.admit(r, 2, 'secret');
    expect(codeOf(() => reg.admit(r, 3, 'secret'))).toBe(Codes.ROOM_FULL);
    reg.join(r.roomId, 1, 'interactive');
    expect(codeOf(() => reg.admit(r, 3, 'secret'))).toBe(Codes.ROOM_FULL);
    clock.advance(1000);
    reg.admit(r, 3, 'secret');
    reg.join(r.roomId, 3, 'audience');
    reg.admit(r, 1, '');
    expect(codeOf(() => reg.admit(r, 2, 'secret'))).toBe(Codes.ROOM_FULL);
  });

  it('ends a room when the last member leaves and frees the name', () => {
    const { reg } = make();
    const r = reg.create({ name: 'n' });
    reg.admit(r, 1, '');
    reg.join(r.roomId, 1, 'interactive');
    reg.admit(r, 2, '');
    reg.join(r.roomId, 2, 'audience');
    expect(reg.roomOf(2)).toBe(r);
    expect(reg.leave(r.roomId, 1).ended).toBe(false);
    expect(reg.leave(r.roomId, 2).ended).toBe(true);
    expect(reg.get(r.roomId)).toBeUndefined();
    expect(reg.create({ name: 'n' }).roomId).not.toBe(r.roomId);
    expect(reg.leave(424242, 1)).toEqual({ room: undefined, ended: false });
  });

  it('a cancelled reservation ends an empty room', () => {
    const { reg } = make();
    const r = reg.create({ name: 'n' });
    reg.admit(r, 1, '');
    expect(reg.cancelReservation(r.roomId, 1).ended).toBe(true);
  });

  it('roles switch; unknown members are an error', () => {
    const { reg } = make();
    const r = reg.create({ name: 'n' });
    reg.join(r.roomId, 1, 'audience');
    expect(reg.setRole(r.roomId, 1, 'interactive').role).toBe('interactive');
    expect(codeOf(() => reg.setRole(r.roomId, 2, 'interactive'))).toBe(SignalingCodes.NOT_IN_ROOM);
    expect(codeOf(() => reg.setRole(5, 1, 'interactive'))).toBe(Codes.ROOM_NOT_FOUND);
  });

  it('close frees the name at once, refuses entries, and ends the room with its last member', () => {
    const { reg } = make();
    const r = reg.create({ name: 'c' });
    reg.join(r.roomId, 1, 'interactive');
    reg.join(r.roomId, 2, 'interactive');
    const closed = reg.close(r.roomId);
    expect(closed.members).toEqual([1, 2]);
    expect(closed.ended).toBe(false);
    expect(codeOf(() => reg.admit(r, 3, ''))).toBe(Codes.ROOM_CLOSED);
    const again = reg.create({ name: 'c' });
    expect(again.roomId).not.toBe(r.roomId);
    reg.leave(r.roomId, 1);
    expect(reg.leave(r.roomId, 2).ended).toBe(true);
    expect(reg.findByName('c')).toBe(again);
    const empty = reg.create({ name: 'e' });
    expect(reg.close(empty.roomId).ended).toBe(true);
  });

  it('sweeps rooms left empty (never entered, or admitted users who never arrived)', () => {
    const { reg, clock } = make();
    const a = reg.create({ name: 'a' });
    const b = reg.create({ name: 'b' });
    reg.join(b.roomId, 1, 'interactive');
    clock.advance(500);
    reg.admit(a, 2, '');
    expect(reg.sweep(1000)).toEqual([]);
    clock.advance(1000);
    expect(reg.sweep(1000)).toEqual([a.roomId]);
    expect(reg.findByName('a')).toBeUndefined();
    expect(reg.get(b.roomId)).toBe(b);
  });

  it('call rooms admit only their two parties', () => {
    const { reg } = make();
    const r = reg.createCallRoom(5000, [1, 2]);
    expect(reg.createCallRoom(5000, [2, 1])).toBe(r);
    expect(codeOf(() => reg.createCallRoom(5000, [1, 3]))).toBe(Codes.ROOM_ALREADY_EXISTS);
    expect(codeOf(() => reg.admit(r, 3, ''))).toBe(Codes.ROOM_PRIVATE);
    reg.admit(r, 1, '');
    reg.admit(r, 2, '');
    expect(r.kind).toBe('call');
    expect(r.seatCount).toBe(0);
  });
});

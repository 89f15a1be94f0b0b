import { describe, expect, it } from 'vitest';
import { InProcessRoomTable } from './RoomTable';
import { Session, type ClientLink } from './Session';
import { InProcessSessionTable } from './SessionTable';

const link: ClientLink = { ip: '127.0.0.1', open: true, push() {}, sendFrame() {}, bufferedBytes: () => 0, close() {} };

describe('SDK live-state tables (in-process)', () => {
  it('a session is removed only while it is the current one of its user', () => {
    const t = new InProcessSessionTable();
    const old = new Session(link, 7, 'u', 'U', 0, false);
    const current = new Session(link, 7, 'u', 'U', 0, false);
    t.add(old);
    t.add(current);
    expect(t.remove(old)).toBe(false);
    expect(t.get(7)).toBe(current);
    expect(t.remove(current)).toBe(true);
    expect(t.has(7)).toBe(false);
    expect(t.size).toBe(0);
  });

  it('a room lives while it has members; its name is freed with the last one; allocated ids skip used rooms', () => {
    const t = new InProcessRoomTable();
    const id = t.allocateRoomId();
    t.join(id, 'lobby', 1, 'interactive');
    t.join(id, 'lobby', 2, 'audience');
    expect(t.idOfName('lobby')).toBe(id);
    expect([...t.get(id)!.members]).toEqual([
      [1, 'interactive'],
      [2, 'audience'],
    ]);
    expect(t.setRole(id, 2, 'interactive')).toBe(true);
    expect(t.setRole(id, 3, 'interactive')).toBe(false);
    t.join(id + 1, '', 3, 'interactive');
    expect(t.allocateRoomId()).toBe(id + 2);
    t.leave(id, 1);
    expect(t.has(id)).toBe(true);
    t.leave(id, 2);
    expect(t.has(id)).toBe(false);
    expect(t.idOfName('lobby')).toBeUndefined();
  });

  it('entries by one new name get one id while under way; a reserved name outlives its emptied room; releasing frees it', async () => {
    const t = new InProcessRoomTable();
    let next = 500;
    const allocate = () => next++;
    // Two entries whose hooks run at once: one id, allocated once.
    const [a, b] = await Promise.all([t.reserve({ roomName: 'hall' }, 1, allocate), t.reserve({ roomName: 'hall' }, 2, allocate)]);
    expect([a, b]).toEqual([500, 500]);
    expect(t.idOfName('hall')).toBe(500);
    t.join(500, 'hall', 1, 'interactive');
    t.leave(500, 1);
    // user 2's entry still holds the name: it joins the same room
    expect(await t.reserve({ roomName: 'hall' }, 3, allocate)).toBe(500);
    t.release(500, 'hall', 2);
    t.release(500, 'hall', 3);
    expect(t.idOfName('hall')).toBeUndefined();
    expect(await t.reserve({ roomName: 'hall' }, 4, allocate)).toBe(501);
    expect(await t.reserve({ roomId: 42 }, 4, allocate)).toBe(42);
  });
});

/**
 * Regression (issue 13): what an operator set on a room was lost on restart. A persistent room
 * keeps its id, name, password, capacity and seat count across a restart of the business layer
 * on the same store, does not end when empty, and an operator close removes it for good.
 */
import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { Codes } from '../../../shared/codes';
import { configSchema } from '../../config/schema';
import { BusinessLayer } from '../BusinessLayer';
import { ManualClock } from '../clock';
import { expectCode, startBusiness, type BizHarness } from './harness';

let h: BizHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

it('a persistent room keeps what the operator set across a restart and is never swept', async () => {
  h = await startBusiness();
  const room = await h.business.createRoom({ name: 'board', password: 's3cret', capacity: 2, seatCount: 3, persistent: true });
  h.business.setSeatCount(room.roomId, 4);
  const temp = await h.business.createRoom({ name: 'temp' });
  h.business.close();

  // The business layer starts again on the same store (the SDK keeps running).
  const clock = new ManualClock(Date.now());
  const rooms = configSchema.parse({}).rooms;
  const again = await BusinessLayer.create({ sdk: h.sdk, db: h.db, config: { rooms }, logger: pino({ level: 'silent' }), clock });
  try {
    const names = again.listRooms().map((r) => r.name);
    expect(names).toContain('board');
    expect(names).not.toContain('temp');
    const [a, b, c] = [await h.login(1), await h.login(2), await h.login(3)];
    await expectCode(a.enterRoom({ roomName: 'board', password: 'wrong' }), Codes.ROOM_PASSWORD_WRONG);
    expect((await a.enterRoom({ roomName: 'board', password: 's3cret' })).roomId).toBe(room.roomId);
    await b.enterRoom({ roomId: room.roomId, password: 's3cret' });
    await expectCode(c.enterRoom({ roomId: room.roomId, password: 's3cret' }), Codes.ROOM_FULL);
    expect(again.micState(room.roomId).seats).toHaveLength(4);
    // Empty and idle for longer than emptyRoomSeconds: still there.
    await a.leaveRoom();
    await b.leaveRoom();
    clock.advance((rooms.emptyRoomSeconds + 60) * 1000);
    expect(again.listRooms().map((r) => r.roomId)).toContain(room.roomId);
    expect(temp.roomId).not.toBe(room.roomId);
    // An operator close removes it, in the store too.
    await again.closeRoom(room.roomId);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM business_persistent_rooms').get()).toEqual({ n: 0 });
  } finally {
    again.close();
  }
});

/**
 * Public mic seats and the mic queue over real sockets, six clients (seed §8.3, §8.4):
 * seating, queueing, timeout hand-over, leave while queued, operator reorder / remove /
 * force-off / lock, seat-count change, room close.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyChatClient } from '../../../shared/client';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { collect, eventually, expectCode, startBusiness, uid, type BizHarness } from './harness';

type Mic = { roomId: number; seats: { seat: number; userId: number | null; locked: boolean }[]; queue: number[] };

let h: BizHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** Six users in room "stage"; every client records its micState notifications. */
async function sixInStage(rooms: Parameters<typeof startBusiness>[0] = {}) {
  h = await startBusiness(rooms);
  const clients: AnyChatClient[] = [];
  const mics: Mic[][] = [];
  for (let n = 1; n <= 6; n++) {
    const c = await h.login(n);
    mics.push(collect(c, 'micState') as unknown as Mic[]);
    clients.push(c);
  }
  const { roomId } = (await clients[0]!.request('createRoom', { roomName: 'stage' })) as { roomId: number };
  for (const c of clients) await c.enterRoom({ roomName: 'stage', role: 'audience' });
  const last = (i: number) => mics[i]!.at(-1);
  const seatsOf = (m: Mic | undefined) => m?.seats.map((s) => s.userId);
  return { h, clients, mics, roomId, last, seatsOf };
}

describe('mic seats and queue (6 clients, real sockets)', () => {
  it('seats the first two, queues the rest, broadcasts the queue, and a newcomer gets seats and queue', async () => {
    const { h, clients, mics, roomId, last, seatsOf } = await sixInStage();
    // Everyone got the (empty) state on entry: two seats by default.
    await eventually(() =>
      expect(last(5)).toEqual({
        roomId,
        seats: [
          { seat: 0, userId: null, locked: false },
          { seat: 1, userId: null, locked: false },
        ],
        queue: [],
      }),
    );
    expect(await clients[0]!.request('micRequest', {})).toEqual({ state: 'seated', seat: 0 });
    expect(await clients[1]!.request('micRequest', {})).toEqual({ state: 'seated', seat: 1 });
    expect(await clients[2]!.request('micRequest', {})).toEqual({ state: 'queued', position: 1 });
    expect(await clients[3]!.request('micRequest', {})).toEqual({ state: 'queued', position: 2 });
    // Asking twice is harmless.
    expect(await clients[3]!.request('micRequest', {})).toEqual({ state: 'queued', position: 2 });
    for (let i = 0; i < 6; i++) {
      await eventually(() => {
        expect(seatsOf(last(i))).toEqual([uid(1), uid(2)]);
        expect(last(i)!.queue).toEqual([uid(3), uid(4)]);
      });
    }
    // A seventh user entering receives the current seats and queue (seed §8.3 step 4, §8.4 step 2).
    const late = await h.login(7);
    const lateMics = collect(late, 'micState') as unknown as Mic[];
    await late.enterRoom({ roomId });
    await eventually(() => expect(lateMics.at(-1)).toMatchObject({ roomId, queue: [uid(3), uid(4)] }));
    expect(seatsOf(lateMics.at(-1))).toEqual([uid(1), uid(2)]);
    expect(await late.request('getMicState', {})).toMatchObject({ roomId, queue: [uid(3), uid(4)] });
    expect(mics[0]!.length).toBeGreaterThanOrEqual(5);
    // micRelease hands the seat to the queue head.
    expect(await clients[0]!.request('micRelease', {})).toEqual({ state: 'none' });
    await eventually(() => {
      expect(seatsOf(last(4))).toEqual([uid(3), uid(2)]);
      expect(last(4)!.queue).toEqual([uid(4)]);
    });
    expect(await clients[0]!.request('micRelease', {})).toEqual({ state: 'none' });
    await expectCode(clients[0]!.request('micRequest', { extra: 1 }), Codes.BAD_REQUEST);
  });

  it('the seat time limit takes the user off and seats the head of the queue', async () => {
    const { h, clients, last, seatsOf } = await sixInStage({ rooms: { seatTimeLimitSeconds: 60 } });
    await clients[0]!.request('micRequest', {});
    h.clock.advance(30_000);
    await clients[1]!.request('micRequest', {});
    await clients[2]!.request('micRequest', {});
    await clients[3]!.request('micRequest', {});
    await eventually(() => expect(last(5)!.queue).toEqual([uid(3), uid(4)]));
    h.clock.advance(30_000);
    await eventually(() => {
      expect(seatsOf(last(5))).toEqual([uid(3), uid(2)]);
      expect(last(5)!.queue).toEqual([uid(4)]);
    });
    h.clock.advance(30_000);
    await eventually(() => expect(seatsOf(last(5))).toEqual([uid(3), uid(4)]));
    expect(await clients[0]!.request('getMicState', {})).toMatchObject({ queue: [] });
  });

  it('leaving while queued, leaving while seated and disconnecting release or dequeue', async () => {
    const { clients, last, seatsOf } = await sixInStage();
    for (let i = 0; i < 6; i++) await clients[i]!.request('micRequest', {});
    await eventually(() => expect(last(5)!.queue).toEqual([uid(3), uid(4), uid(5), uid(6)]));
    await clients[3]!.leaveRoom(); // queued
    await eventually(() => expect(last(5)!.queue).toEqual([uid(3), uid(5), uid(6)]));
    await clients[0]!.leaveRoom(); // seated
    await eventually(() => {
      expect(seatsOf(last(5))).toEqual([uid(3), uid(2)]);
      expect(last(5)!.queue).toEqual([uid(5), uid(6)]);
    });
    clients[4]!.close(); // queued, disconnects
    await eventually(() => expect(last(5)!.queue).toEqual([uid(6)]));
    clients[1]!.close(); // seated, disconnects
    await eventually(() => {
      expect(seatsOf(last(5))).toEqual([uid(3), uid(6)]);
      expect(last(5)!.queue).toEqual([]);
    });
  });

  it('operator controls: reorder, remove from queue, force off, lock/unlock, seat count', async () => {
    const { h, clients, roomId, last, seatsOf } = await sixInStage();
    const changes: unknown[] = [];
    h.business.on('micChanged', (m) => changes.push(m));
    for (let i = 0; i < 6; i++) await clients[i]!.request('micRequest', {});
    await eventually(() => expect(last(0)!.queue).toEqual([uid(3), uid(4), uid(5), uid(6)]));

    expect(h.business.reorderQueue(roomId, [uid(6), uid(5), uid(4), uid(3)]).queue).toEqual([uid(6), uid(5), uid(4), uid(3)]);
    await eventually(() => expect(last(0)!.queue).toEqual([uid(6), uid(5), uid(4), uid(3)]));
    expect(() => h.business.reorderQueue(roomId, [uid(6)])).toThrow(expect.objectContaining({ code: Codes.MIC_BAD_ORDER }));

    h.business.removeFromQueue(roomId, uid(5));
    await eventually(() => expect(last(2)!.queue).toEqual([uid(6), uid(4), uid(3)]));
    expect(() => h.business.removeFromQueue(roomId, uid(1))).toThrow(expect.objectContaining({ code: Codes.MIC_NOT_QUEUED }));

    h.business.forceOffSeat(roomId, uid(1));
    await eventually(() => {
      expect(seatsOf(last(0))).toEqual([uid(6), uid(2)]);
      expect(last(0)!.queue).toEqual([uid(4), uid(3)]);
    });
    expect(await clients[0]!.request('getMicState', {})).toMatchObject({ queue: [uid(4), uid(3)] });
    expect(() => h.business.forceOffSeat(roomId, uid(3))).toThrow(expect.objectContaining({ code: Codes.MIC_NOT_SEATED }));

    // Locking seat 1 takes user 2 off and keeps the seat empty while locked.
    const locked = h.business.lockSeat(roomId, 1, true);
    expect(locked.seats[1]).toMatchObject({ seat: 1, userId: null, locked: true });
    await eventually(() => expect(last(5)!.seats[1]).toEqual({ seat: 1, userId: null, locked: true }));
    expect(await clients[1]!.request('micRequest', {})).toEqual({ state: 'queued', position: 3 });
    h.business.lockSeat(roomId, 1, false);
    await eventually(() => {
      expect(seatsOf(last(5))).toEqual([uid(6), uid(4)]);
      expect(last(5)!.queue).toEqual([uid(3), uid(2)]);
    });
    expect(() => h.business.lockSeat(roomId, 9, true)).toThrow(expect.objectContaining({ code: Codes.MIC_BAD_SEAT }));

    // Seat count: 4 seats seats the whole queue; back to 1 sends the others to the queue front.
    h.business.setSeatCount(roomId, 4);
    await eventually(() => expect(seatsOf(last(5))).toEqual([uid(6), uid(4), uid(3), uid(2)]));
    h.business.setSeatCount(roomId, 1);
    await eventually(() => {
      expect(seatsOf(last(5))).toEqual([uid(6)]);
      expect(last(5)!.queue).toEqual([uid(4), uid(3), uid(2)]);
    });
    expect(h.business.listRooms().find((r) => r.roomId === roomId)).toMatchObject({ seatCount: 1, queueLength: 3, userCount: 6, name: 'stage' });
    expect(changes.length).toBeGreaterThan(8);
    expect(() => h.business.setSeatCount(roomId, 65)).toThrow(expect.objectContaining({ code: Codes.MIC_BAD_SEAT }));
    expect(() => h.business.setSeatCount(424242, 1)).toThrow(expect.objectContaining({ code: Codes.ROOM_NOT_FOUND }));
  });

  it('an operator closes the room: everyone leaves with reason 900904 and the name is free', async () => {
    const { h, clients, roomId } = await sixInStage();
    for (let i = 0; i < 3; i++) await clients[i]!.request('micRequest', {});
    const closed = clients.map((c) => c.next('roomClosed'));
    const left = clients.map((c, i) => c.next('userLeft', (d) => d.userId === uid(i + 1)));
    const removed = new Promise((resolve) => h.business.on('roomChanged', (r) => r.roomId === roomId && r.removed && resolve(r)));
    await h.business.closeRoom(roomId, 'maintenance');
    for (const p of closed) expect(await p).toEqual({ roomId, reason: Codes.ROOM_CLOSED, message: 'maintenance' });
    for (const p of left) expect(await p).toMatchObject({ roomId, reason: Codes.ROOM_CLOSED });
    await removed;
    expect(h.sdk.getRoom(roomId)).toBeNull();
    await expectCode(clients[0]!.request('micRequest', {}), SignalingCodes.NOT_IN_ROOM);
    const again = (await clients[0]!.request('createRoom', { roomName: 'stage' })) as { roomId: number };
    expect(again.roomId).not.toBe(roomId);
  });
});

/** Seed rules issue 13 found missing, over real sockets (seed 000 §2.4, §2.15, §8.2). */
import { afterEach, describe, expect, it } from 'vitest';
import { Codes } from '../../../shared/codes';
import { expectCode, startHarness, type Harness } from './harness';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('video calls', () => {
  it('§2.15: a call the business server refuses reaches the caller as a Reply (2) event carrying the code', async () => {
    h = await startHarness();
    const [a] = [await h.login('alice'), await h.login('bob')];
    h.sdk.setHook('videoCallRequest', () => 100104);
    const reply = a.next('videoCallEvent', (e) => e.eventType === 2);
    await expectCode(a.callRequest(1002, { param: 3, userStr: 'x' }), Codes.VIDEOCALL_REJECTED);
    expect(await reply).toMatchObject({ eventType: 2, userId: 1002, errorCode: 100104, param: 3, userStr: 'x' });
    expect(h.sdk.listCalls()).toEqual([]);
  });

  it('§8.2: when one party leaves the call room the call finishes for both', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    await a.callRequest(1002);
    const start = a.next('videoCallEvent', (e) => e.eventType === 3);
    await b.callReply(1001, true);
    const roomId = (await start).param;
    await a.enterRoom({ roomId });
    await b.enterRoom({ roomId });
    const finA = a.next('videoCallEvent', (e) => e.eventType === 4);
    const finB = b.next('videoCallEvent', (e) => e.eventType === 4);
    await a.leaveRoom();
    expect(await finA).toMatchObject({ eventType: 4, userId: 1002, errorCode: 0, param: roomId });
    expect(await finB).toMatchObject({ eventType: 4, userId: 1001, errorCode: 0 });
    expect(h.sdk.listCalls()).toEqual([]);
  });

  it('leaving some other room does not end the call', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    await a.enterRoom({ roomId: 5 });
    await a.callRequest(1002);
    const start = a.next('videoCallEvent', (e) => e.eventType === 3);
    await b.callReply(1001, true);
    await start;
    await a.leaveRoom();
    expect(h.sdk.listCalls()).toMatchObject([{ state: 'active' }]);
  });
});

describe('rooms', () => {
  it('§2.4: prepareEnterRoom for a room entered by name gets the id the server allocated, and that is the room entered', async () => {
    h = await startHarness();
    const seen: { roomId: number; roomName: string; allocated?: boolean }[] = [];
    h.sdk.setHook('prepareEnterRoom', (r) => {
      seen.push({ roomId: r.roomId, roomName: r.roomName, allocated: r.allocated });
      return 0;
    });
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    const ra = await a.enterRoom({ roomName: 'lobby' });
    const rb = await b.enterRoom({ roomName: 'lobby' });
    expect(seen).toEqual([
      { roomId: ra.roomId, roomName: 'lobby', allocated: true },
      { roomId: ra.roomId, roomName: 'lobby', allocated: true },
    ]);
    expect(ra.roomId).toBeGreaterThan(0);
    expect(rb.roomId).toBe(ra.roomId);
    // Concurrent entries of a new name still meet in one room.
    const [x, y] = await Promise.all([b.enterRoom({ roomName: 'fresh' }), c.enterRoom({ roomName: 'fresh' })]);
    expect(y.roomId).toBe(x.roomId);
  });

  it('a refused enter by name leaves no room behind', async () => {
    h = await startHarness();
    let refuse = true;
    const ids: number[] = [];
    h.sdk.setHook('prepareEnterRoom', (r) => {
      ids.push(r.roomId);
      return refuse ? Codes.ROOM_PASSWORD_WRONG : 0;
    });
    const a = await h.login('alice');
    await expectCode(a.enterRoom({ roomName: 'vip' }), Codes.ROOM_PASSWORD_WRONG);
    expect(h.sdk.listRooms().some((r) => r.roomName === 'vip')).toBe(false);
    refuse = false;
    const r = await a.enterRoom({ roomName: 'vip' });
    expect(r.roomId).toBe(ids[1]);
  });
});

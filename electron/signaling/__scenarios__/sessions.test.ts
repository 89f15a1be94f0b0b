import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { expectCode, rawRequest, sleep, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

describe('login / logout', () => {
  it('logs in from the user directory, reports login/logout events with reasons', async () => {
    h = await startHarness();
    const events: string[] = [];
    h.sdk.on('login', (e) => void events.push(`login ${e.userId} ${e.nickName}`));
    h.sdk.on('logout', (e) => void events.push(`logout ${e.userId} ${e.reason}`));
    const a = await h.connect();
    expect(await a.login('alice', 'alice-pw')).toEqual({ userId: 1001, userLevel: 1, nickName: 'Alice' });
    const d = await h.connect();
    expect((await d.login('dave', 'dave-pw')).nickName).toBe('dave');
    await a.logout();
    await expectCode(a.request('leaveRoom', {}), SignalingCodes.NOT_LOGGED_IN);
    d.close();
    await sleep(100);
    await h.sdk.idle();
    expect(events).toEqual(['login 1001 Alice', 'login 1004 dave', 'logout 1001 0', 'logout 1004 0']);
    expect(h.sdk.getOnlineUsers()).toEqual([]);
  });

  it('200 on bad credentials, 202 after N consecutive failures, even with the right password', async () => {
    h = await startHarness();
    const c = await h.connect();
    await expectCode(c.login('nobody', 'x'), Codes.WRONG_CREDENTIALS);
    for (let i = 0; i < 3; i++) await expectCode(c.login('bob', 'wrong'), Codes.WRONG_CREDENTIALS);
    await expectCode(c.login('bob', 'bob-pw'), Codes.ACCOUNT_LOCKED);
    expect((await c.login('alice', 'alice-pw')).userId).toBe(1001);
    await expectCode(c.login('alice', 'alice-pw'), SignalingCodes.LOGIN_TWICE);
  });

  it('guest login with an empty password when allowed, refused when not', async () => {
    h = await startHarness();
    const g = await h.connect();
    const r = await g.login('visitor', '');
    expect(r.userId).toBeGreaterThanOrEqual(1_900_000_000);
    expect(h.sdk.getOnlineUser(r.userId)?.guest).toBe(true);
    const g2 = await h.connect();
    await expectCode(g2.login('alice', ''), Codes.WRONG_CREDENTIALS);
    await h.close();
    h = await startHarness({ sdk: { guestLogin: false } });
    const g3 = await h.connect();
    await expectCode(g3.login('visitor', ''), SignalingCodes.GUEST_LOGIN_DISABLED);
  });

  it('verifyUser hook decides; a hook that hangs fails closed with 900504', async () => {
    h = await startHarness();
    h.sdk.setHook('verifyUser', async (req) => (req.userName === 'ext' ? { code: 0, userId: 5555, nickName: 'External' } : { code: 200 }));
    const c = await h.connect();
    expect(await c.login('ext', 'whatever')).toEqual({ userId: 5555, userLevel: 0, nickName: 'External' });
    h.sdk.setHook('verifyUser', () => new Promise(() => undefined));
    const c2 = await h.connect();
    await expectCode(c2.login('x', 'y'), Codes.TIMEOUT);
    h.sdk.setHook('verifyUser', () => {
      throw new Error('boom');
    });
    await expectCode(c2.login('x', 'y'), Codes.INTERNAL);
  });

  it('duplicate login, kickOld: the old session gets kicked 211 and is closed', async () => {
    h = await startHarness();
    const reasons: number[] = [];
    h.sdk.on('logout', (e) => void reasons.push(e.reason));
    const old = await h.login('alice');
    const kicked = old.next('kicked');
    const closed = old.next('close');
    const fresh = await h.login('alice');
    expect((await kicked).errorCode).toBe(211);
    await closed;
    expect(fresh.isOpen).toBe(true);
    expect(h.sdk.getOnlineUser(1001)).not.toBeNull();
    await h.sdk.idle();
    expect(reasons).toEqual([211]);
  });

  it('simultaneous logins of one user end with exactly one session online (kickOld)', async () => {
    h = await startHarness();
    const conns = await Promise.all([h.connect(), h.connect(), h.connect()]);
    await Promise.allSettled(conns.map((c) => c.login('carol', 'carol-pw')));
    await sleep(200);
    const open = conns.filter((c) => c.isOpen);
    expect(open).toHaveLength(1);
    expect(h.sdk.getOnlineUsers().map((u) => u.userId)).toEqual([1003]);
    expect((await open[0].request('getOnlineFriends', {})).friends).toEqual([]);
  });

  it('duplicate login, refuseNew: the new one gets 900211 and the old one stays', async () => {
    h = await startHarness({ sdk: { duplicateLogin: 'refuseNew' } });
    const old = await h.login('alice');
    const c = await h.connect();
    await expectCode(c.login('alice', 'alice-pw'), SignalingCodes.ALREADY_LOGGED_IN);
    expect(old.isOpen).toBe(true);
    expect((await old.request('ping', {})).serverTime).toBeGreaterThan(0);
  });

  it('kick with a ban: kicked 211, socket closes, login refused until the ban is lifted', async () => {
    h = await startHarness();
    const b = await h.login('bob');
    const kicked = b.next('kicked');
    const closed = b.next('close');
    expect(await h.sdk.kickUser(1002, { banSeconds: 60, reason: 'spam' })).toBe(true);
    expect(await kicked).toEqual({ errorCode: 211, banSeconds: 60, reason: 'spam' }); // the kicked user is told the reason
    await closed;
    expect((await h.sdk.listBans()).map((x) => [x.userId, x.reason])).toEqual([[1002, 'spam']]);
    const again = await h.connect();
    await expectCode(again.login('bob', 'bob-pw'), SignalingCodes.USER_BANNED);
    expect(await h.sdk.liftBan(1002)).toBe(true);
    expect(await h.sdk.listBans()).toEqual([]);
    expect((await again.login('bob', 'bob-pw')).userId).toBe(1002);
  });
});

describe('server messages', () => {
  it('the signaling server reports the core server connection (10) when it starts', async () => {
    const msgs: string[] = [];
    h = await startHarness({ beforeSignaling: (sdk) => void sdk.on('serverMessage', (e) => void msgs.push(`${e.msg}/${e.wParam}/${e.lParam}`)) });
    await h.sdk.idle();
    expect(msgs).toEqual(['10/0/0']);
  });
});

describe('liveness', () => {
  it('an abrupt close is logout 101; a silent client is logged out with 100', async () => {
    h = await startHarness({ signaling: { silentTimeoutSeconds: 2, pingIntervalSeconds: 60 } });
    const reasons: [number, number][] = [];
    h.sdk.on('logout', (e) => void reasons.push([e.userId, e.reason]));
    const ws = await h.raw();
    expect((await rawRequest(ws, JSON.stringify({ id: 1, method: 'login', data: { userName: 'alice', password: 'alice-pw' } }))).ok).toBe(true);
    ws.terminate();
    // A client that never answers pings and sends nothing.
    const silent = new WebSocket(h.url, { autoPong: false });
    await new Promise((r) => silent.once('open', r));
    const closed = new Promise((r) => silent.once('close', r));
    expect((await rawRequest(silent, JSON.stringify({ id: 1, method: 'login', data: { userName: 'bob', password: 'bob-pw' } }))).ok).toBe(true);
    await closed;
    await h.sdk.idle();
    expect(reasons).toEqual([
      [1001, 101],
      [1002, 100],
    ]);
  }, 15_000);

  it('pings keep a quiet client alive', async () => {
    h = await startHarness({ signaling: { silentTimeoutSeconds: 2, pingIntervalSeconds: 1 } });
    const a = await h.login('alice');
    await sleep(3500);
    expect(a.isOpen).toBe(true);
    expect(h.sdk.isOnline(1001)).toBe(true);
  }, 10_000);
});

describe('bad input', () => {
  it('answers every bad frame with a code and keeps the connection (and others) working', async () => {
    h = await startHarness();
    const other = await h.login('bob');
    const ws = await h.raw();
    expect(await rawRequest(ws, '{not json')).toEqual({ notification: 'error', data: { code: SignalingCodes.MALFORMED_FRAME, message: expect.any(String) } });
    expect(await rawRequest(ws, '[1,2]')).toMatchObject({ notification: 'error', data: { code: SignalingCodes.MALFORMED_FRAME } });
    expect(await rawRequest(ws, Buffer.from([1, 2, 3]), true)).toMatchObject({ notification: 'error', data: { code: SignalingCodes.MALFORMED_FRAME } });
    expect(await rawRequest(ws, JSON.stringify({ method: 'ping' }))).toMatchObject({ notification: 'error', data: { code: SignalingCodes.MALFORMED_FRAME } });
    expect(await rawRequest(ws, JSON.stringify({ id: 1, method: 'noSuchMethod', data: {} }))).toMatchObject({
      id: 1,
      ok: false,
      error: { code: SignalingCodes.UNKNOWN_METHOD },
    });
    expect(await rawRequest(ws, JSON.stringify({ id: 2, method: 'login', data: { userName: 5, password: [] } }))).toMatchObject({
      id: 2,
      ok: false,
      error: { code: Codes.BAD_REQUEST },
    });
    expect(await rawRequest(ws, JSON.stringify({ id: 3, method: 'login', data: 'x' }))).toMatchObject({ id: 3, ok: false, error: { code: Codes.BAD_REQUEST } });
    expect(await rawRequest(ws, JSON.stringify({ id: 4, method: 42 }))).toMatchObject({ id: 4, ok: false, error: { code: SignalingCodes.MALFORMED_FRAME } });
    expect(await rawRequest(ws, JSON.stringify({ id: 5, method: 'login', data: { userName: 'carol', password: 'carol-pw' } }))).toMatchObject({
      id: 5,
      ok: true,
    });
    expect(await rawRequest(ws, JSON.stringify({ id: 6, method: 'transBuffer', data: { targetUserId: 0, data: 'A'.repeat(2000) } }))).toMatchObject({
      id: 6,
      ok: false,
      error: { code: SignalingCodes.PAYLOAD_TOO_LARGE },
    });
    expect(await rawRequest(ws, JSON.stringify({ id: 7, method: 'transBuffer', data: { targetUserId: 0, data: '***' } }))).toMatchObject({
      id: 7,
      ok: false,
      error: { code: Codes.BAD_REQUEST },
    });
    expect(await rawRequest(ws, JSON.stringify({ id: 8, method: 'ping', data: {} }))).toMatchObject({ id: 8, ok: true });
    expect((await other.request('ping', {})).serverTime).toBeGreaterThan(0);
  });

  it('a flood gets 900429 errors; the connection recovers', async () => {
    h = await startHarness({ signaling: { maxRequestsPerSecond: 20 } });
    const c = await h.login('alice');
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => c.request('ping', {})));
    const refused = results.filter((r) => r.status === 'rejected' && (r.reason as { code: number }).code === Codes.TOO_MANY_REQUESTS).length;
    expect(refused).toBeGreaterThan(20);
    await sleep(1100);
    expect((await c.request('ping', {})).serverTime).toBeGreaterThan(0);
  });

  it('a frame over the hard cap closes only that socket, with a reason', async () => {
    h = await startHarness({ signaling: { maxFrameBytes: 64 * 1024 } });
    const other = await h.login('bob');
    const ws = await h.raw();
    const closed = new Promise<[number, string]>((r) => ws.once('close', (code, reason) => r([code, reason.toString()])));
    ws.send('x'.repeat(100 * 1024));
    const [code, reason] = await closed;
    expect(code).toBe(1009); // "Message Too Big"
    expect(typeof reason).toBe('string');
    expect((await other.request('ping', {})).serverTime).toBeGreaterThan(0);
    const c = await AnyChatClient.connect(h.url, (u) => new WebSocket(u) as unknown as SocketLike);
    expect((await c.request('ping', {})).serverTime).toBeGreaterThan(0);
    c.close();
  });
});

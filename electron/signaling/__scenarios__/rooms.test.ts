import { afterEach, describe, expect, it } from 'vitest';
import { CodedError, Codes, SignalingCodes } from '../../../shared/codes';
import { base64ToBytes, bytesToText, textToBytes } from '../../../shared/protocol/base64';
import { expectCode, sleep, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

describe('rooms and messages', () => {
  it('enter by id and by name, userEntered/userLeft, enter/leave events, room list', async () => {
    h = await startHarness();
    const events: string[] = [];
    h.sdk.on('enterRoom', (e) => void events.push(`enter ${e.userId} ${e.roomId}`));
    h.sdk.on('leaveRoom', (e) => void events.push(`leave ${e.userId} ${e.roomId}`));
    const a = await h.login('alice');
    const b = await h.login('bob');
    expect(await a.enterRoom({ roomId: 7 })).toEqual({ roomId: 7, users: [{ userId: 1001, nickName: 'Alice', role: 'interactive' }] });
    const entered = a.next('userEntered');
    const r = await b.enterRoom({ roomId: 7, role: 'audience' });
    expect(r.users.map((u) => u.userId)).toEqual([1001, 1002]);
    expect(await entered).toEqual({ roomId: 7, userId: 1002, nickName: 'Bob', role: 'audience' });
    expect(h.sdk.listRooms()).toEqual([
      {
        roomId: 7,
        roomName: '',
        users: [
          { userId: 1001, nickName: 'Alice', role: 'interactive' },
          { userId: 1002, nickName: 'Bob', role: 'audience' },
        ],
      },
    ]);
    const left = a.next('userLeft');
    await b.leaveRoom();
    expect(await left).toEqual({ roomId: 7, userId: 1002, reason: 0 });
    await expectCode(b.leaveRoom(), SignalingCodes.NOT_IN_ROOM);
    const named = await b.enterRoom({ roomName: 'lobby' });
    expect(named.roomId).toBeGreaterThanOrEqual(1_000_000);
    const c = await h.login('carol');
    expect((await c.enterRoom({ roomName: 'lobby' })).roomId).toBe(named.roomId);
    await expectCode(c.enterRoom({}), Codes.BAD_REQUEST);
    await h.sdk.idle();
    expect(events).toEqual(['enter 1001 7', 'enter 1002 7', 'leave 1002 7', `enter 1002 ${named.roomId}`, `enter 1003 ${named.roomId}`]);
  });

  it('prepareEnterRoom can refuse, allocate an id, set the role; a slow hook fails closed', async () => {
    h = await startHarness();
    h.sdk.setHook('prepareEnterRoom', (req) => {
      if (req.password !== 'secret') return 403;
      return req.roomName ? { code: 0, roomId: 4242, role: 'audience' } : 0;
    });
    const a = await h.login('alice');
    await expectCode(a.enterRoom({ roomId: 1, password: 'nope' }), 403);
    expect(await a.enterRoom({ roomName: 'vip', password: 'secret' })).toEqual({
      roomId: 4242,
      users: [{ userId: 1001, nickName: 'Alice', role: 'audience' }],
    });
    h.sdk.setHook('prepareEnterRoom', () => new Promise(() => undefined));
    await expectCode(a.enterRoom({ roomId: 2 }), Codes.TIMEOUT);
  });

  it('text: to everyone, to one (public), whisper reaches only its target; textMessage event', async () => {
    h = await startHarness();
    const logs: string[] = [];
    h.sdk.on('textMessage', (e) => void logs.push(`${e.srcUserId}->${e.targetUserId}${e.secret ? ' (secret)' : ''}: ${e.text}`));
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    for (const x of [a, b, c]) await x.enterRoom({ roomId: 9 });
    const got = { b: [] as string[], c: [] as string[], a: [] as string[] };
    a.on('textMessage', (m) => got.a.push(m.text));
    b.on('textMessage', (m) => got.b.push(m.text));
    c.on('textMessage', (m) => got.c.push(m.text));
    await a.sendTextMessage(-1, 'hello all');
    await a.sendTextMessage(1002, 'hi bob (public)');
    await a.sendTextMessage(1002, 'psst bob', true);
    await expectCode(a.sendTextMessage(9999, 'nobody'), SignalingCodes.USER_OFFLINE);
    await expectCode(a.sendTextMessage(-1, 'x'.repeat(5000)), SignalingCodes.PAYLOAD_TOO_LARGE);
    await sleep(100);
    expect(got.b).toEqual(['hello all', 'hi bob (public)', 'psst bob']);
    expect(got.c).toEqual(['hello all', 'hi bob (public)']);
    expect(got.a).toEqual([]);
    const d = await h.login('dave');
    await expectCode(d.sendTextMessage(-1, 'x'), SignalingCodes.NOT_IN_ROOM);
    await h.sdk.idle();
    expect(logs).toEqual(['1001->-1: hello all', '1001->1002: hi bob (public)', '1001->1002 (secret): psst bob']);
  });

  it('SDK filter data both ways; sendBufToRoom -1 reaches everyone; transBuffer user↔user and to/from the server', async () => {
    h = await startHarness();
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    await a.enterRoom({ roomId: 3 });
    await b.enterRoom({ roomId: 3 });
    const filter: string[] = [];
    h.sdk.on('filterData', (e) => void filter.push(`${e.userId}:${bytesToText(e.data)}`));
    await a.sendSDKFilterData(textToBytes('cmd:1'));
    await expectCode(a.sendSDKFilterData(new Uint8Array(1025)), SignalingCodes.PAYLOAD_TOO_LARGE);
    const toB = b.next('sdkFilterData');
    h.sdk.sendBufToUser(1002, textToBytes('just bob'));
    expect(bytesToText(base64ToBytes((await toB).data)!)).toBe('just bob');
    const roomA = a.next('sdkFilterData');
    const roomB = b.next('sdkFilterData');
    expect(h.sdk.sendBufToRoom(3, textToBytes('room 3'))).toBe(2);
    expect(bytesToText(base64ToBytes((await roomA).data)!)).toBe('room 3');
    await roomB;
    const all = [a, b, c].map((x) => x.next('sdkFilterData'));
    expect(h.sdk.sendBufToRoom(-1, textToBytes('everyone'))).toBe(3);
    for (const p of all) expect(bytesToText(base64ToBytes((await p).data)!)).toBe('everyone');
    expect(() => h.sdk.sendBufToUser(1002, new Uint8Array(1025))).toThrow(CodedError);
    expect(() => h.sdk.sendBufToUser(4242, new Uint8Array(1))).toThrow(/not online/);

    const tb: string[] = [];
    h.sdk.on('transBuffer', (e) => void tb.push(`${e.userId}:${bytesToText(e.data)}`));
    const cGets = c.next('transBuffer');
    await a.transBuffer(1003, textToBytes('to carol, no room needed'));
    expect(await cGets).toEqual({ srcUserId: 1001, data: expect.any(String) });
    await a.transBuffer(0, textToBytes('to server'));
    await expectCode(a.transBuffer(1003, new Uint8Array(1025)), SignalingCodes.PAYLOAD_TOO_LARGE);
    await expectCode(a.transBuffer(5555, new Uint8Array(1)), SignalingCodes.USER_OFFLINE);
    const fromServer = b.next('transBuffer');
    h.sdk.transBuffer(1002, textToBytes('srv'));
    expect((await fromServer).srcUserId).toBe(0);
    await h.sdk.idle();
    expect(filter).toEqual(['1001:cmd:1']);
    expect(tb).toEqual(['1001:to server']);
  });

  it('IM friends: friend list with online state on login, online/offline news to friends (seed §8.1)', async () => {
    h = await startHarness();
    await h.sdk.userInfoControl(1001, 20, 1, 0, 'Work');
    await h.sdk.userInfoControl(1001, 22, 1002);
    await h.sdk.userInfoControl(1001, 22, 1003);
    await h.sdk.userInfoControl(1001, 24, 1, 1002);
    await h.sdk.userInfoControl(1002, 22, 1001);
    const b = await h.login('bob');
    const aConn = await h.connect();
    const list = aConn.next('friendList');
    const bobHears = b.next('friendStatus');
    await aConn.login('alice', 'alice-pw');
    expect(await list).toEqual({
      friends: [
        { userId: 1002, nickName: 'Bob', online: true, groupId: 1 },
        { userId: 1003, nickName: 'Carol', online: false, groupId: 0 },
      ],
      groups: [{ groupId: 1, name: 'Work' }],
    });
    expect(await bobHears).toEqual({ userId: 1001, online: true });
    const off = b.next('friendStatus');
    aConn.close();
    expect(await off).toEqual({ userId: 1001, online: false });
    await h.sdk.userInfoControl(1001, 23, 1003);
    await h.sdk.userInfoControl(1001, 21, 1);
    const a2 = await h.connect();
    const list2 = a2.next('friendList');
    await a2.login('alice', 'alice-pw');
    expect(await list2).toEqual({ friends: [{ userId: 1002, nickName: 'Bob', online: true, groupId: 0 }], groups: [] });
    expect(await a2.request('getOnlineFriends', {})).toEqual({ friends: [{ userId: 1002, nickName: 'Bob', online: true, groupId: 0 }], groups: [] });
    // A client edits its own list (ctrl 22/20/24 default behaviour).
    await b.userInfoControl(0, 22, 1003);
    await b.userInfoControl(0, 20, 5, 0, 'Pals');
    await b.userInfoControl(0, 24, 5, 1003);
    expect(await b.request('getOnlineFriends', {})).toEqual({
      friends: [
        { userId: 1001, nickName: 'Alice', online: true, groupId: 0 },
        { userId: 1003, nickName: 'Carol', online: false, groupId: 5 },
      ],
      groups: [{ groupId: 5, name: 'Pals' }],
    });
  });

  it('user info set/get/sync; userInfoControl hook, app-defined codes, kick via code 1', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    await h.sdk.setUserInfo(1001, 5, 'likes tea');
    expect(await h.sdk.getUserInfo(1001, 5)).toBe('likes tea');
    expect(await h.sdk.getUserInfo(1001, 6)).toBeNull();
    expect(await b.request('getUserInfo', { userId: 1001, infoId: 5 })).toEqual({ value: 'likes tea' });
    const sync = a.next('userInfo');
    await h.sdk.userInfoControl(1001, 2);
    expect(await sync).toEqual({ userId: 1001, infoId: 5, value: 'likes tea' });
    const app = b.next('userInfoControl');
    await h.sdk.userInfoControl(1002, 150, 1, 2, 'x');
    expect(await app).toEqual({ srcUserId: 0, ctrlCode: 150, wParam: 1, lParam: 2, strValue: 'x' });
    await expect(h.sdk.userInfoControl(1002, 50)).rejects.toMatchObject({ code: Codes.BAD_REQUEST });
    const seen: number[] = [];
    h.sdk.on('userInfoControl', (e) => void seen.push(e.ctrlCode * 1000 + e.resultCode));
    const fromA = b.next('userInfoControl');
    await a.userInfoControl(1002, 101, 7);
    expect(await fromA).toMatchObject({ srcUserId: 1001, ctrlCode: 101, wParam: 7 });
    await expectCode(a.userInfoControl(1002, 1), Codes.FORBIDDEN);
    h.sdk.setHook('userInfoControl', (r) => (r.ctrlCode === 102 ? 777 : 'default'));
    await expectCode(a.userInfoControl(1002, 102), 777);
    await h.sdk.idle();
    expect(seen).toEqual([101000, 1000 + Codes.FORBIDDEN, 102777]);
    const kicked = b.next('kicked');
    await h.sdk.userInfoControl(1002, 1);
    expect((await kicked).errorCode).toBe(211);
  });

  it('extension points: registered client methods, pushToRoom, removeFromRoom, getSDKVersion, timer, server messages', async () => {
    h = await startHarness();
    h.sdk.registerClientMethod('micRequest', async (userId, data) => {
      if (data.fail) throw new CodedError(417, 'nope');
      return { state: 'seated', seat: 1, userId };
    });
    expect(() => h.sdk.registerClientMethod('login', () => ({}))).toThrow();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    expect(await a.request('micRequest', {})).toEqual({ state: 'seated', seat: 1, userId: 1001 });
    await expectCode(a.request('micRequest', { fail: true }), 417);
    const anon = await h.connect();
    await expectCode(anon.request('micRequest', {}), SignalingCodes.NOT_LOGGED_IN);
    await a.enterRoom({ roomId: 5 });
    await b.enterRoom({ roomId: 5 });
    const ms = b.next('micState');
    expect(h.sdk.pushToRoom(5, 'micState', { roomId: 5, seats: [], queue: [] })).toBe(2);
    expect(await ms).toEqual({ roomId: 5, seats: [], queue: [] });
    const selfLeft = b.next('userLeft');
    const aSees = a.next('userLeft');
    expect(await h.sdk.removeFromRoom(1002, Codes.FORBIDDEN)).toBe(true);
    expect(await selfLeft).toEqual({ roomId: 5, userId: 1002, reason: Codes.FORBIDDEN });
    expect((await aSees).userId).toBe(1002);
    expect(h.sdk.setUserRole(1001, 'audience')).toBe(true);
    expect(h.sdk.getOnlineUser(1001)?.role).toBe('audience');
    expect(h.sdk.getRoom(5)?.users).toEqual([{ userId: 1001, nickName: 'Alice', role: 'audience' }]);
    expect(h.sdk.setUserRole(1002, 'audience')).toBe(false);
    expect(h.sdk.getSDKVersion().version).toMatch(/\d+\.\d+\.\d+/);
    const ticks: number[] = [];
    h.sdk.on('timer', (e) => void ticks.push(e.at));
    h.sdk.setTimer(50);
    await sleep(200);
    h.sdk.setTimer(0);
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    const msgs: number[] = [];
    h.sdk.on('serverMessage', (e) => void msgs.push(e.msg));
    h.sdk.reportServerMessage(14, 0, 1);
    await h.sdk.idle();
    expect(msgs).toEqual([14]);
  });

  it('events are delivered one at a time, in order, even with async handlers', async () => {
    h = await startHarness();
    const seen: string[] = [];
    let inFlight = 0;
    h.sdk.on('login', async (e) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await sleep(30);
      seen.push(`login ${e.userId}`);
      inFlight--;
    });
    h.sdk.on('logout', async (e) => {
      inFlight++;
      expect(inFlight).toBe(1);
      await sleep(5);
      seen.push(`logout ${e.userId}`);
      inFlight--;
    });
    const a = await h.login('alice');
    const b = await h.login('bob');
    await a.logout();
    await b.logout();
    await h.sdk.idle();
    expect(seen).toEqual(['login 1001', 'login 1002', 'logout 1001', 'logout 1002']);
  });
});

/**
 * Rooms over real sockets (seeds/nim-multiparty-rooms.txt): create by name (417), enter by id or
 * name, password, capacity, roles switchable at any time, people-status notifications, end when
 * empty (name reusable), the chat log, call rooms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { VideoCallEvent } from '../../sdk';
import { collect, eventually, expectCode, startBusiness, uid, type BizHarness } from './harness';

let h: BizHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe('rooms (real sockets)', () => {
  it('creates by name (417 when taken), enters by name or id, and ends with its last member', async () => {
    h = await startBusiness();
    const [a, b, c] = [await h.login(1), await h.login(2), await h.login(3)];
    const { roomId } = (await a.request('createRoom', { roomName: 'meet' })) as { roomId: number };
    await expectCode(b.request('createRoom', { roomName: 'meet' }), Codes.ROOM_ALREADY_EXISTS);
    await expectCode(b.request('createRoom', { roomName: '' }), Codes.BAD_REQUEST);
    const entered = await a.enterRoom({ roomName: 'meet' });
    expect(entered.roomId).toBe(roomId);
    const bEnter = a.next('userEntered', (d) => d.userId === uid(2));
    expect((await b.enterRoom({ roomId })).users.map((u) => u.userId).sort()).toEqual([uid(1), uid(2)]);
    expect(await bEnter).toMatchObject({ roomId, userId: uid(2), nickName: 'User 2', role: 'interactive' });
    // Entering an unknown name creates it (AutoAddRoom); the server allocates the id.
    const other = await c.enterRoom({ roomName: 'elsewhere' });
    expect(other.roomId).not.toBe(roomId);
    expect(
      h.business
        .listRooms()
        .map((r) => r.name)
        .sort(),
    ).toEqual(['elsewhere', 'meet']);

    const aLeft = b.next('userLeft', (d) => d.userId === uid(1));
    await a.leaveRoom();
    expect(await aLeft).toMatchObject({ roomId, userId: uid(1), reason: 0 });
    await b.leaveRoom();
    await eventually(() => expect(h!.business.listRooms().map((r) => r.name)).toEqual(['elsewhere']));
    const again = (await a.request('createRoom', { roomName: 'meet' })) as { roomId: number };
    expect(again.roomId).not.toBe(roomId);
  });

  it('a room created ahead but never entered ends after emptyRoomSeconds', async () => {
    h = await startBusiness({ rooms: { emptyRoomSeconds: 60 } });
    const a = await h.login(1);
    const ended: number[] = [];
    h.business.on('roomChanged', (r) => r.removed && ended.push(r.roomId));
    const { roomId } = (await a.request('createRoom', { roomName: 'later' })) as { roomId: number };
    const kept = await h.business.createRoom({ name: 'kept' });
    await a.enterRoom({ roomId: kept.roomId });
    h.clock.advance(30_000);
    expect(
      h.business
        .listRooms()
        .map((r) => r.name)
        .sort(),
    ).toEqual(['kept', 'later']);
    h.clock.advance(40_000);
    expect(ended).toEqual([roomId]);
    expect(h.business.listRooms().map((r) => r.name)).toEqual(['kept']);
    await expectCode(a.request('createRoom', { roomName: 'kept' }), Codes.ROOM_ALREADY_EXISTS);
    expect(((await a.request('createRoom', { roomName: 'later' })) as { roomId: number }).roomId).not.toBe(roomId);
  });

  it('close() unhooks the layer from the SDK and is idempotent', async () => {
    h = await startBusiness();
    const a = await h.login(1);
    h.business.close();
    h.business.close();
    await expectCode(a.request('micRequest', {}), SignalingCodes.UNKNOWN_METHOD);
    expect((await a.enterRoom({ roomName: 'plain' })).roomId).toBeGreaterThan(0);
    expect(h.business.listRooms()).toEqual([]);
  });

  it('people status: a silent user is a timeout leave (reason 100) for the others', async () => {
    h = await startBusiness({ signaling: { pingIntervalSeconds: 1, silentTimeoutSeconds: 2 } });
    const a = await h.login(1);
    const b = await h.login(2);
    const { roomId } = await a.enterRoom({ roomName: 'net' });
    await b.enterRoom({ roomId });
    await b.request('micRequest', {});
    const left = a.next('userLeft', (d) => d.userId === uid(2), 8000);
    // Stop reading b's socket: no pongs, no frames — the server hears nothing from it.
    (h.socketOf(b) as unknown as { _socket: { pause(): void } })._socket.pause();
    expect(await left).toEqual({ roomId, userId: uid(2), reason: Codes.LOGOUT_NETWORK_TIMEOUT });
    await eventually(() => expect(h!.business.micState(roomId).seats.map((s) => s.userId)).toEqual([null, null]));
  }, 15_000);

  it('checks room password and capacity; a dropped user frees a place', async () => {
    h = await startBusiness({ rooms: { autoCreate: false } });
    const cs = [await h.login(1), await h.login(2), await h.login(3), await h.login(4)];
    await expectCode(cs[0]!.enterRoom({ roomName: 'nowhere' }), Codes.ROOM_NOT_FOUND);
    await cs[0]!.request('createRoom', { roomName: 'vip', password: 'open sesame', capacity: 2 });
    await expectCode(cs[0]!.enterRoom({ roomName: 'vip' }), Codes.ROOM_PASSWORD_WRONG);
    await expectCode(cs[0]!.enterRoom({ roomName: 'vip', password: 'nope' }), Codes.ROOM_PASSWORD_WRONG);
    await cs[0]!.enterRoom({ roomName: 'vip', password: 'open sesame' });
    await cs[1]!.enterRoom({ roomName: 'vip', password: 'open sesame' });
    await expectCode(cs[2]!.enterRoom({ roomName: 'vip', password: 'open sesame' }), Codes.ROOM_FULL);
    await expectCode(cs[2]!.request('createRoom', { roomName: 'big', capacity: 1_000_000 }), Codes.BAD_REQUEST);
    // The operator view.
    const room = h.business.listRooms().find((r) => r.name === 'vip')!;
    expect(room).toMatchObject({ capacity: 2, hasPassword: true, userCount: 2, seatCount: 2, isCallRoom: false });
    const detail = h.business.roomDetail(room.roomId);
    expect(detail.users.map((u) => u.nickName).sort()).toEqual(['User 1', 'User 2']);
    expect(detail.mic.seats).toHaveLength(2);
    // A dropped socket: the others see userLeft and a place is free again.
    const gone = cs[0]!.next('userLeft', (d) => d.userId === uid(2));
    cs[1]!.close();
    expect(await gone).toMatchObject({ roomId: room.roomId, userId: uid(2) });
    await cs[2]!.enterRoom({ roomName: 'vip', password: 'open sesame' });
  });

  it('roles switch at any time and the room hears it; audience is what enterRoom asked for', async () => {
    h = await startBusiness();
    const a = await h.login(1);
    const b = await h.login(2);
    const { roomId } = await a.enterRoom({ roomName: 'r', role: 'audience' });
    await b.enterRoom({ roomId });
    const heard = b.next('userRoleChanged' as 'userEntered', (d) => d.userId === uid(1));
    expect(await a.request('setRole', { role: 'interactive' })).toEqual({ roomId, role: 'interactive' });
    expect(await heard).toEqual({ roomId, userId: uid(1), role: 'interactive' });
    expect(h.business.roomDetail(roomId).users.find((u) => u.userId === uid(1))?.role).toBe('interactive');
    await expectCode(a.request('setRole', { role: 'boss' }), Codes.BAD_REQUEST);
    const c = await h.login(3);
    await expectCode(c.request('setRole', { role: 'audience' }), SignalingCodes.NOT_IN_ROOM);
  });

  it('keeps the chat log of rooms that have it on, in the store', async () => {
    h = await startBusiness({ rooms: { chatLog: true } });
    const a = await h.login(1);
    const b = await h.login(2);
    const { roomId } = await a.enterRoom({ roomName: 'talk' });
    await b.enterRoom({ roomId });
    await a.sendTextMessage(-1, 'hello everyone');
    await b.sendTextMessage(uid(1), 'psst', true);
    await eventually(async () => expect((await h!.business.chatHistory({ roomName: 'talk' })).map((e) => e.text)).toEqual(['psst', 'hello everyone']));
    const [psst] = await h.business.chatHistory({ roomId });
    expect(psst).toMatchObject({ roomId, roomName: 'talk', srcUserId: uid(2), targetUserId: uid(1), secret: true });
    // Operator-created room with the log off: nothing is kept.
    await h.business.createRoom({ name: 'quiet', chatLog: false });
    await a.enterRoom({ roomName: 'quiet' });
    await a.sendTextMessage(-1, 'not kept');
    await h.sdk.idle();
    expect(await h.business.chatHistory({ roomName: 'quiet' })).toEqual([]);
  });

  it('a call room admits only its parties and is torn down for both when the server finishes the call', async () => {
    h = await startBusiness();
    const a = await h.login(1);
    const b = await h.login(2);
    const c = await h.login(3);
    const request = b.next('videoCallEvent', (d) => d.eventType === VideoCallEvent.REQUEST);
    await a.callRequest(uid(2));
    await request;
    const startA = a.next('videoCallEvent', (d) => d.eventType === VideoCallEvent.START);
    const startB = b.next('videoCallEvent', (d) => d.eventType === VideoCallEvent.START);
    await b.callReply(uid(1), true);
    const roomId = (await startA).param;
    expect((await startB).param).toBe(roomId);
    await a.enterRoom({ roomId });
    await b.enterRoom({ roomId });
    await expectCode(c.enterRoom({ roomId }), Codes.ROOM_PRIVATE);
    await expectCode(a.request('micRequest', {}), Codes.MIC_UNAVAILABLE);
    expect(h.business.listRooms().find((r) => r.roomId === roomId)).toMatchObject({ isCallRoom: true, userCount: 2 });

    const finA = a.next('videoCallEvent', (d) => d.eventType === VideoCallEvent.FINISH);
    const finB = b.next('videoCallEvent', (d) => d.eventType === VideoCallEvent.FINISH);
    const leftA = collect(a, 'userLeft');
    const leftB = collect(b, 'userLeft');
    h.sdk.videoCallControl(VideoCallEvent.FINISH, uid(1));
    expect((await finA).param).toBe(roomId);
    expect((await finB).param).toBe(roomId);
    await eventually(() => {
      expect(leftA.some((d) => d.userId === uid(1))).toBe(true);
      expect(leftB.some((d) => d.userId === uid(2))).toBe(true);
    });
    await eventually(() => expect(h!.business.listRooms().some((r) => r.roomId === roomId)).toBe(false));
    expect(h.sdk.getOnlineUser(uid(1))?.roomId).toBeNull();
    expect(h.sdk.getOnlineUser(uid(2))?.roomId).toBeNull();
  });

  it('custom_info given at createRoom reaches every member who enters (NIM seed)', async () => {
    h = await startBusiness();
    const [a, b] = [await h.login(1), await h.login(2)];
    const { roomId } = (await a.request('createRoom', { roomName: 'briefing', customInfo: '{"topic":"Q3"}' })) as { roomId: number };
    for (const [c, how] of [
      [a, { roomId }],
      [b, { roomName: 'briefing' }],
    ] as const) {
      const info = c.next('roomCustomInfo');
      await c.enterRoom(how);
      expect(await info).toEqual({ roomId, customInfo: '{"topic":"Q3"}' });
    }
    await expectCode(a.request('createRoom', { roomName: 'big', customInfo: 'x'.repeat(5000) }), Codes.BAD_REQUEST);
  });

  it('entering a name again while an operator-closed room of that name is still emptying gets a new room', async () => {
    h = await startBusiness();
    const [a, b] = [await h.login(1), await h.login(2)];
    const { roomId } = await a.enterRoom({ roomName: 'hall' });
    const closing = h.business.closeRoom(roomId);
    const again = await b.enterRoom({ roomName: 'hall' });
    await closing;
    expect(again.roomId).not.toBe(roomId);
    expect(h.business.listRooms().find((r) => r.name === 'hall')?.roomId).toBe(again.roomId);
  });
});

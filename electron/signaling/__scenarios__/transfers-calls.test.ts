import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Codes, SignalingCodes } from '../../../shared/codes';
import { base64ToBytes, bytesToBase64 } from '../../../shared/protocol/base64';
import type { SdkEvents } from '../../sdk';
import { expectCode, sleep, startHarness, type Harness } from './harness';

let h: Harness;
afterEach(async () => h?.close());

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

describe('transBufferEx and files', () => {
  it('1 MiB transBufferEx user→user arrives intact with wParam/lParam/flags; progress reported', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    const data = new Uint8Array(randomBytes(1024 * 1024));
    const got = b.next('transBufferEx', () => true, 20_000);
    const progress: number[] = [];
    const taskId = await a.transBufferEx(1002, data, { wParam: 11, lParam: 22, flags: 4, onProgress: (p) => progress.push(p.sent) });
    const r = await got;
    expect(r.srcUserId).toBe(1001);
    expect([r.wParam, r.lParam, r.flags]).toEqual([11, 22, 4]);
    expect(md5(r.data)).toBe(md5(data));
    expect(progress.at(-1)).toBe(data.length);
    expect(h.sdk.getTaskInfo(taskId)).toMatchObject({ progress: 100, state: 'done', direction: 'fromClient' });
    await expectCode(a.transBufferEx(1002, new Uint8Array(1024 * 1024 + 1)), SignalingCodes.PAYLOAD_TOO_LARGE);
    await expectCode(a.request('transferBegin', { kind: 'bufferEx', targetUserId: 1002, size: 1024 * 1024 + 1 }), SignalingCodes.PAYLOAD_TOO_LARGE);
  }, 30_000);

  it('transBufferEx client→server event and server→client with task id and progress', async () => {
    h = await startHarness();
    const a = await h.login('alice');
    const events: SdkEvents['transBufferEx'][] = [];
    h.sdk.on('transBufferEx', (e) => void events.push(e));
    const data = new Uint8Array(randomBytes(200_000));
    const taskId = await a.transBufferEx(0, data, { wParam: 1, lParam: 2 });
    await h.sdk.idle();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ userId: 1001, wParam: 1, lParam: 2, taskId });
    expect(md5(events[0].data)).toBe(md5(data));

    const fin: SdkEvents['transferFinished'][] = [];
    h.sdk.on('transferFinished', (e) => void fin.push(e));
    const got = a.next('transBufferEx');
    const out = new Uint8Array(randomBytes(300_000));
    const t2 = h.sdk.transBufferEx(1001, out, { wParam: 9 });
    const r = await got;
    expect(r).toMatchObject({ srcUserId: 0, taskId: t2, wParam: 9 });
    expect(md5(r.data)).toBe(md5(out));
    await sleep(100);
    await h.sdk.idle();
    expect(h.sdk.getTaskInfo(t2)).toMatchObject({ progress: 100, state: 'done', direction: 'toClient' });
    expect(fin).toEqual([{ taskId: t2, userId: 1001, kind: 'bufferEx', errorCode: 0 }]);
    expect(() => h.sdk.transBufferEx(1001, new Uint8Array(1024 * 1024 + 1))).toThrow(/exceeds|above/);
  });

  it('a file sent each way arrives byte-identical; the server keeps the temp file until business code deletes it', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    const file = new Uint8Array(randomBytes(700_000));
    // client → server
    const received: SdkEvents['fileReceived'][] = [];
    h.sdk.on('fileReceived', (e) => void received.push(e));
    const t1 = await a.sendFile(0, 'report.bin', file, { wParam: 3 });
    await h.sdk.idle();
    expect(received[0]).toMatchObject({ userId: 1001, fileName: 'report.bin', fileLength: file.length, wParam: 3, taskId: t1 });
    expect(md5(readFileSync(received[0].tempFilePath))).toBe(md5(file));
    await sleep(50);
    expect(existsSync(received[0].tempFilePath)).toBe(true);
    rmSync(received[0].tempFilePath);
    // server → client
    const src = path.join(h.dataDir, 'to-bob.dat');
    writeFileSync(src, file);
    const got = b.next('fileReceived');
    const t2 = await h.sdk.transFile(1002, src, { lParam: 5 });
    const r = await got;
    expect(r).toMatchObject({ srcUserId: 0, fileName: 'to-bob.dat', lParam: 5, taskId: t2 });
    expect(md5(r.data)).toBe(md5(file));
    await expect(h.sdk.transFile(1002, path.join(h.dataDir, 'missing'))).rejects.toMatchObject({ code: Codes.NOT_FOUND });
    // client → client (relayed), and the relay temp file is removed after delivery
    const bGets = b.next('fileReceived');
    await a.sendFile(1002, '../../etc/passwd', file);
    const rr = await bGets;
    expect(rr.fileName).toBe('.._.._etc_passwd');
    expect(md5(rr.data)).toBe(md5(file));
    // empty file
    const empty = b.next('fileReceived');
    await a.sendFile(1002, 'empty.txt', new Uint8Array(0));
    expect((await empty).data.length).toBe(0);
  });

  it('uploads are resumable within the session; bad offsets, unknown tasks, size limits are coded errors', async () => {
    h = await startHarness({ sdk: { maxFileBytes: 100_000 } });
    const a = await h.login('alice');
    await expectCode(a.request('transferBegin', { kind: 'file', targetUserId: 0, size: 100_001, fileName: 'big' }), SignalingCodes.PAYLOAD_TOO_LARGE);
    await expectCode(a.request('transferBegin', { kind: 'file', targetUserId: 4444, size: 1, fileName: 'x' }), SignalingCodes.USER_OFFLINE);
    const data = new Uint8Array(randomBytes(90_000));
    const { taskId, chunkBytes } = await a.request('transferBegin', { kind: 'file', targetUserId: 0, size: data.length, fileName: 'r.bin' });
    await a.request('transferChunk', { taskId, offset: 0, data: bytesToBase64(data.subarray(0, chunkBytes)) });
    await expectCode(a.request('transferChunk', { taskId, offset: 0, data: bytesToBase64(data.subarray(0, 10)) }), SignalingCodes.TRANSFER_BAD_OFFSET);
    await expectCode(a.request('transferChunk', { taskId: 999, offset: 0, data: '' }), SignalingCodes.TRANSFER_NOT_FOUND);
    // "resume": ask where we are, continue from there
    const st = await a.request('transferStatus', { taskId });
    expect(st).toEqual({ taskId, received: chunkBytes, size: data.length, state: 'running' });
    const got: SdkEvents['fileReceived'][] = [];
    h.sdk.on('fileReceived', (e) => void got.push(e));
    const r = await a.request('transferChunk', { taskId, offset: st.received, data: bytesToBase64(data.subarray(st.received)) });
    expect(r).toEqual({ received: data.length, done: true });
    await h.sdk.idle();
    expect(md5(readFileSync(got[0].tempFilePath))).toBe(md5(data));
    // at most 8 open uploads per user
    const open = [];
    for (let i = 0; i < 8; i++) open.push((await a.request('transferBegin', { kind: 'bufferEx', targetUserId: 0, size: 10 })).taskId);
    await expectCode(a.request('transferBegin', { kind: 'bufferEx', targetUserId: 0, size: 10 }), Codes.TOO_MANY_REQUESTS);
    for (const id of open.slice(1)) await a.request('transferCancel', { taskId: id });
    // cancel
    const t2 = { taskId: open[0] };
    await a.request('transferCancel', { taskId: t2.taskId });
    expect((await a.request('transferStatus', { taskId: t2.taskId })).state).toBe('cancelled');
  });

  it('downloads are kept until acked and resume from the offset the client asks for', async () => {
    h = await startHarness();
    const ws = await h.raw();
    const frames: Record<string, unknown>[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString()) as Record<string, unknown>));
    ws.send(JSON.stringify({ id: 1, method: 'login', data: { userName: 'alice', password: 'alice-pw' } }));
    await waitFrames(frames, (f) => f.id === 1);
    const out = new Uint8Array(randomBytes(150_000));
    const taskId = h.sdk.transBufferEx(1001, out, { wParam: 1 });
    await waitFrames(frames, (f) => f.notification === 'transferEnd');
    const offsets = () => frames.filter((f) => f.notification === 'transferChunk').map((f) => (f.data as { offset: number }).offset);
    expect(offsets()).toEqual([0, 65536, 131072]);
    expect(h.sdk.getTaskInfo(taskId)).toMatchObject({ state: 'running', transferredBytes: 150_000 });
    frames.length = 0;
    ws.send(JSON.stringify({ id: 2, method: 'transferResume', data: { taskId, offset: 65536 } }));
    await waitFrames(frames, (f) => f.notification === 'transferEnd');
    expect(offsets()).toEqual([65536, 131072]);
    const tail = frames.filter((f) => f.notification === 'transferChunk').map((f) => base64ToBytes((f.data as { data: string }).data)!);
    expect(md5(Buffer.concat(tail))).toBe(md5(out.subarray(65536)));
    ws.send(JSON.stringify({ id: 3, method: 'transferAck', data: { taskId } }));
    await waitFrames(frames, (f) => f.id === 3);
    expect(h.sdk.getTaskInfo(taskId)).toMatchObject({ state: 'done', progress: 100 });
    ws.send(JSON.stringify({ id: 4, method: 'transferResume', data: { taskId, offset: 0 } }));
    expect(await waitFrames(frames, (f) => f.id === 4)).toMatchObject({ ok: false, error: { code: SignalingCodes.TRANSFER_NOT_FOUND } });
    // A download the client cancels ends with 900703; the business side hears transferFinished.
    const fin: SdkEvents['transferFinished'][] = [];
    h.sdk.on('transferFinished', (e) => void fin.push(e));
    frames.length = 0;
    const t2 = h.sdk.transBufferEx(1001, out);
    await waitFrames(frames, (f) => f.notification === 'transferEnd');
    ws.send(JSON.stringify({ id: 5, method: 'transferCancel', data: { taskId: t2 } }));
    expect(await waitFrames(frames, (f) => f.notification === 'transferEnd' && (f.data as { errorCode: number }).errorCode !== 0)).toMatchObject({
      data: { taskId: t2, errorCode: SignalingCodes.TRANSFER_CANCELLED },
    });
    await h.sdk.idle();
    expect(fin).toEqual([{ taskId: t2, userId: 1001, kind: 'bufferEx', errorCode: SignalingCodes.TRANSFER_CANCELLED }]);
    expect(h.sdk.getTaskInfo(t2)?.state).toBe('cancelled');
  });
});

async function waitFrames(frames: Record<string, unknown>[], pred: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (let i = 0; i < 200; i++) {
    const f = frames.find(pred);
    if (f) return f;
    await sleep(10);
  }
  throw new Error('frame did not arrive');
}

describe('video calls (seed §6, §8.2)', () => {
  it('request → accept → start with an allocated room → both enter it → finish; events to the business side', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    const evs: string[] = [];
    h.sdk.on('videoCall', (e) => void evs.push(`${e.eventType}:${e.srcUserId}->${e.targetUserId}:${e.errorCode}`));
    const ring = b.next('videoCallEvent');
    await a.callRequest(1002, { param: 5, userStr: 'hi' });
    expect(await ring).toEqual({ eventType: 1, userId: 1001, errorCode: 0, flags: 0, param: 5, userStr: 'hi' });
    expect(h.sdk.listCalls()).toMatchObject([{ callerId: 1001, calleeId: 1002, state: 'ringing' }]);
    const c = await h.login('carol');
    await expectCode(c.callRequest(1002), SignalingCodes.CALL_BUSY);
    await expectCode(b.callRequest(1003), SignalingCodes.CALL_BUSY);
    const reply = a.next('videoCallEvent', (e) => e.eventType === 2);
    const startA = a.next('videoCallEvent', (e) => e.eventType === 3);
    const startB = b.next('videoCallEvent', (e) => e.eventType === 3);
    await b.callReply(1001, true);
    expect((await reply).errorCode).toBe(0);
    const roomId = (await startA).param;
    expect((await startB).param).toBe(roomId);
    expect(roomId).toBeGreaterThan(0);
    expect(h.sdk.listCalls()).toMatchObject([{ state: 'active', roomId }]);
    await a.enterRoom({ roomId });
    expect((await b.enterRoom({ roomId })).users.map((u) => u.userId)).toEqual([1001, 1002]);
    const finA = a.next('videoCallEvent', (e) => e.eventType === 4);
    const finB = b.next('videoCallEvent', (e) => e.eventType === 4);
    await b.callFinish(1001);
    expect((await finA).userId).toBe(1002);
    expect((await finB).userId).toBe(1001);
    expect(h.sdk.listCalls()).toEqual([]);
    await expectCode(a.callFinish(1002), SignalingCodes.CALL_NOT_FOUND);
    await h.sdk.idle();
    expect(evs).toEqual(['1:1001->1002:0', '2:1001->1002:0', '3:1001->1002:0', '4:1001->1002:0']);
  });

  it('callee rejects with 100104; business hook vetoes; server finishes; unanswered calls time out; logout ends a call', async () => {
    h = await startHarness({ sdk: { callTimeoutSeconds: 1 } });
    const [a, b, c] = [await h.login('alice'), await h.login('bob'), await h.login('carol')];
    await a.callRequest(1002);
    const rej = a.next('videoCallEvent', (e) => e.eventType === 2);
    await b.callReply(1001, false);
    expect((await rej).errorCode).toBe(Codes.VIDEOCALL_REJECTED);
    expect(h.sdk.listCalls()).toEqual([]);
    await expectCode(b.callReply(1001, true), SignalingCodes.CALL_NOT_FOUND);
    await expectCode(a.callRequest(1001), Codes.BAD_REQUEST);
    await expectCode(a.callRequest(7777), SignalingCodes.USER_OFFLINE);
    await expectCode(a.videoCall(3, 1002), Codes.BAD_REQUEST);

    h.sdk.setHook('videoCallRequest', (r) => (r.targetUserId === 1003 ? 100104 : 0));
    await expectCode(a.callRequest(1003), Codes.VIDEOCALL_REJECTED);
    h.sdk.setHook('videoCallRequest', null);

    // server hangs up an active call
    await a.callRequest(1002);
    const started = a.next('videoCallEvent', (e) => e.eventType === 3);
    await b.callReply(1001, true);
    await started;
    const fin = b.next('videoCallEvent', (e) => e.eventType === 4);
    h.sdk.videoCallControl(4, 1001);
    expect((await fin).userId).toBe(1001);
    expect(() => h.sdk.videoCallControl(1, 1001)).toThrow();

    // timeout
    const to = c.next('videoCallEvent', (e) => e.eventType === 4, 5000);
    await a.callRequest(1003);
    expect((await to).errorCode).toBe(SignalingCodes.CALL_TIMEOUT);

    // the other side goes away
    await a.callRequest(1003);
    const gone = a.next('videoCallEvent', (e) => e.eventType === 4);
    c.close();
    expect((await gone).errorCode).toBe(Codes.LOGOUT_NORMAL);
  });

  it('seed §8.2 peer-to-peer flow: transBuffer invite, filter data to the server, server allocates a room and tells both', async () => {
    h = await startHarness();
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    h.sdk.on('filterData', (e) => {
      const msg = JSON.parse(new TextDecoder().decode(e.data)) as { cmd: string; peer: number };
      if (msg.cmd !== 'p2p') return;
      const roomId = h.sdk.allocateRoomId();
      const note = new TextEncoder().encode(JSON.stringify({ cmd: 'p2pRoom', roomId }));
      h.sdk.sendBufToUser(e.userId, note);
      h.sdk.sendBufToUser(msg.peer, note);
    });
    const invite = b.next('transBuffer');
    await a.transBuffer(1002, new TextEncoder().encode('call me?'));
    await invite;
    const aNote = a.next('sdkFilterData');
    const bNote = b.next('sdkFilterData');
    await b.sendSDKFilterData(new TextEncoder().encode(JSON.stringify({ cmd: 'p2p', peer: 1001 })));
    const decode = (d: string) => JSON.parse(new TextDecoder().decode(base64ToBytes(d)!)) as { roomId: number };
    const ra = decode((await aNote).data).roomId;
    expect(decode((await bNote).data).roomId).toBe(ra);
    await a.enterRoom({ roomId: ra });
    const r = await b.enterRoom({ roomId: ra });
    expect(r.users.map((u) => u.userId).sort()).toEqual([1001, 1002]);
    // one side leaves → the other learns of it
    const left = b.next('userLeft');
    await a.leaveRoom();
    expect((await left).userId).toBe(1001);
  });
});

describe('recording port', () => {
  it('streamRecordCtrl goes through the recorder port; finished recordings are events and notifications', async () => {
    h = await startHarness();
    const a = await h.login('alice');
    await expect(h.sdk.streamRecordCtrl(1001, true)).rejects.toMatchObject({ code: SignalingCodes.RECORDER_UNAVAILABLE });
    const calls: string[] = [];
    h.sdk.attachRecorder({
      start: async (r) => void calls.push(`start ${r.userId} ${r.flags} ${r.userStr}`),
      stop: async (r) => void calls.push(`stop ${r.userId}`),
    });
    const started = a.next('recordingStarted');
    await h.sdk.streamRecordCtrl(1001, true, 0x807, 1, 'tag'); // 0x800: the recorded client is told
    expect(await started).toEqual({ userId: 1001 });
    await h.sdk.streamRecordCtrl(1001, false);
    expect(calls).toEqual(['start 1001 2055 tag', 'stop 1001']);
    const fin: SdkEvents['recordingFinished'][] = [];
    h.sdk.on('recordingFinished', (e) => void fin.push(e));
    const stopped = a.next('recordingStopped');
    h.sdk.reportRecordingFinished({
      userId: 1001,
      fileName: '/rec/a.webm',
      elapseSeconds: 12,
      flags: 0x807,
      param: 1,
      userStr: 'tag',
      recordServerId: 0,
      fileId: 'f1',
    });
    expect(await stopped).toEqual({ userId: 1001, fileId: 'f1', fileName: 'a.webm', recordSeconds: 12, errorCode: 0 });
    await h.sdk.idle();
    expect(fin[0]).toMatchObject({ userId: 1001, fileName: '/rec/a.webm', elapseSeconds: 12 });
  });
});

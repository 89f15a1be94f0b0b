/**
 * The gateway on the real SDK + signaling over real sockets: clients log in over `/ws`
 * (shared/client), the app backend talks to `POST /gateway`, notices reach a real receiver.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { configSchema } from '../../config/schema';
import { HttpServer } from '../../http/HttpServer';
import { QueueClientMethods } from '../../queueing/SmartQueue';
import { AnyChatSdk, sdkMigrations } from '../../sdk';
import { SignalingServer } from '../../signaling';
import { openDatabase, runMigrations, type Db } from '../../store/Database';
import { DOWNLOAD_PREFIX } from '../downloads';
import { Gateway, gatewayMigrations } from '../Gateway';
import { SdkPlatform } from '../sdkPlatform';
import { call, nextTimestamp, TEST_APP_ID } from '../testHarness';
import { WebhookReceiver } from '../webhookReceiver';
import { SignalingCodes } from '../../../shared/codes';

const USERS = [
  { userName: 'alice', password: 'a', userId: 1001, level: 1, nickName: 'Alice' },
  { userName: 'bob', password: 'b', userId: 1002, level: 0, nickName: 'Bob' },
  { userName: 'carol', password: 'c', userId: 1003, level: 0, nickName: 'Carol', strUserId: 'C-1003' },
];

let db: Db, sdk: AnyChatSdk, signaling: SignalingServer, http: HttpServer, gateway: Gateway, platform: SdkPlatform, rx: WebhookReceiver;
let base = '';
let dataDir = '';
const clients: AnyChatClient[] = [];

async function login(name: string): Promise<AnyChatClient> {
  const u = USERS.find((x) => x.userName === name)!;
  const c = await AnyChatClient.connect(`${base.replace('http', 'ws')}/ws`, (url) => new WebSocket(url) as unknown as SocketLike);
  clients.push(c);
  await c.login(u.userName, u.password);
  return c;
}
const gw = async (method: string, body: unknown) => (await call(base, method, body, { timestamp: nextTimestamp() })).json;
const notices = (m: string) => rx.delivered.filter((n) => n.method === m).map((n) => n.body);
const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-sdk-'));
  rx = await WebhookReceiver.start({ md5Key: 'anychat' });
  const config = configSchema.parse({ dataDir, users: USERS, apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url }] });
  db = openDatabase(dataDir);
  runMigrations(db, [...sdkMigrations, ...gatewayMigrations]);
  sdk = await AnyChatSdk.create({
    db,
    logger,
    users: USERS,
    tempDir: path.join(dataDir, 'transfers'),
    settings: {
      guestLogin: true,
      duplicateLogin: 'kickOld',
      loginFailuresBeforeLock: 3,
      accountLockSeconds: 60,
      hookTimeoutMs: 300,
      callTimeoutSeconds: 5,
      maxFileBytes: 1 << 20,
    },
  });
  signaling = await SignalingServer.create({
    sdk,
    logger,
    settings: { pingIntervalSeconds: 1, silentTimeoutSeconds: 30, maxFrameBytes: 2 << 20, maxRequestsPerSecond: 500 },
  });
  platform = await SdkPlatform.create({ sdk, db, logger });
  http = new HttpServer(logger);
  gateway = await Gateway.create({ db, config, logger, platform, publicBaseUrl: () => base });
  http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  http.route('*', '/gateway', gateway.handle);
  http.mount(DOWNLOAD_PREFIX, gateway.handleDownload);
  await http.listen('127.0.0.1', 0);
  base = http.url;
});

afterAll(async () => {
  for (const c of clients) if (c.isOpen) c.close();
  gateway.close();
  platform.close();
  await signaling.close();
  await sdk.close();
  await http.close(100);
  await rx.close();
  db.close();
});

describe('gateway on the real SDK', () => {
  it('queries, controls and every notice over real sockets', async () => {
    const alice = await login('alice');
    const bob = await login('bob');
    await until(() => notices('userlogin_notify').length === 2);
    expect(notices('userlogin_notify')[0]).toMatchObject({
      appguid: TEST_APP_ID,
      userid: 1001,
      username: 'alice',
      userlevel: 1,
      loginipaddr: expect.stringContaining('127.0.0.1'),
    });

    expect(await gw('online_useridlist_get', { userflags: 0 })).toMatchObject({ return_code: 'SUCCESS', userscount: 2, useridlist: [1001, 1002] });
    const info = await gw('userinfo_get', { useridlist: [1001, '1002', 4242] });
    expect(info).toMatchObject({
      userscount: 2,
      userinfolist: [
        { userid: 1001, username: 'alice', userlevel: 1 },
        { userid: 1002, username: 'bob' },
      ],
    });

    // Text message in a room.
    await alice.enterRoom({ roomId: 7 });
    await bob.enterRoom({ roomId: 7 });
    await alice.sendTextMessage(-1, 'hello all');
    await until(() => notices('textmsg_notify').length === 1);
    expect(notices('textmsg_notify')[0]).toMatchObject({
      roomid: 7,
      srcuserid: 1001,
      srcusername: 'alice',
      taruserid: -1,
      secret: 0,
      textmsg: 'hello all',
      msglen: 9,
    });

    // Client → server buffer, and gateway → client buffer.
    await alice.transBuffer(0, new TextEncoder().encode('to server'));
    await until(() => notices('transbuffer_notify').length === 1);
    expect(notices('transbuffer_notify')[0]).toMatchObject({ userid: 1001, username: 'alice', databuf: Buffer.from('to server').toString('base64') });
    const got = bob.next('transBuffer');
    expect(await gw('transbuffer', { userid: 1002, databuf: 'Z29vZCBnaXJsIQ==' })).toMatchObject({ return_code: 'SUCCESS' });
    const tb = await got;
    expect(tb.srcUserId).toBe(0);

    // A video call: request, reply, start, finish.
    const ring = bob.next('videoCallEvent', (e) => e.eventType === 1);
    await alice.callRequest(1002, { userStr: 'hi' });
    await ring;
    await bob.callReply(1001, true);
    await until(() => notices('videocall_notify').length === 3);
    await alice.callFinish(1002);
    await until(() => notices('videocall_notify').length === 4);
    const calls = notices('videocall_notify');
    expect(calls.map((c) => c.eventtype)).toEqual([1, 2, 3, 4]);
    expect(new Set(calls.map((c) => c.callid)).size).toBe(1);
    expect(calls[0]).toMatchObject({ srcuserid: 1001, srcusername: 'alice', taruserid: 1002, tarusername: 'bob', strparam: 'hi' });

    // A file sent to the server → transfile_notify, then filelist_get / fileinfo_get / download with Range.
    const content = Buffer.from('0123456789abcdef');
    await alice.sendFile(0, 'report.txt', content);
    await until(() => notices('transfile_notify').length === 1);
    const tf = notices('transfile_notify')[0]!;
    expect(tf).toMatchObject({ userid: 1001, filename: 'report.txt', filesize: 16 });
    const list = await gw('filelist_get', { pageindex: 1, perpagecount: 30, filetype: 4 });
    expect(list).toMatchObject({ totalcount: 1, filelist: [{ fileid: tf.fileid, filename: 'report.txt', filelength: 16, filetype: 4, userid: 1001 }] });
    const fi = await gw('fileinfo_get', { filelist: [{ fileid: tf.fileid }] });
    const url = (fi.filelist as { fileurl: string }[])[0]!.fileurl;
    const part = await fetch(url, { headers: { Range: 'bytes=4-7' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe('4567');

    // A finished server recording (as the media recorder reports it) → recordsnapshot_notify + index.
    const rec = path.join(dataDir, 'rec-1001.webm');
    writeFileSync(rec, Buffer.alloc(2048, 1));
    sdk.reportRecordingFinished({ userId: 1001, fileName: rec, elapseSeconds: 12, flags: 0x7, param: 5, userStr: 'case-9', recordServerId: 0 });
    await until(() => notices('recordsnapshot_notify').length === 1);
    const rn = notices('recordsnapshot_notify')[0]!;
    expect(rn).toMatchObject({ recordfilename: rec, recordtime: 12, flags: 7, userid: 1001, username: 'alice', errorcode: 0, param: 5, strparam: 'case-9' });
    const ri = await gw('fileinfo_get', { filelist: [{ fileid: rn.recordid }] });
    expect(ri).toMatchObject({ filelist: [{ filename: 'rec-1001.webm', filelength: 2048, filetype: 1, recordtime: 12, flags: 7 }] });
    expect(await gw('fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid: rn.recordid }] })).toMatchObject({ filelist: [{ errorcode: 0 }] });
    expect(await gw('fileinfo_get', { filelist: [{ fileid: rn.recordid }] })).toMatchObject({ errorcode: 100710 });

    // Kick → the client gets 211, the backend gets userlogout_notify 211.
    const kicked = bob.next('kicked');
    expect(await gw('userinfo_ctrl', { userid: 1002, ctrlcode: 1, ctrlvalue: '' })).toMatchObject({ return_code: 'SUCCESS' });
    expect(await kicked).toEqual({ errorCode: 211, reason: 'gateway userinfo_ctrl' }); // the kicked user is told why
    await until(() => notices('userlogout_notify').length === 1);
    expect(notices('userlogout_notify')[0]).toMatchObject({ userid: 1002, username: 'bob', errorcode: 211 });
    expect(rx.delivered.every((n) => n.signatureValid)).toBe(true);
  });

  it('smart queue over real sockets: agent status, enter queue, the call starts, the agent is freed', async () => {
    const area = (await gw('object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'Hall' })).objectguid as string;
    const queue = (await gw('object_info_set', { action: 1, objecttype: 5, objectid: 11, parentobjectid: 1, name: 'Help', skillgroups: [3] }))
      .objectguid as string;
    const agent = await login('bob');
    const customer = await login('carol');
    expect(await agent.request(QueueClientMethods.AGENT_STATUS, { status: 1, areaId: 1, skillgroups: [3] })).toMatchObject({ status: 1 });
    await until(() => notices('agentstatus_notify').some((n) => n.userid === 1002 && n.agentstatus === 1));
    expect((await gw('online_useridlist_get', { userflags: 2 })).useridlist).toEqual([1002]);
    // The customer accepts whatever call the queue brings.
    customer.on('videoCallEvent', (e) => {
      if (e.eventType === 1) void customer.callReply(e.userId, true);
    });
    const assigned = customer.next('queueAssigned' as never);
    const started = customer.next('videoCallEvent', (e) => e.eventType === 3);
    expect(await customer.request(QueueClientMethods.ENTER_QUEUE, { queueId: 11 })).toMatchObject({ queueGuid: queue, position: 1 });
    expect(await assigned).toMatchObject({ agentUserId: 1002, customerUserId: 1003, queueId: 11 });
    expect((await started).userId).toBe(1002);
    const st = async (infotype: number, guid = area, userid?: number) => (await gw('object_status_get', { objectguid: guid, infotype, userid })).infovalue;
    expect(await st(601, area, 1002)).toEqual({ errorcode: 0, agentstatus: 2 });
    expect(await st(606, area, 1002)).toMatchObject({ userid: 1003, username: 'carol' });
    expect(await st(504, queue)).toEqual({ errorcode: 0, queuelength: 0 });
    await customer.callFinish(1002);
    await until(() => gateway.queue.agent(1002)?.status === 1);
    expect(await st(601, area, 1002)).toEqual({ errorcode: 0, agentstatus: 1 });
    await until(() => notices('agentstatus_notify').filter((n) => n.userid === 1002).length === 3);
    expect(
      notices('agentstatus_notify')
        .filter((n) => n.userid === 1002)
        .map((n) => n.agentstatus),
    ).toEqual([1, 2, 1]);
  });

  it('login strParam reaches userlogin_notify; string ids in notices and requests; text capped at 8192 UTF-8 bytes', async () => {
    const c = await AnyChatClient.connect(`${base.replace('http', 'ws')}/ws`, (url) => new WebSocket(url) as unknown as SocketLike);
    clients.push(c);
    const before = rx.delivered.length;
    const since = (m: string) =>
      rx.delivered
        .slice(before)
        .filter((n) => n.method === m)
        .map((n) => n.body);
    await c.login('carol', 'c', '{"crm":"42"}');
    await until(() => since('userlogin_notify').some((n) => n.userid === 1003));
    expect(since('userlogin_notify').find((n) => n.userid === 1003)).toMatchObject({ strparam: '{"crm":"42"}', struserid: 'C-1003', username: 'carol' });
    const got = c.next('transBuffer');
    expect(await gw('transbuffer', { struserid: 'C-1003', databuf: 'QQ==' })).toMatchObject({ return_code: 'SUCCESS' });
    await got;
    // 3000 CJK characters are 9000 UTF-8 bytes: more than textmsg_notify's 8192.
    await c.enterRoom({ roomId: 99 });
    await expect(c.sendTextMessage(-1, '中'.repeat(3000))).rejects.toMatchObject({ code: SignalingCodes.PAYLOAD_TOO_LARGE });
    await c.sendTextMessage(-1, '中'.repeat(2730));
    await until(() => since('textmsg_notify').some((n) => n.srcuserid === 1003));
    expect(since('textmsg_notify').find((n) => n.srcuserid === 1003)).toMatchObject({ strsrcuserid: 'C-1003', msglen: 8190 });
    await c.leaveRoom();
    c.close();
    await until(() => since('userlogout_notify').some((n) => n.userid === 1003));
    expect(since('userlogout_notify').find((n) => n.userid === 1003)).toMatchObject({ struserid: 'C-1003' });
  });
});

/**
 * Three real host processes as one cluster on one PostgreSQL and one Redis (protocol.md §5): presence everywhere,
 * text and transBuffer across nodes, one room across nodes, a kick through another node's
 * gateway, one userlogin_notify per login, the duplicate-login policy across nodes, and a node
 * SIGKILLed: its users offline cluster-wide (reason 100, one notice each) while the others work.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyChatClient } from '../../../shared/client';
import { Codes } from '../../../shared/codes';
import { expectCode } from '../../signaling/__scenarios__/harness';
import { WebhookReceiver } from '../../gateway/webhookReceiver';
import { testConsumer, TestPublisher } from '../../observability/testing/testPublisher';
import { call, nextTimestamp } from '../../gateway/testHarness';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../../store/testing/postgresServer';
import { loginThrough, until } from '../testing/clusterClients';
import { findRedisServer, REDIS_MISSING, startRedisServer, type RedisServer } from '../testing/redisServer';
import { consoleOf } from '../../util/testing/consoleClient';
import { startClusterHost, stopClusterHost, type ClusterHost, type ClusterHostOptions } from '../testing/clusterHosts';

/** The console's views this test reads (shared/ipc/types.ts; a domain layer does not import them). */
type OnlineUser = { userId: number; node?: string };
type RoomSummary = { roomId: number; userCount: number; nodes?: string[] };
type ClusterNodeView = { nodeId: string; status: string; self: boolean; users: number; rooms: number };

const APP = 'CLUSTER-APP';
const KEY = 'anychat';
const skip = findRedisServer() ? (postgresUnavailableReason() ?? false) : REDIS_MISSING;

let redis: RedisServer;
let pg: PostgresServer;
let lobbyId = 0;
const publishers: TestPublisher[] = [];
let nodeOptions: (nodeId: string) => ClusterHostOptions;
let rx: WebhookReceiver;
const hosts: Record<string, ClusterHost> = {};
const clients: AnyChatClient[] = [];

const login = (host: ClusterHost, name: string) => loginThrough(host, name, clients);

async function gw(host: ClusterHost, method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const control = !method.endsWith('_get');
  const r = await call(host.url, method, body, { appId: APP, key: KEY, ...(control ? { timestamp: nextTimestamp() } : {}) });
  return r.json;
}

const onlineIds = async (h: ClusterHost) => ((await gw(h, 'online_useridlist_get', { userflags: 0 })).useridlist as number[]).slice().sort();
const notices = (method: string) => rx.delivered.filter((n) => n.method === method).map((n) => n.body);

describe.skipIf(skip)('three nodes on one PostgreSQL and one Redis', () => {
  beforeAll(async () => {
    [redis, pg] = await Promise.all([startRedisServer(), startPostgres()]);
    rx = await WebhookReceiver.start({ md5Key: KEY });
    const shared = {
      users: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank', 'ivan', 'judy'].map((n, i) => ({
        userName: n,
        password: 'pw',
        userId: 1001 + i,
      })),
      operators: [{ username: 'admin', password: 'admin-pw' }],
      apps: [{ appId: APP, md5Key: KEY, callbackUrl: rx.url, retry: { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 1000 } }],
      log: { level: 'warn' },
    };
    const base = 42000 + Math.floor(Math.random() * 50) * 300;
    nodeOptions = (nodeId) => ({
      nodeId,
      redisUrl: redis.url,
      postgresUrl: pg.url,
      shared,
      rtcMinPort: base + 'abc'.indexOf(nodeId) * 100,
    });
    const started = await Promise.all(['a', 'b', 'c'].map((nodeId) => startClusterHost(nodeOptions(nodeId))));
    for (const h of started) hosts[h.nodeId] = h;
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.close();
    await Promise.all(publishers.map((p) => p.close().catch(() => undefined)));
    await Promise.all(Object.values(hosts).map((h) => stopClusterHost(h)));
    await rx?.close();
    await redis?.stop();
    pg?.stop();
  }, 60_000);

  it('every node sees every user online, with the node holding it', async () => {
    const { a, b, c } = hosts as Record<string, ClusterHost>;
    await login(a!, 'alice');
    await login(b!, 'bob');
    await login(c!, 'carol');
    for (const h of [a!, b!, c!]) await until(async () => (await onlineIds(h)).length === 3, 10_000, `3 users online on ${h.nodeId}`);
    for (const h of [a!, b!, c!]) expect(await onlineIds(h)).toEqual([1001, 1002, 1003]);
    const info = await gw(a!, 'userinfo_get', { useridlist: [1002, 1003] });
    expect(info).toMatchObject({ return_code: 'SUCCESS', userscount: 2 });
    expect((info.userinfolist as { userid: number; username: string }[]).map((u) => u.username).sort()).toEqual(['bob', 'carol']);
    // One login notice per login, whichever node took it.
    await until(() => notices('userlogin_notify').length >= 3, 10_000, 'three login notices');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      notices('userlogin_notify')
        .map((n) => n.userid)
        .sort(),
    ).toEqual([1001, 1002, 1003]);
  });

  it('text and transBuffer reach users on other nodes, from clients and from any gateway', async () => {
    const [alice, bob, carol] = clients as [AnyChatClient, AnyChatClient, AnyChatClient];
    const got = bob.next('transBuffer', (d) => d.srcUserId === 1001);
    await alice.transBuffer(1002, new TextEncoder().encode('a→b'));
    expect(Buffer.from((await got).data, 'base64').toString()).toBe('a→b');
    const fromGateway = carol.next('transBuffer', (d) => d.srcUserId === 0);
    expect(await gw(hosts.a!, 'transbuffer', { userid: 1003, databuf: Buffer.from('gw a→c').toString('base64') })).toMatchObject({ return_code: 'SUCCESS' });
    expect(Buffer.from((await fromGateway).data, 'base64').toString()).toBe('gw a→c');
  });

  it('a control sent again through other nodes (as a balancer may) is carried out once; the repeats get its reply', async () => {
    const carol = clients[2]!;
    const got: string[] = [];
    const off = carol.on('transBuffer', (d) => {
      if (d.srcUserId === 0) got.push(Buffer.from(d.data, 'base64').toString());
    });
    const timestamp = nextTimestamp();
    const body = { userid: 1003, databuf: Buffer.from('once').toString('base64') };
    const send = (h: ClusterHost) => call(h.url, 'transbuffer', body, { appId: APP, key: KEY, timestamp });
    const [first, second] = await Promise.all([send(hosts.a!), send(hosts.b!)]);
    expect([first.json.return_code, second.json.return_code]).toEqual(['SUCCESS', 'SUCCESS']);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    expect((await send(hosts.c!)).replayed).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(got).toEqual(['once']);
    off();
  });

  it('transBufferEx and files across nodes: a client upload relayed to a user on another node, a gateway buffer above 1 KiB, a file', async () => {
    const [alice, bob, carol] = clients as [AnyChatClient, AnyChatClient, AnyChatClient];
    // 200 KB: several chunks, relayed by a's transfer task over the bus to bob's socket on b
    const big = Uint8Array.from({ length: 200_000 }, (_, i) => (i * 7) % 251);
    const got = bob.next('transBufferEx', (d) => d.srcUserId === 1001, 20_000);
    await alice.transBufferEx(1002, big, { wParam: 7 });
    const ev = await got;
    expect(ev.wParam).toBe(7);
    expect(Buffer.compare(Buffer.from(ev.data), Buffer.from(big))).toBe(0);
    // bob's ack went through b to a, which holds the task: done there (and forgotten)
    await until(
      async () => ((await bob.request('transferStatus', { taskId: ev.taskId }).catch(() => null)) as { state?: string } | null)?.state === 'done',
      10_000,
      'the task done on a',
    );
    // the gateway on b sends 4 KB (above transBuffer's limit, so transBufferEx) to carol on c
    const payload = Buffer.alloc(4096, 0x5a);
    const fromGateway = carol.next('transBufferEx', (d) => d.srcUserId === 0, 20_000);
    expect(await gw(hosts.b!, 'transbuffer', { userid: 1003, databuf: payload.toString('base64') })).toMatchObject({ return_code: 'SUCCESS' });
    expect(Buffer.compare(Buffer.from((await fromGateway).data), payload)).toBe(0);
    // a file from alice on a to carol on c
    const file = Buffer.alloc(150_000, 0x33);
    const gotFile = carol.next('fileReceived', (d) => d.srcUserId === 1001, 20_000);
    await alice.sendFile(1003, 'notes.bin', file);
    const f = await gotFile;
    expect(f.fileName).toBe('notes.bin');
    expect(Buffer.compare(Buffer.from(f.data), file)).toBe(0);
  });

  it("a file is served and deleted by the node whose disk holds it, through any node's gateway; every node signs with one server key", async () => {
    const alice = clients[0]!;
    const data = Buffer.from(Uint8Array.from({ length: 70_000 }, (_, i) => (i * 13) % 256));
    // The received file on a's disk, found by its bytes (other transfers' temp files come and go beside it).
    const copiesOnA = () =>
      readdirSync(path.join(hosts.a!.dataDir, 'transfers'), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .filter((d) => Buffer.compare(readFileSync(path.join(d.parentPath, d.name)), data) === 0).length;
    await alice.sendFile(0, 'report.bin', data);
    await until(
      async () => ((await gw(hosts.b!, 'filelist_get', { pageindex: 1, perpagecount: 10, filename: 'report.bin' })).filecount as number) === 1,
      10_000,
      'indexed',
    );
    const listed = (await gw(hosts.b!, 'filelist_get', { pageindex: 1, perpagecount: 10, filename: 'report.bin' })).filelist as {
      fileid: string;
      fileurl: string;
    }[];
    const { fileid, fileurl } = listed[0]!;
    // b links to a, whose disk holds the bytes
    expect(fileurl).toMatch(new RegExp(`^${hosts.a!.url}/`));
    expect(Buffer.compare(Buffer.from(await (await fetch(fileurl)).arrayBuffer()), data)).toBe(0);
    // the same signed URL at b is sent on to a
    const atB = hosts.b!.url + fileurl.slice(hosts.a!.url.length);
    const redirected = await fetch(atB, { redirect: 'manual' });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get('location')).toBe(fileurl);
    expect(Buffer.compare(Buffer.from(await (await fetch(atB)).arrayBuffer()), data)).toBe(0);
    // deleted through c: a deletes it, bytes included
    expect(copiesOnA()).toBe(1);
    expect(await gw(hosts.c!, 'fileinfo_ctrl', { ctrltype: 1, filelist: [{ fileid }] })).toMatchObject({ return_code: 'SUCCESS' });
    expect(copiesOnA()).toBe(0);
    expect((await fetch(fileurl)).status).toBe(404);
    // one key signs every node's RSA notices and download URLs
    const keys = new Set<string>();
    for (const h of Object.values(hosts)) {
      const op = await consoleOf(h.url, { username: 'admin', password: 'admin-pw' });
      try {
        keys.add((await op.call<{ serverPublicKeyPem: string }>('gateway:overview')).serverPublicKeyPem);
      } finally {
        op.close();
      }
    }
    expect(keys.size).toBe(1);
  });

  it('one room across three nodes: members, userEntered and room text everywhere', async () => {
    const [alice, bob, carol] = clients as [AnyChatClient, AnyChatClient, AnyChatClient];
    const first = await alice.enterRoom({ roomName: 'lobby' });
    lobbyId = first.roomId;
    const aliceSeesBob = alice.next('userEntered', (d) => d.userId === 1002);
    const second = await bob.enterRoom({ roomName: 'lobby' });
    expect(second.roomId).toBe(first.roomId);
    expect(second.users.map((u) => u.userId).sort()).toEqual([1001, 1002]);
    expect(await aliceSeesBob).toMatchObject({ roomId: first.roomId, userId: 1002, nickName: 'bob' });
    const both = Promise.all([alice, bob].map((c) => c.next('userEntered', (d) => d.userId === 1003)));
    const third = await carol.enterRoom({ roomName: 'lobby' });
    expect(third.roomId).toBe(first.roomId);
    expect(third.users.map((u) => u.userId).sort()).toEqual([1001, 1002, 1003]);
    await both;
    const texts = Promise.all([alice, bob].map((c) => c.next('textMessage', (d) => d.srcUserId === 1003)));
    await carol.sendTextMessage(-1, 'hello from c');
    for (const t of await texts) expect(t).toMatchObject({ roomId: first.roomId, text: 'hello from c', targetUserId: -1 });
    const secret = alice.next('textMessage', (d) => d.secret);
    await bob.sendTextMessage(1001, 'psst', true);
    expect(await secret).toMatchObject({ srcUserId: 1002, text: 'psst' });
    const left = Promise.all([alice, carol].map((c) => c.next('userLeft', (d) => d.userId === 1002)));
    await bob.leaveRoom();
    await left;
  });

  it("the console on b lists every node's users and rooms with their nodes, and the Nodes panel's figures", async () => {
    const op = await consoleOf(hosts.b!.url, { username: 'admin', password: 'admin-pw' });
    try {
      const users = await op.call<OnlineUser[]>('users:list');
      expect(users.map((u) => [u.userId, u.node]).sort()).toEqual([
        [1001, 'a'],
        [1002, 'b'],
        [1003, 'c'],
      ]);
      const lobby = (await op.call<RoomSummary[]>('rooms:list')).find((r) => r.roomId === lobbyId);
      expect(lobby).toMatchObject({ userCount: 2, nodes: ['a', 'c'] });
      // Figures are written at each heartbeat (2 s): a and c each have a user in the lobby, b's user left it.
      const figures = async () => (await op.call<ClusterNodeView[]>('cluster:nodes')).map((n) => `${n.nodeId}:${n.users}/${n.rooms}`).join();
      await until(async () => (await figures()) === 'a:1/1,b:1/0,c:1/1', 10_000, 'node figures');
      const nodes = await op.call<ClusterNodeView[]>('cluster:nodes');
      expect(nodes.map((n) => [n.nodeId, n.status, n.self])).toEqual([
        ['a', 'up', false],
        ['b', 'up', true],
        ['c', 'up', false],
      ]);
    } finally {
      op.close();
    }
  });

  it('two users entering one new room name through two nodes at the same instant are in one room, each told of the other once', async () => {
    const gina = await login(hosts.a!, 'gina');
    const hank = await login(hosts.c!, 'hank');
    const entered = new Map<AnyChatClient, number[]>([
      [gina, []],
      [hank, []],
    ]);
    for (const c of [gina, hank]) c.on('userEntered', (d) => entered.get(c)!.push(d.userId));
    const other = (c: AnyChatClient) => (c === gina ? 1008 : 1007);
    for (let round = 0; round < 15; round++) {
      for (const list of entered.values()) list.length = 0;
      const [g, h] = await Promise.all([gina.enterRoom({ roomName: `crossing-${round}` }), hank.enterRoom({ roomName: `crossing-${round}` })]);
      expect(h.roomId).toBe(g.roomId);
      const listed = new Map([
        [gina, g.users.map((u) => u.userId)],
        [hank, h.users.map((u) => u.userId)],
      ]);
      // In its list on entry, or by userEntered after: once, never both, never neither.
      const seen = (c: AnyChatClient) => listed.get(c)!.filter((id) => id === other(c)).length + entered.get(c)!.filter((id) => id === other(c)).length;
      await until(() => seen(gina) >= 1 && seen(hank) >= 1, 10_000, `each sees the other (round ${round})`);
      await new Promise((r) => setTimeout(r, 100));
      expect([seen(gina), seen(hank)]).toEqual([1, 1]);
      const hankSeesGinaLeave = hank.next('userLeft', (d) => d.userId === 1007);
      await gina.leaveRoom();
      await hankSeesGinaLeave;
      await hank.leaveRoom();
    }
    gina.close();
    hank.close();
    for (const h of Object.values(hosts))
      await until(async () => !(await onlineIds(h)).some((id) => id === 1007 || id === 1008), 10_000, `gina and hank gone on ${h.nodeId}`);
  }, 60_000);

  it("a room created through a is the room its name names on every node, and a admits to it: password, capacity, custom info; the name is a's until the room ends", async () => {
    const [ivan, judy, gina] = [await login(hosts.a!, 'ivan'), await login(hosts.c!, 'judy'), await login(hosts.b!, 'gina')];
    const created = (await ivan.request('createRoom', { roomName: 'vault', password: 'pw1', capacity: 2, customInfo: 'rules: be nice' })) as { roomId: number };
    // the name is taken on every node
    await expectCode(judy.request('createRoom', { roomName: 'vault' }), Codes.ROOM_ALREADY_EXISTS);
    // judy enters through c: a, which owns the room, checks the password
    await expectCode(judy.enterRoom({ roomName: 'vault', password: 'nope' }), Codes.ROOM_PASSWORD_WRONG);
    const info = judy.next('roomCustomInfo', (d) => d.roomId === created.roomId);
    expect((await judy.enterRoom({ roomName: 'vault', password: 'pw1' })).roomId).toBe(created.roomId);
    expect(await info).toMatchObject({ customInfo: 'rules: be nice' });
    expect((await ivan.enterRoom({ roomName: 'vault', password: 'pw1' })).roomId).toBe(created.roomId);
    // two members, one through c and one through a: gina through b finds it full
    await expectCode(gina.enterRoom({ roomName: 'vault', password: 'pw1' }), Codes.ROOM_FULL);
    await judy.leaveRoom();
    expect((await gina.enterRoom({ roomName: 'vault', password: 'pw1' })).roomId).toBe(created.roomId);
    // the room ends with its last member: the name is free for anyone
    await gina.leaveRoom();
    await ivan.leaveRoom();
    await until(
      async () => {
        try {
          return ((await judy.request('createRoom', { roomName: 'vault' })) as { roomId: number }).roomId > 0;
        } catch {
          return false;
        }
      },
      10_000,
      'the name free again',
    );
    for (const c of [ivan, judy, gina]) c.close();
    for (const h of Object.values(hosts))
      await until(async () => !(await onlineIds(h)).some((id) => id >= 1007), 10_000, `ivan, judy and gina gone on ${h.nodeId}`);
  });

  it("media across nodes: a publisher on a, a viewer on c consumes through c's socket from a's media node", async () => {
    const carol = clients[2]!;
    const announced = carol.next('newProducer', (d) => d.userId === 1006);
    const pub = await TestPublisher.start({ baseUrl: hosts.a!.url, userName: 'frank', password: 'pw', roomId: lobbyId });
    publishers.push(pub);
    const { producerId } = await announced;
    expect(producerId).toBe(pub.producerId);
    // The transport c hands out is a's: its ICE candidate carries a's media port range.
    const t = (await carol.request('createWebRtcTransport', { direction: 'recv' })) as { iceCandidates: { port: number }[] };
    const aRange = nodeOptions('a').rtcMinPort;
    expect(t.iceCandidates[0]!.port).toBeGreaterThanOrEqual(aRange);
    expect(t.iceCandidates[0]!.port).toBeLessThan(aRange + 100);
    const viewer = await testConsumer(carol, producerId);
    await until(() => viewer.peer.rtpCount > 50, 15_000, 'RTP from a reaches the viewer on c');
    await viewer.close();
    // A user entering later through b is told about the producer on a.
    const dave = await login(hosts.b!, 'dave');
    const existing = dave.next('newProducer', (d) => d.producerId === producerId);
    await dave.enterRoom({ roomId: lobbyId });
    await existing;
    dave.close();
    await until(async () => !(await onlineIds(hosts.a!)).includes(1004), 10_000, 'dave gone');
  }, 60_000);

  it("a 1:1 call across nodes: request on a, the callee on c replies and hangs up through c; b's console lists it with its node", async () => {
    const [alice, , carol] = clients as [AnyChatClient, AnyChatClient, AnyChatClient];
    const ringing = carol.next('videoCallEvent', (e) => e.eventType === 1 && e.userId === 1001);
    await alice.callRequest(1003);
    await ringing;
    const started = Promise.all([alice, carol].map((c) => c.next('videoCallEvent', (e) => e.eventType === 3)));
    await carol.callReply(1001, true);
    const [a, c] = await started;
    expect(a!.param).toBe(c!.param);
    expect(a!.param).toBeGreaterThan(0);
    const op = await consoleOf(hosts.b!.url, { username: 'admin', password: 'admin-pw' });
    try {
      expect(await op.call<{ callerId: number; calleeId: number; state: string; node?: string }[]>('calls:list')).toEqual([
        expect.objectContaining({ callerId: 1001, calleeId: 1003, state: 'active', node: 'a' }),
      ]);
    } finally {
      op.close();
    }
    const finished = alice.next('videoCallEvent', (e) => e.eventType === 4);
    await carol.callFinish(1001);
    expect(await finished).toMatchObject({ userId: 1003 });
  });

  it("mic seats across nodes: the room's owning node decides (two seats, the third asker queues, a leaver's seat passes on)", async () => {
    const [, bob, carol] = clients as [AnyChatClient, AnyChatClient, AnyChatClient];
    const mic = (c: AnyChatClient, m: string) => c.request(m, {}) as Promise<{ state: string; seat?: number; position?: number }>;
    await bob.enterRoom({ roomName: 'stage' }); // b hosts it first: b owns it
    await carol.leaveRoom();
    await carol.enterRoom({ roomName: 'stage' });
    const dave = await login(hosts.a!, 'dave');
    await dave.enterRoom({ roomName: 'stage' });
    expect(await mic(carol, 'micRequest')).toMatchObject({ state: 'seated', seat: 0 });
    expect(await mic(dave, 'micRequest')).toMatchObject({ state: 'seated', seat: 1 });
    expect(await mic(bob, 'micRequest')).toMatchObject({ state: 'queued', position: 1 });
    const moved = dave.next('micState', (m) => m.seats.some((s) => s.userId === 1002));
    await carol.leaveRoom();
    expect((await moved).queue).toEqual([]);
    expect(await mic(dave, 'getMicState')).toMatchObject({
      seats: [
        { seat: 0, userId: 1002 },
        { seat: 1, userId: 1004 },
      ],
    });
    await carol.enterRoom({ roomId: lobbyId });
    await bob.leaveRoom();
    dave.close();
    await until(async () => !(await onlineIds(hosts.b!)).includes(1004), 10_000, 'dave gone');
  });

  it('objects written through one node are read through another', async () => {
    const area = await gw(hosts.a!, 'object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'Hall' });
    expect(area).toMatchObject({ return_code: 'SUCCESS' });
    const info = await gw(hosts.c!, 'object_info_get', { objectguid: area.objectguid });
    expect(info).toMatchObject({ return_code: 'SUCCESS', objecttype: 4, name: 'Hall' });
    expect((await gw(hosts.b!, 'object_idlist_get', { objecttype: 4 })).objectcount).toBe(1);
    // a user object (agent flag) set through a for carol on c is seen through b
    expect(await gw(hosts.a!, 'userinfo_ctrl', { userid: 1003, ctrlcode: 11, ctrlvalue: { flags: 2, priority: 5 } })).toMatchObject({ return_code: 'SUCCESS' });
    expect((await gw(hosts.b!, 'online_useridlist_get', { userflags: 2 })).useridlist).toEqual([1003]);
  });

  it("a kick through another node's gateway reaches the user (211)", async () => {
    const dave = await login(hosts.b!, 'dave');
    await until(async () => (await onlineIds(hosts.c!)).includes(1004), 10_000, 'dave seen on c');
    const kicked = dave.next('kicked');
    expect(await gw(hosts.c!, 'userinfo_ctrl', { userid: 1004, ctrlcode: 1, ctrlvalue: '' })).toMatchObject({ return_code: 'SUCCESS' });
    expect((await kicked).errorCode).toBe(211);
    for (const h of Object.values(hosts)) await until(async () => !(await onlineIds(h)).includes(1004), 10_000, `dave gone on ${h.nodeId}`);
  });

  it('the duplicate-login policy holds across nodes (kickOld: the session on the other node is kicked)', async () => {
    const bob = clients[1]!;
    const kicked = bob.next('kicked');
    const again = await login(hosts.c!, 'bob');
    expect((await kicked).errorCode).toBe(211);
    for (const h of Object.values(hosts))
      await until(async () => (await onlineIds(h)).filter((id) => id === 1002).length === 1, 10_000, `bob once on ${h.nodeId}`);
    const got = again.next('transBuffer', (d) => d.srcUserId === 1001);
    await clients[0]!.transBuffer(1002, new TextEncoder().encode('to the new bob'));
    expect(Buffer.from((await got).data, 'base64').toString()).toBe('to the new bob');
    clients[1] = again;
  });

  it('two logins of one user through two nodes at the same instant: one session survives, everywhere', async () => {
    // 20 rounds: without the login claim two sessions survived within about ten.
    for (let round = 0; round < 20; round++) {
      const tries = await Promise.allSettled([login(hosts.a!, 'erin'), login(hosts.b!, 'erin')]);
      const erins = tries.flatMap((t) => (t.status === 'fulfilled' ? [t.value] : []));
      expect(erins.length).toBeGreaterThanOrEqual(1);
      // kickOld: the later login kicks the earlier one; never two sessions of one user.
      await until(() => erins.filter((c) => c.isOpen).length === 1, 10_000, `one erin left (round ${round})`);
      for (const h of Object.values(hosts)) await until(async () => (await onlineIds(h)).filter((id) => id === 1005).length === 1, 10_000, 'erin once');
      for (const c of erins) if (c.isOpen) c.close();
      for (const h of Object.values(hosts)) await until(async () => !(await onlineIds(h)).includes(1005), 10_000, 'erin gone');
    }
  }, 60_000);

  it("a SIGKILLed node's users go offline everywhere within 30 s (reason 100, one notice each), its media ends (producerClosed); the others keep working", async () => {
    const alice = clients[0]!;
    // erin publishes in room 777 through c (c owns its media); dave on b watches.
    const pub = await TestPublisher.start({ baseUrl: hosts.c!.url, userName: 'erin', password: 'pw', roomId: 777 });
    publishers.push(pub);
    const dave = await login(hosts.b!, 'dave');
    const seen = dave.next('newProducer', (d) => d.producerId === pub.producerId);
    await dave.enterRoom({ roomId: 777 });
    await seen;
    const closed = dave.next('producerClosed', (d) => d.producerId === pub.producerId, 30_000);
    const erinLeft = dave.next('userLeft', (d) => d.userId === 1005, 30_000);
    const carolLeft = alice.next('userLeft', (d) => d.userId === 1003, 30_000);
    const killedAt = Date.now();
    await stopClusterHost(hosts.c!, 'SIGKILL');
    // bob is on c too since the duplicate-login test: both go.
    for (const h of [hosts.a!, hosts.b!])
      await until(async () => (await onlineIds(h)).join() === '1001,1004,1006', 30_000, `only alice, dave and frank left on ${h.nodeId}`);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(await carolLeft).toMatchObject({ userId: 1003, reason: 100 });
    expect(await erinLeft).toMatchObject({ userId: 1005, reason: 100 });
    expect(await closed).toMatchObject({ userId: 1005, kind: 'audio' });
    const reason100 = () => notices('userlogout_notify').filter((n) => n.errorcode === 100);
    await until(() => reason100().length >= 3, 10_000, 'logout notices for c');
    await new Promise((r) => setTimeout(r, 500));
    expect(
      reason100()
        .map((n) => n.userid)
        .sort(),
    ).toEqual([1002, 1003, 1005]);
    // The survivors keep serving: dave on b talks to alice on a.
    const got = alice.next('transBuffer', (d) => d.srcUserId === 1004);
    await dave.transBuffer(1001, new TextEncoder().encode('still here'));
    expect(Buffer.from((await got).data, 'base64').toString()).toBe('still here');
  }, 60_000);

  it('the killed node restarts on its data dir and rejoins: no second logout for users a survivor logged out, and it serves again', async () => {
    const before = notices('userlogout_notify').length;
    hosts.c = await startClusterHost({ ...nodeOptions('c'), dataDir: hosts.c!.dataDir });
    const carol = await login(hosts.c, 'carol');
    for (const h of Object.values(hosts)) await until(async () => (await onlineIds(h)).includes(1003), 10_000, `carol back, seen on ${h.nodeId}`);
    const got = carol.next('transBuffer', (d) => d.srcUserId === 1001);
    await clients[0]!.transBuffer(1003, new TextEncoder().encode('welcome back'));
    expect(Buffer.from((await got).data, 'base64').toString()).toBe('welcome back');
    await new Promise((r) => setTimeout(r, 500));
    expect(notices('userlogout_notify').length).toBe(before);
  }, 60_000);
});

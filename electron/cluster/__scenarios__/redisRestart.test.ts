/**
 * Redis restarts empty under a running cluster (no persistence): each node writes its sessions,
 * memberships and name holds again and exchanges rosters, so a node started afterwards sees every
 * user, a user who left meanwhile is gone everywhere, and a room name still names its room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyChatClient } from '../../../shared/client';
import { call, nextTimestamp } from '../../gateway/testHarness';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../../store/testing/postgresServer';
import { loginThrough, until } from '../testing/clusterClients';
import { findRedisServer, REDIS_MISSING, startRedisServer, type RedisServer } from '../testing/redisServer';
import { startClusterHost, stopClusterHost, type ClusterHost, type ClusterHostOptions } from '../testing/clusterHosts';

const APP = 'RESTART-APP';
const KEY = 'anychat';
const skip = findRedisServer() ? (postgresUnavailableReason() ?? false) : REDIS_MISSING;

let redis: RedisServer;
let pg: PostgresServer;
const hosts: ClusterHost[] = [];
const clients: AnyChatClient[] = [];

const login = (host: ClusterHost, name: string) => loginThrough(host, name, clients);

const onlineIds = async (h: ClusterHost) => {
  const r = await call(h.url, 'online_useridlist_get', { userflags: 0 }, { appId: APP, key: KEY, timestamp: nextTimestamp() });
  return ((r.json.useridlist as number[] | undefined) ?? []).slice().sort().join();
};

describe.skipIf(skip)('Redis restarting empty under a running cluster', () => {
  let options: (nodeId: string) => ClusterHostOptions;

  beforeAll(async () => {
    [redis, pg] = await Promise.all([startRedisServer(), startPostgres()]);
    const shared = {
      users: ['alice', 'bob', 'carol', 'dave'].map((n, i) => ({ userName: n, password: 'pw', userId: 1001 + i })),
      operators: [{ username: 'admin', password: 'admin-pw' }],
      apps: [{ appId: APP, md5Key: KEY }],
      log: { level: 'error' },
    };
    const base = 45000 + Math.floor(Math.random() * 50) * 300;
    options = (nodeId) => ({ nodeId, redisUrl: redis.url, postgresUrl: pg.url, shared, rtcMinPort: base + 'abc'.indexOf(nodeId) * 100 });
    hosts.push(...(await Promise.all(['a', 'b'].map((n) => startClusterHost(options(n))))));
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) if (c.isOpen) c.close();
    await Promise.all(hosts.map((h) => stopClusterHost(h)));
    await redis?.stop();
    pg?.stop();
  }, 60_000);

  it('the nodes write their state again: a node started afterwards sees every user and the room, a user who left meanwhile is gone', async () => {
    const [a, b] = hosts as [ClusterHost, ClusterHost];
    const alice = await login(a, 'alice');
    const bob = await login(b, 'bob');
    const carol = await login(b, 'carol');
    const lobby = (await alice.enterRoom({ roomName: 'lobby' })).roomId;
    expect((await bob.enterRoom({ roomName: 'lobby' })).roomId).toBe(lobby);
    await until(async () => (await onlineIds(a)) === '1001,1002,1003', 10_000, 'three users on a');

    await redis.stop();
    carol.close(); // leaves while Redis is away
    redis = await startRedisServer({ port: redis.port });

    for (const h of [a, b]) await until(async () => (await onlineIds(h)) === '1001,1002', 20_000, `alice and bob only, on ${h.nodeId}`);
    const c = await startClusterHost(options('c'));
    hosts.push(c);
    await until(async () => (await onlineIds(c)) === '1001,1002', 20_000, 'the new node sees alice and bob');
    // the name still names the room: dave entering through c is with alice and bob
    const dave = await login(c, 'dave');
    const entered = await dave.enterRoom({ roomName: 'lobby' });
    expect(entered.roomId).toBe(lobby);
    expect(entered.users.map((u) => u.userId).sort()).toEqual([1001, 1002, 1004]);
    const aliceHearsDave = alice.next('textMessage', (m) => m.srcUserId === 1004);
    await dave.sendTextMessage(-1, 'after the restart');
    expect((await aliceHearsDave).text).toBe('after the restart');
  }, 90_000);
});

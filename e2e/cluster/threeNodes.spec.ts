/**
 * A cluster in real Chromium (docs/cluster.md): three built hosts on one throwaway PostgreSQL and Redis. alice
 * publishes camera + microphone through node a's demo page, bob watches through node c's: his
 * mediasoup-client consumes from a's media node over c's socket (video decodes, audio arrives).
 * The console on node b lists both users with their nodes and shows the Nodes panel.
 */
import { expect, test } from '@playwright/test';
import { findRedisServer, REDIS_MISSING, startRedisServer, type RedisServer } from '../../electron/cluster/testing/redisServer';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../../electron/store/testing/postgresServer';
import { ConsolePage } from '../console-screens/consolePage';
import { audioPacketsFrom, enterRoom, framesFrom, signedInDemo } from '../fixtures/demoPage';
import { defaultHostConfig, startHost, type RunningHost } from '../fixtures/host';

const ALICE = 1001;
const BOB = 1002;

test.describe('three nodes', () => {
  test.skip(!findRedisServer(), REDIS_MISSING);
  test.skip(postgresUnavailableReason() !== null, postgresUnavailableReason() ?? '');
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let redis: RedisServer;
  let pg: PostgresServer;
  const hosts: Record<string, RunningHost> = {};

  test.beforeAll(async () => {
    [redis, pg] = await Promise.all([startRedisServer(), startPostgres()]);
    const base = 44000 + Math.floor(Math.random() * 20) * 300;
    for (const [i, nodeId] of ['a', 'b', 'c'].entries()) {
      hosts[nodeId] = await startHost(
        defaultHostConfig({
          media: { numWorkers: 1, rtcMinPort: base + i * 100, rtcMaxPort: base + i * 100 + 99 },
          cluster: { nodeId, redisUrl: redis.url, postgresUrl: pg.url },
          log: { level: 'warn' },
        }),
      );
    }
  });

  test.afterAll(async () => {
    await Promise.all(Object.values(hosts).map((h) => h.stop()));
    await redis?.stop();
    pg?.stop();
  });

  test('publisher on a, viewer on c: video decodes and audio arrives; the console on b shows both with their nodes', async ({ browser }) => {
    const alice = await signedInDemo(browser, hosts.a!.url, 'alice', 'alice-pw');
    const bob = await signedInDemo(browser, hosts.c!.url, 'bob', 'bob-pw');
    const roomId = await enterRoom(alice, 'cluster-e2e', 'interactive');
    expect(await enterRoom(bob, 'cluster-e2e', 'interactive')).toBe(roomId);
    await expect(bob.getByTestId(`user-${ALICE}`)).toBeVisible();

    await alice.getByTestId('camera').click();
    await expect(alice.getByTestId('micMute')).toHaveAttribute('data-state', 'live');
    await expect.poll(() => framesFrom(bob, ALICE), { timeout: 30_000 }).toBeGreaterThan(30);
    await expect.poll(() => audioPacketsFrom(bob, ALICE), { timeout: 30_000 }).toBeGreaterThan(0);

    const operator = await (await browser.newContext()).newPage();
    const ops = await ConsolePage.signIn(operator, hosts.b!.url);
    await ops.go('users');
    await expect(operator.getByTestId(`user-node-${ALICE}`)).toHaveText('a');
    await expect(operator.getByTestId(`user-node-${BOB}`)).toHaveText('c');
    await ops.go('rooms');
    await expect(operator.getByTestId(`room-nodes-${roomId}`)).toHaveText('a, c');
    await ops.go('dashboard');
    await expect(operator.getByTestId('nodes-panel')).toBeVisible();
    for (const n of ['a', 'b', 'c']) await expect(operator.getByTestId(`node-row-${n}`)).toHaveAttribute('data-status', 'up');
    await expect(operator.getByTestId('node-users-a')).toHaveText('1', { timeout: 10_000 });
    await expect(operator.getByTestId('node-users-c')).toHaveText('1', { timeout: 10_000 });
  });
});

/**
 * Two hosts (Core, in-process) on one throwaway PostgreSQL: what one writes through its own
 * surfaces, the other reads — an operator's session, a smart-queue object through the signed
 * gateway, a ban, an audit entry — and the ids they hand out never collide.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig, type LoadedConfig } from '../../config/loadConfig';
import { call, nextTimestamp, TEST_APP_ID, TEST_MD5_KEY } from '../../gateway/testHarness';
import { freePort, postgresUnavailableReason, startPostgres, type PostgresServer } from '../../store/testing/postgresServer';
import { Core } from '../Core';

const unavailable = postgresUnavailableReason();

async function node(nodeId: string, postgresUrl: string, rtcMin: number): Promise<{ core: Core; url: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `anychat-node-${nodeId}-`));
  const config: LoadedConfig = {
    ...validateConfig({
      listen: { host: '127.0.0.1', port: await freePort() },
      dataDir: dir,
      users: [{ userName: 'alice', password: 'alice-pw', userId: 1001 }],
      operators: [{ username: 'admin', password: 'admin-pw' }],
      apps: [{ appId: TEST_APP_ID, md5Key: TEST_MD5_KEY }],
      media: { rtcMinPort: rtcMin, rtcMaxPort: rtcMin + 100, numWorkers: 1 },
      log: { level: 'warn' },
    }),
    configDir: dir,
  };
  const core = await Core.create({ config, logger: pino({ level: 'silent' }), rendererDir: dir, cluster: { nodeId, postgresUrl } });
  return { core, url: await core.start() };
}

describe.skipIf(unavailable !== null)(`two hosts on one PostgreSQL${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let pg: PostgresServer;
  let a: { core: Core; url: string };
  let b: { core: Core; url: string };

  beforeAll(async () => {
    pg = await startPostgres('cluster');
    const rtc = 42000 + Math.floor(Math.random() * 2000);
    // Started together: one applies the shared schema, the other waits for it.
    [a, b] = await Promise.all([node('a', pg.url, rtc), node('b', pg.url, rtc + 200)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.core.stop(), b?.core.stop()]);
    pg?.stop();
  });

  it('an operator signed in through one host is signed in on the other; signing out ends it on both', async () => {
    const { token } = await a.core.operatorAuth.signIn('admin', 'admin-pw', '127.0.0.1');
    expect(await b.core.operatorAuth.sessionFor(token)).toMatchObject({ username: 'admin', role: 'admin' });
    await b.core.operatorAuth.signOut(token);
    expect(await a.core.operatorAuth.sessionFor(token)).toBeNull();
  });

  it('a smart-queue object created through one gateway is read through the other', async () => {
    const created = await call(a.url, 'object_info_set', { action: 1, objecttype: 4, objectid: 77, name: 'Hall A' }, { timestamp: nextTimestamp() });
    expect(created.json.return_code).toBe('SUCCESS');
    const guid = String(created.json.objectguid);
    const read = await call(b.url, 'object_info_get', { objectguid: guid }, { timestamp: nextTimestamp() });
    expect(read.json).toMatchObject({ return_code: 'SUCCESS', objectid: 77, name: 'Hall A' });
    // The same (type, id) through the other gateway is a conflict, not a second object.
    const dup = await call(b.url, 'object_info_set', { action: 1, objecttype: 4, objectid: 77, name: 'Hall B' }, { timestamp: nextTimestamp() });
    expect(dup.json.return_code).toBe('FAIL');
  });

  it('bans and audit entries written on one host are read on the other', async () => {
    await a.core.components.sdk.kickUser(1001, { banSeconds: 60, reason: 'spam' });
    expect((await b.core.components.sdk.listBans()).map((x) => [x.userId, x.reason])).toEqual([[1001, 'spam']]);
    await a.core.audit.append({ operator: 'admin', action: 'test:cluster', target: 'x', params: {}, result: 'ok', errorCode: null, message: null });
    expect((await b.core.audit.list(50)).map((e) => e.action)).toContain('test:cluster');
  });

  it('room ids handed out by both hosts never collide', () => {
    const ids = [a, b].flatMap((n) => Array.from({ length: 30 }, () => n.core.components.sdk.allocateRoomId()));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

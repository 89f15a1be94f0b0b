/**
 * A cluster signs notices (and download URLs) with one server key: the first node's key goes to
 * the shared PostgreSQL store and every other node adopts it, whatever its own key file holds.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresClient } from '../store/sql/PostgresClient';
import { runPostgresMigrations } from '../store/sql/postgresMigrations';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../store/testing/postgresServer';
import { clusterServerKey, loadOrCreateServerKey, serverKeyPgMigrations } from './serverKey';

const unavailable = postgresUnavailableReason();

describe.skipIf(unavailable !== null)(`the cluster's server key${unavailable ? ` — skipped: ${unavailable}` : ''}`, () => {
  let server: PostgresServer;
  let db: PostgresClient;
  beforeAll(async () => {
    server = await startPostgres('serverkey0');
    db = new PostgresClient(server.createDatabase('serverkey1'), { max: 4 });
    await runPostgresMigrations(db, serverKeyPgMigrations);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    server?.stop();
  });

  it("the first node's key is everyone's; a node's own key file is left as it is", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'server-key-'));
    const [a, b, c] = ['a', 'b', 'c'].map((n) => loadOrCreateServerKey(path.join(dir, n, 'gateway-rsa-private.pem')));
    expect(new Set([a!.publicKeyPem, b!.publicKeyPem, c!.publicKeyPem]).size).toBe(3);
    const results = await Promise.all([a!, b!, c!].map((k) => clusterServerKey(db, k)));
    const keys = new Set(results.map((r) => r.key.publicKeyPem));
    expect(keys.size).toBe(1);
    expect(results.filter((r) => !r.adopted)).toHaveLength(1);
    // a restarted node gets the same key again
    expect((await clusterServerKey(db, b!)).key.publicKeyPem).toBe([...keys][0]);
    expect(loadOrCreateServerKey(path.join(dir, 'b', 'gateway-rsa-private.pem')).publicKeyPem).toBe(b!.publicKeyPem);
  });
});

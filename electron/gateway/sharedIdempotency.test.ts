/**
 * Controls carried out once across nodes on a real PostgreSQL: two nodes' stores receiving the
 * same control at the same instant run it once and answer both with its reply; a node that dies
 * mid-control leaves the key to the other once its lease lapses; a server-side failure is not
 * kept, so its retry runs again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresClient } from '../store/sql/PostgresClient';
import { runPostgresMigrations } from '../store/sql/postgresMigrations';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../store/testing/postgresServer';
import type { StoredReply } from './idempotency';
import { SharedIdempotencyStore, sharedIdempotencyPgMigrations } from './sharedIdempotency';

const unavailable = postgresUnavailableReason();
const keep = (r: StoredReply) => r.status < 500;

describe.skipIf(unavailable !== null)(`gateway controls once across nodes${unavailable ? ` — skipped: ${unavailable}` : ''}`, () => {
  let server: PostgresServer;
  const clients: PostgresClient[] = [];
  let a: SharedIdempotencyStore;
  let b: SharedIdempotencyStore;

  beforeAll(async () => {
    server = await startPostgres('idem0');
    const url = server.createDatabase('idem1');
    for (let i = 0; i < 2; i++) clients.push(new PostgresClient(url, { max: 4 }));
    await runPostgresMigrations(clients[0]!, sharedIdempotencyPgMigrations);
    [a, b] = clients.map((db) => new SharedIdempotencyStore(db, { maxEntries: 10_000, keep, leaseMs: 400, pollMs: 10 })) as [
      SharedIdempotencyStore,
      SharedIdempotencyStore,
    ];
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    server?.stop();
  });

  const expires = () => Date.now() + 60_000;

  it('the same control reaching two nodes at once runs once; both get its reply', async () => {
    for (let i = 0; i < 20; i++) {
      let runs = 0;
      const execute = async (): Promise<StoredReply> => {
        runs++;
        await new Promise((r) => setTimeout(r, 20));
        return { status: 200, reply: { n: i, run: runs } };
      };
      const key = `k${i}`;
      const [x, y, z] = await Promise.all([a.run(key, expires(), execute), b.run(key, expires(), execute), a.run(key, expires(), execute)]);
      expect(runs).toBe(1);
      expect([x!.reply, y!.reply, z!.reply]).toEqual([
        { n: i, run: 1 },
        { n: i, run: 1 },
        { n: i, run: 1 },
      ]);
      expect([x!, y!, z!].filter((r) => !r.replayed)).toHaveLength(1);
    }
  });

  it('a node that dies mid-control leaves the key to another once the lease lapses', async () => {
    void a.run('orphan', expires(), () => new Promise<StoredReply>(() => undefined)); // never answers: its node died
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    const r = await b.run('orphan', expires(), () => Promise.resolve({ status: 200, reply: { by: 'b' } }));
    expect(r).toMatchObject({ replayed: false, reply: { by: 'b' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('a server-side failure is not kept: the retry through another node runs again', async () => {
    const first = await a.run('flaky', expires(), () => Promise.resolve({ status: 500, reply: { return_code: 'FAIL' } }));
    expect(first.replayed).toBe(false);
    const second = await b.run('flaky', expires(), () => Promise.resolve({ status: 200, reply: { return_code: 'SUCCESS' } }));
    expect(second).toMatchObject({ replayed: false, reply: { return_code: 'SUCCESS' } });
    expect(await a.run('flaky', expires(), () => Promise.reject(new Error('must not run')))).toMatchObject({ replayed: true, status: 200 });
  });
});

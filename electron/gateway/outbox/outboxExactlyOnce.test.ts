/**
 * Three nodes' outbox pumps on one PostgreSQL database and one real HTTP receiver: every notice
 * is delivered once (a 2xx exactly once per notifyid), in each node's order, even while the
 * receiver fails some attempts and every node sweeps for the others' notices.
 */
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresClient } from '../../store/sql/PostgresClient';
import { runPostgresMigrations } from '../../store/sql/postgresMigrations';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from '../../store/testing/postgresServer';
import { WebhookReceiver } from '../webhookReceiver';
import { NotifyOutbox, outboxPgMigrations } from './NotifyOutbox';
import { OutboxRepository } from './outboxRepository';
import { md5Signature } from '../signature';

const unavailable = postgresUnavailableReason();
const APP = 'EXACTLY-ONCE';
const PER_NODE = 40;
const ORPHAN = 'ORPHANED-LEASE';

async function until(cond: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(unavailable !== null)(`outbox on PostgreSQL: three pumps, one receiver${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let pg: PostgresServer;
  const clients: PostgresClient[] = [];
  const outboxes: NotifyOutbox[] = [];
  let rx: WebhookReceiver;

  beforeAll(async () => {
    pg = await startPostgres('outbox');
    rx = await WebhookReceiver.start({ md5Key: 'k' });
    for (let i = 0; i < 3; i++) clients.push(new PostgresClient(pg.url, { max: 4 }));
    // The three nodes start together: the migrator's lock lets one create the schema.
    await Promise.all(clients.map((c) => runPostgresMigrations(c, outboxPgMigrations)));
  }, 60_000);

  afterAll(async () => {
    for (const o of outboxes) o.close();
    await Promise.all(clients.map((c) => c.close()));
    await rx?.close();
    pg?.stop();
  });

  it('delivers each notice once, cluster-wide, while nodes race for every line', async () => {
    rx.delayMs = 3;
    // Some attempts fail: the retried notices must still arrive once.
    rx.script = [503, 200, 200, 503, 200, 503, 503];
    for (const [i, db] of clients.entries()) {
      outboxes.push(
        await NotifyOutbox.create({
          db,
          owner: `node-${i}`,
          sweepMs: 50,
          apps: [{ appId: APP, callbackUrl: rx.url, retry: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 20 } }],
          sign: (appId, method) => ({ timestamp: '20260101000000', signtype: 'MD5', signstr: md5Signature(method, appId, '20260101000000', 'k') }),
          logger: pino({ level: 'silent' }),
          timeoutMs: 5000,
          deliveryLogMax: 10_000,
        }),
      );
    }
    const sent: string[][] = [[], [], []];
    for (let n = 0; n < PER_NODE; n++) for (const [i, o] of outboxes.entries()) sent[i]!.push(o.enqueue(APP, 'userlogin_notify', { node: i, seq: n }));
    await Promise.all(outboxes.map((o) => o.flushWrites()));

    await until(async () => (await outboxes[0]!.depth()).every((d) => d.pending === 0 && d.dead === 0), 60_000);

    const ok = rx.received.filter((r) => r.answered === 200).map((r) => String(r.body.notifyid));
    const all = sent.flat();
    expect(ok).toHaveLength(all.length);
    expect(new Set(ok).size).toBe(all.length);
    expect(new Set(ok)).toEqual(new Set(all));
    // Each node's notices arrived in the order it queued them (one line per app, head first).
    for (const mine of sent) expect(ok.filter((id) => mine.includes(id))).toEqual(mine);
    // The delivery log holds one 'delivered' per notice, and the nodes shared the work.
    // (A row leaves the outbox just before its log line is written: wait for the last lines.)
    const deliveredLog = async () => (await outboxes[0]!.deliveryLog({ limit: 5000 })).filter((e) => e.outcome === 'delivered').map((e) => e.notifyId);
    await until(async () => (await deliveredLog()).length >= all.length, 10_000);
    const delivered = await deliveredLog();
    expect(delivered.sort()).toEqual([...all].sort());
    expect(outboxes.reduce((n, o) => n + o.attempts.delivered, 0)).toBe(all.length);
    expect(outboxes.filter((o) => o.attempts.delivered > 0).length).toBeGreaterThan(1);
  }, 90_000);

  it("a node that died holding a notice's lease: another node sends it once the lease lapses, not before", async () => {
    const repo = new OutboxRepository(clients[0]!);
    const now = Date.now();
    await repo.insert('ORPHAN-1', ORPHAN, 'userlogout_notify', JSON.stringify({ notifyid: 'ORPHAN-1' }), now);
    // What a node killed mid-attempt leaves behind: the head leased, never released.
    const dead = await repo.claimHead(ORPHAN, 'dead-node', now, now + 400);
    expect(dead && 'row' in dead && dead.row.notify_id).toBe('ORPHAN-1');
    // While the lease holds, nobody else may take it: they are told when to look again.
    expect(await repo.claimHead(ORPHAN, 'node-x', now + 1, now + 60_000)).toEqual({ retryAt: now + 400 });
    const survivor = await NotifyOutbox.create({
      db: clients[1]!,
      owner: 'survivor',
      sweepMs: 50,
      apps: [{ appId: ORPHAN, callbackUrl: rx.url, retry: { initialDelayMs: 10, maxDelayMs: 50, maxAttempts: 5 } }],
      sign: (appId, method) => ({ timestamp: '20260101000000', signtype: 'MD5', signstr: md5Signature(method, appId, '20260101000000', 'k') }),
      logger: pino({ level: 'silent' }),
      timeoutMs: 5000,
      deliveryLogMax: 100,
    });
    outboxes.push(survivor);
    await until(async () => (await survivor.depth()).every((d) => d.pending === 0), 30_000);
    const got = rx.received.filter((r) => r.body.notifyid === 'ORPHAN-1' && r.answered === 200);
    expect(got).toHaveLength(1);
    expect(survivor.attempts.delivered).toBe(1);
  }, 60_000);
});

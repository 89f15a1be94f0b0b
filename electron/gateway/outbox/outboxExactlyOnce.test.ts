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
import { md5Signature } from '../signature';

const unavailable = postgresUnavailableReason();
const APP = 'EXACTLY-ONCE';
const PER_NODE = 40;

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
    const delivered = (await outboxes[0]!.deliveryLog({ limit: 5000 })).filter((e) => e.outcome === 'delivered').map((e) => e.notifyId);
    expect(delivered.sort()).toEqual([...all].sort());
    expect(outboxes.reduce((n, o) => n + o.attempts.delivered, 0)).toBe(all.length);
    expect(outboxes.filter((o) => o.attempts.delivered > 0).length).toBeGreaterThan(1);
  }, 90_000);
});

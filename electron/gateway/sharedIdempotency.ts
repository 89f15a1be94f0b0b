/**
 * Idempotent retries of gateway controls across a cluster (protocol.md §3): the same contract as
 * IdempotencyStore, with the replies in the shared PostgreSQL store, so a retry a load balancer
 * sends to another node is answered from the first call's reply and nothing happens twice.
 *
 * A node claims a key with a lease before it carries the control out (one upsert: a new key, or
 * one whose lease lapsed because its node died mid-call, or whose window has passed); a repeat
 * that finds the key claimed by another node waits for that node's reply (polling), and takes
 * the key over if the lease lapses first. Server-side failures are not kept (a retry may cure
 * them): their claim is deleted, and a waiting repeat then claims the key and runs it.
 */
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient } from '../store/sql/SqlClient';
import { IdempotencyFullError, type IdempotentResult, type StoredReply } from './idempotency';

export const sharedIdempotencyPgMigrations: PgMigration[] = [
  {
    id: 'gateway:007_idempotency_shared',
    sql: `CREATE TABLE gateway_idempotency (
        key TEXT PRIMARY KEY,
        expires_at BIGINT NOT NULL,
        status INTEGER NOT NULL,
        reply TEXT NOT NULL,
        lease_until BIGINT NOT NULL
      );
      CREATE INDEX gateway_idempotency_expires ON gateway_idempotency (expires_at);`,
  },
];

/** status 0 = claimed, the control is running on the node holding the lease. */
const CLAIMED = 0;

export interface SharedIdempotencyOptions {
  maxEntries: number;
  /** Replies that should not be kept (server-side failures a retry may cure). */
  keep: (r: StoredReply) => boolean;
  /** How long a claim holds while its control runs (longer than the slowest control). */
  leaseMs: number;
  /** How often a repeat waiting on another node looks for the reply. */
  pollMs?: number;
}

export class SharedIdempotencyStore {
  /** Repeats on this node wait on the first call here, without polling. */
  private readonly inFlight = new Map<string, Promise<IdempotentResult>>();
  private live = 0;
  private lastPrune = 0;

  constructor(
    private readonly db: SqlClient,
    private readonly o: SharedIdempotencyOptions,
  ) {}

  /** Runs `execute` once per key cluster-wide: `expiresAt` is when the request's timestamp leaves the window. */
  async run(key: string, expiresAt: number, execute: () => Promise<StoredReply>): Promise<IdempotentResult> {
    const pending = this.inFlight.get(key);
    if (pending) return { ...(await pending), replayed: true };
    const p = this.runOnce(key, expiresAt, execute);
    this.inFlight.set(key, p);
    try {
      return await p;
    } finally {
      this.inFlight.delete(key);
    }
  }

  private async runOnce(key: string, expiresAt: number, execute: () => Promise<StoredReply>): Promise<IdempotentResult> {
    await this.prune();
    // Bounded: past twice the lease a claim has either answered or lapsed and been taken over.
    const giveUpAt = Date.now() + 2 * this.o.leaseMs + 1000;
    for (;;) {
      const now = Date.now();
      const row = await this.db.get<{ status: number; reply: string }>(
        'SELECT status, reply FROM gateway_idempotency WHERE key = ? AND expires_at >= ? AND status != ?',
        [key, now, CLAIMED],
      );
      if (row) return { status: row.status, reply: JSON.parse(row.reply) as Record<string, unknown>, replayed: true };
      if (await this.claim(key, expiresAt, now)) return this.carryOut(key, execute);
      if (Date.now() > giveUpAt) throw new Error('a repeat of this control is still running on another node');
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 50));
    }
  }

  /** True when this node now holds the key: new, or its lease lapsed, or its window passed. */
  private async claim(key: string, expiresAt: number, now: number): Promise<boolean> {
    if (this.live >= this.o.maxEntries) throw new IdempotencyFullError('too many controls inside the timestamp window');
    const r = await this.db.run(
      `INSERT INTO gateway_idempotency (key, expires_at, status, reply, lease_until) VALUES (?, ?, ?, '', ?)
       ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, status = excluded.status, reply = '', lease_until = excluded.lease_until
       WHERE (gateway_idempotency.status = ? AND gateway_idempotency.lease_until < ?) OR gateway_idempotency.expires_at < ?`,
      [key, expiresAt, CLAIMED, now + this.o.leaseMs, CLAIMED, now, now],
    );
    return r.changes === 1;
  }

  private async carryOut(key: string, execute: () => Promise<StoredReply>): Promise<IdempotentResult> {
    let result: StoredReply;
    try {
      result = await execute();
    } catch (err) {
      await this.db.run('DELETE FROM gateway_idempotency WHERE key = ? AND status = ?', [key, CLAIMED]).catch(() => undefined);
      throw err;
    }
    try {
      if (this.o.keep(result)) {
        await this.db.run('UPDATE gateway_idempotency SET status = ?, reply = ?, lease_until = 0 WHERE key = ?', [
          result.status,
          JSON.stringify(result.reply),
          key,
        ]);
        this.live++;
      } else {
        await this.db.run('DELETE FROM gateway_idempotency WHERE key = ? AND status = ?', [key, CLAIMED]);
      }
    } catch {
      // The control ran; its reply must still go out. A repeat finds the claim and, once its lease lapses, runs again.
    }
    return { ...result, replayed: false };
  }

  private async prune(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < 1000) return;
    this.lastPrune = now;
    await this.db.run('DELETE FROM gateway_idempotency WHERE expires_at < ? AND lease_until < ?', [now, now]);
    this.live = Number((await this.db.get<{ n: number | string }>('SELECT COUNT(*) AS n FROM gateway_idempotency'))!.n);
  }

  get entries(): number {
    return this.live;
  }
}

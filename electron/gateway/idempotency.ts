/**
 * Idempotent retries of gateway controls (protocol.md §3). The seed's signature covers only
 * `method&appid&timestamp&key`, so it cannot tell a retry from a new request; the gateway keys a
 * control by its whole URL and body instead. The first call is carried out and its reply kept
 * (in SQLite, so a restart does not forget it) until its timestamp leaves the window; a repeat
 * inside the window gets that reply without the control running again. A repeat that arrives
 * while the first is still running waits for it. Queries never come here.
 */
import { createHash } from 'node:crypto';
import type { Db, Migration } from '../store/Database';

export const idempotencyMigrations: Migration[] = [
  {
    id: 'gateway:003_idempotency',
    up(db) {
      db.exec(`CREATE TABLE gateway_idempotency (
        key TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL,
        status INTEGER NOT NULL,
        reply TEXT NOT NULL
      )`);
      db.exec('CREATE INDEX gateway_idempotency_expires ON gateway_idempotency (expires_at)');
    },
  },
];

export interface StoredReply {
  status: number;
  reply: Record<string, unknown>;
}

export type IdempotentResult = StoredReply & { replayed: boolean };

/** Thrown when the store already holds `maxEntries` live keys (the gateway answers 100706). */
export class IdempotencyFullError extends Error {}

/** The key of one control: method, app, the URL's query (timestamp and signature included) and the body. */
export function controlKey(method: string, appId: string, search: string, body: Buffer): string {
  return createHash('sha256').update(`${method}\n${appId}\n${search}\n`).update(body).digest('base64');
}

export class IdempotencyStore {
  private readonly inFlight = new Map<string, Promise<StoredReply>>();
  private readonly stmts;
  private live = 0;
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly maxEntries: number,
    /** Replies that should not be kept (server-side failures a retry may cure). */
    private readonly keep: (r: StoredReply) => boolean,
  ) {
    this.stmts = {
      get: db.prepare('SELECT status, reply FROM gateway_idempotency WHERE key = ? AND expires_at >= ?'),
      put: db.prepare('INSERT OR REPLACE INTO gateway_idempotency (key, expires_at, status, reply) VALUES (?, ?, ?, ?)'),
      prune: db.prepare('DELETE FROM gateway_idempotency WHERE expires_at < ?'),
      count: db.prepare('SELECT COUNT(*) AS n FROM gateway_idempotency'),
    };
    this.prune(Date.now(), true);
  }

  /**
   * Runs `execute` once per key: `expiresAt` is when the request's timestamp leaves the window.
   * Throws IdempotencyFullError instead of growing past `maxEntries`.
   */
  async run(key: string, expiresAt: number, execute: () => Promise<StoredReply>, now = Date.now()): Promise<IdempotentResult> {
    const pending = this.inFlight.get(key);
    if (pending) return { ...(await pending), replayed: true };
    this.prune(now);
    const row = this.stmts.get.get(key, now) as { status: number; reply: string } | undefined;
    if (row) return { status: row.status, reply: JSON.parse(row.reply) as Record<string, unknown>, replayed: true };
    if (this.live >= this.maxEntries) throw new IdempotencyFullError('too many controls inside the timestamp window');
    const p = execute();
    this.inFlight.set(key, p);
    try {
      const result = await p;
      if (this.keep(result)) {
        try {
          this.stmts.put.run(key, expiresAt, result.status, JSON.stringify(result.reply));
          this.live++;
        } catch {
          // The control ran; its reply must still go out. Only a later retry (store full) may repeat it.
        }
      }
      return { ...result, replayed: false };
    } finally {
      this.inFlight.delete(key);
    }
  }

  private prune(now: number, force = false): void {
    if (!force && now - this.lastPrune < 1000) return;
    this.lastPrune = now;
    this.stmts.prune.run(now);
    this.live = Number((this.stmts.count.get() as { n: number | bigint }).n);
  }

  get entries(): number {
    return this.live;
  }
}

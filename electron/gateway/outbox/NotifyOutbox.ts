/**
 * The durable webhook outbox. A notice is written to SQLite before any attempt and removed only
 * after a 2xx. One worker per app sends that app's notices strictly in order (the head of the line
 * is retried with exponential backoff until it is delivered or its attempts run out — then it is
 * kept as "dead" and the line moves on). A restart resumes every pending notice. Dead notices can
 * be re-sent from the console.
 */
import http from 'node:http';
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { TypedEmitter } from '../../util/TypedEmitter';
import type { SqlClient } from '../../store/sql/SqlClient';
import { OutboxRepository, type DeliveryLogRow, type OutboxRow } from './outboxRepository';

export { outboxMigrations, outboxPgMigrations } from './outboxRepository';

export interface RetryPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  maxAttempts: number;
}

export interface OutboxApp {
  appId: string;
  callbackUrl: string;
  retry: RetryPolicy;
}

export interface NoticeSignature {
  timestamp: string;
  signtype: 'MD5' | 'RSA';
  signstr: string;
}

export interface OutboxEntry {
  id: number;
  notifyId: string;
  appId: string;
  method: string;
  body: Record<string, unknown>;
  createdAt: number;
  state: 'pending' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  lastStatus: number | null;
  lastError: string | null;
}

/** One attempt to deliver a notice, as the delivery log keeps it. */
export type DeliveryLogEntry = DeliveryLogRow;

export interface OutboxDepth {
  appId: string;
  pending: number;
  dead: number;
  /** Oldest pending notice's age in ms (0 when none). */
  oldestPendingMs: number;
}

const toEntry = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  notifyId: r.notify_id,
  appId: r.app_id,
  method: r.method,
  body: JSON.parse(r.body) as Record<string, unknown>,
  createdAt: r.created_at,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastAttemptAt: r.last_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
});

export function backoffDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempts - 1));
}

export interface OutboxOptions {
  /** The shared store: every node of a cluster pumps the same outbox. */
  db: SqlClient;
  apps: readonly OutboxApp[];
  sign(appId: string, method: string): NoticeSignature;
  logger: Logger;
  timeoutMs: number;
  deliveryLogMax: number;
  /** Who holds a lease (the cluster node id; one process alone is 'local'). */
  owner?: string;
  /**
   * How often to look for notices other nodes queued or left behind (0: never — alone, this
   * process queued every notice and its workers already know).
   */
  sweepMs?: number;
}

interface Worker {
  running: boolean;
  /** Kicked while running: take another look before stopping. */
  again: boolean;
  timer: NodeJS.Timeout | null;
  inFlight: http.ClientRequest | null;
}

/** A lease outlives the longest attempt by this much (a dead node's notices wait this long). */
const LEASE_MARGIN_MS = 15_000;

export class NotifyOutbox extends TypedEmitter<{ changed: { appId: string } }> {
  private readonly apps = new Map<string, OutboxApp>();
  private readonly workers = new Map<string, Worker>();
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  private closed = false;
  private logInserts = 0;
  private readonly repo: OutboxRepository;
  private readonly owner: string;
  /** Enqueues are written one after another, so a node's notices keep their order. */
  private writes: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private sweepTimer: NodeJS.Timeout | null = null;

  private constructor(private readonly opts: OutboxOptions) {
    super();
    for (const a of opts.apps) this.apps.set(a.appId, a);
    this.repo = new OutboxRepository(opts.db);
    this.owner = opts.owner ?? 'local';
  }

  static async create(opts: OutboxOptions): Promise<NotifyOutbox> {
    const o = new NotifyOutbox(opts);
    await o.repo.releaseLeasesOf(o.owner);
    await o.sweep();
    if (opts.sweepMs) {
      o.sweepTimer = setInterval(() => void o.sweep().catch((err: unknown) => o.opts.logger.warn({ err }, 'outbox sweep failed')), opts.sweepMs);
      o.sweepTimer.unref?.();
    }
    return o;
  }

  private async sweep(): Promise<void> {
    for (const appId of await this.repo.appsWithPending()) this.kick(appId);
  }

  /** Stores a notice (durably, before any attempt), then wakes the app's worker. Returns its notifyid at once. */
  enqueue(appId: string, method: string, body: Record<string, unknown>): string {
    const notifyId = randomUUID().toUpperCase();
    const now = Date.now();
    // Started at once (on SQLite the row is written before enqueue returns), chained after the
    // writes still in flight (on PostgreSQL a node's notices keep their order).
    const insert = () => this.repo.insert(notifyId, appId, method, JSON.stringify({ ...body, notifyid: notifyId }), now);
    const written = this.pendingWrites === 0 ? insert() : this.writes.then(insert);
    this.pendingWrites++;
    this.writes = written
      .then(
        () => {
          this.emit('changed', { appId });
          this.kick(appId);
        },
        (err: unknown) => this.opts.logger.error({ err, appId, method, notifyId }, 'outbox: notice could not be stored'),
      )
      .finally(() => this.pendingWrites--);
    return notifyId;
  }

  private worker(appId: string): Worker {
    let w = this.workers.get(appId);
    if (!w) {
      w = { running: false, again: false, timer: null, inFlight: null };
      this.workers.set(appId, w);
    }
    return w;
  }

  private kick(appId: string): void {
    if (this.closed || !this.apps.has(appId)) return;
    const w = this.worker(appId);
    if (w.running) {
      w.again = true;
      return;
    }
    if (w.timer) {
      clearTimeout(w.timer);
      w.timer = null;
    }
    w.running = true;
    w.again = false;
    void this.run(appId, w)
      .catch((err: unknown) => {
        this.opts.logger.error({ err, appId }, 'outbox worker failed; restarting in 1 s');
        if (this.closed) return;
        this.wakeAt(appId, w, Date.now() + 1000);
      })
      .finally(() => {
        w.running = false;
        // Kicked while it was between its last look and stopping: look again.
        if (w.again && !w.timer) this.kick(appId);
      });
  }

  private wakeAt(appId: string, w: Worker, at: number): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(
      () => {
        w.timer = null;
        this.kick(appId);
      },
      Math.max(0, at - Date.now()),
    );
    w.timer.unref?.();
  }

  private async run(appId: string, w: Worker): Promise<void> {
    const app = this.apps.get(appId)!;
    while (!this.closed) {
      w.again = false;
      const now = Date.now();
      const claim = await this.repo.claimHead(appId, this.owner, now, now + this.opts.timeoutMs + LEASE_MARGIN_MS);
      if (this.closed || !claim) return;
      if ('retryAt' in claim) {
        // Not due yet, or another node is sending it (and will go on down the line): look again when
        // it is due or that node's lease lapses (the node died).
        this.wakeAt(appId, w, claim.retryAt);
        return;
      }
      const row = claim.row;
      const attempt = row.attempts + 1;
      const result = await this.attempt(app, row, w);
      // Closed meanwhile: record nothing (the store may be closing); the notice stays pending and is sent again.
      if (this.closed) return;
      const at = Date.now();
      if (result.ok) {
        await this.repo.delivered(row.id);
        await this.log(row, attempt, at, result.status, null, 'delivered');
        this.opts.logger.debug({ appId, method: row.method, notifyId: row.notify_id, attempt }, 'notice delivered');
      } else if (attempt >= app.retry.maxAttempts) {
        await this.repo.failed(row.id, { attempts: attempt, state: 'dead', nextAttemptAt: at, at, status: result.status, error: result.error });
        await this.log(row, attempt, at, result.status, result.error, 'dead');
        this.opts.logger.warn(
          { appId, method: row.method, notifyId: row.notify_id, attempt, status: result.status, error: result.error },
          'notice dead: attempts exhausted',
        );
      } else {
        const next = at + backoffDelay(app.retry, attempt);
        await this.repo.failed(row.id, { attempts: attempt, state: 'pending', nextAttemptAt: next, at, status: result.status, error: result.error });
        await this.log(row, attempt, at, result.status, result.error, 'retry');
        this.opts.logger.info(
          { appId, method: row.method, notifyId: row.notify_id, attempt, status: result.status, error: result.error, retryInMs: next - at },
          'notice delivery failed, will retry',
        );
      }
      this.emit('changed', { appId });
    }
  }

  /** Delivery attempts by outcome since start (metrics). */
  readonly attempts: Record<DeliveryLogEntry['outcome'], number> = { delivered: 0, retry: 0, dead: 0 };

  private async log(
    row: OutboxRow,
    attempt: number,
    at: number,
    status: number | null,
    error: string | null,
    outcome: DeliveryLogEntry['outcome'],
  ): Promise<void> {
    this.attempts[outcome]++;
    await this.repo.log({ notifyId: row.notify_id, appId: row.app_id, method: row.method, attempt, at, httpStatus: status, error, outcome });
    if (++this.logInserts % 100 === 0) await this.repo.trimLog(this.opts.deliveryLogMax);
  }

  private attempt(app: OutboxApp, row: OutboxRow, w: Worker): Promise<{ ok: boolean; status: number | null; error: string | null; aborted?: boolean }> {
    return new Promise((resolve) => {
      let url: URL;
      try {
        url = new URL(app.callbackUrl);
        url.pathname = `${url.pathname.replace(/\/+$/, '')}/${row.method}`;
        const sig = this.opts.sign(app.appId, row.method);
        url.searchParams.set('method', row.method);
        url.searchParams.set('timestamp', sig.timestamp);
        url.searchParams.set('appid', app.appId);
        url.searchParams.set('signtype', sig.signtype);
        url.searchParams.set('signstr', sig.signstr);
      } catch (err) {
        resolve({ ok: false, status: null, error: `bad callback: ${(err as Error).message}` });
        return;
      }
      const body = Buffer.from(row.body, 'utf8');
      const isHttps = url.protocol === 'https:';
      const req = (isHttps ? https : http).request(url, {
        method: 'POST',
        agent: isHttps ? this.httpsAgent : this.httpAgent,
        headers: { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': body.length },
        timeout: this.opts.timeoutMs,
      });
      w.inFlight = req;
      let settled = false;
      const done = (r: { ok: boolean; status: number | null; error: string | null; aborted?: boolean }) => {
        if (settled) return;
        settled = true;
        w.inFlight = null;
        resolve(r);
      };
      req.on('response', (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const finish = () => done({ ok: status >= 200 && status < 300, status, error: status >= 200 && status < 300 ? null : `HTTP ${status}` });
        res.on('end', finish);
        res.on('error', finish);
        res.on('close', finish);
      });
      req.on('timeout', () => req.destroy(new Error(`no response within ${this.opts.timeoutMs} ms`)));
      req.on('error', (err) => done({ ok: false, status: null, error: err.message, aborted: this.closed }));
      req.end(body);
    });
  }

  // ---- console ------------------------------------------------------------------------------

  async depth(): Promise<OutboxDepth[]> {
    await this.writes;
    const byApp = new Map((await this.repo.depth()).map((r) => [r.app_id, r]));
    const ids = new Set([...this.apps.keys(), ...byApp.keys()]);
    const now = Date.now();
    return [...ids].map((appId) => {
      const r = byApp.get(appId);
      return { appId, pending: r?.pending ?? 0, dead: r?.dead ?? 0, oldestPendingMs: r?.oldest ? now - r.oldest : 0 };
    });
  }

  async entries(filter: { appId?: string; state?: 'pending' | 'dead'; limit?: number } = {}): Promise<OutboxEntry[]> {
    await this.writes;
    return (await this.repo.entries({ ...filter, limit: Math.min(filter.limit ?? 200, 5000) })).map(toEntry);
  }

  deliveryLog(filter: { appId?: string; notifyId?: string; limit?: number } = {}): Promise<DeliveryLogEntry[]> {
    return this.repo.deliveryLog({ ...filter, limit: Math.min(filter.limit ?? 200, 5000) });
  }

  /** Puts dead notices back in line (one by notifyid, or every dead one of an app / of all apps). Returns how many. */
  async resendDead(sel: { notifyId?: string; appId?: string } = {}): Promise<number> {
    const { count, apps } = await this.repo.resendDead(sel, Date.now());
    for (const appId of apps) {
      this.emit('changed', { appId });
      this.kick(appId);
    }
    return count;
  }

  /** Resolves once every notice enqueued so far is in the store. */
  flushWrites(): Promise<void> {
    return this.writes;
  }

  /** Stops sending; whatever is pending stays in the store for the next start. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    for (const w of this.workers.values()) {
      if (w.timer) clearTimeout(w.timer);
      w.timer = null;
      w.inFlight?.destroy();
    }
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.removeAllListeners();
  }
}

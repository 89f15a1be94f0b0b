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
import type { SQLInputValue } from 'node:sqlite';
import { column, type Db, type Migration } from '../../store/Database';

export const outboxMigrations: Migration[] = [
  {
    id: 'gateway:001_outbox',
    up(db) {
      db.exec(`CREATE TABLE gateway_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notify_id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL,
        method TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_attempt_at INTEGER,
        last_status INTEGER,
        last_error TEXT
      );
      CREATE INDEX gateway_outbox_app ON gateway_outbox (app_id, state, id);
      CREATE TABLE gateway_delivery_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notify_id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        method TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at INTEGER NOT NULL,
        http_status INTEGER,
        error TEXT,
        outcome TEXT NOT NULL
      );`);
    },
  },
];

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

export interface DeliveryLogEntry {
  id: number;
  notifyId: string;
  appId: string;
  method: string;
  attempt: number;
  at: number;
  httpStatus: number | null;
  error: string | null;
  outcome: 'delivered' | 'retry' | 'dead';
}

export interface OutboxDepth {
  appId: string;
  pending: number;
  dead: number;
  /** Oldest pending notice's age in ms (0 when none). */
  oldestPendingMs: number;
}

interface Row {
  id: number;
  notify_id: string;
  app_id: string;
  method: string;
  body: string;
  created_at: number;
  state: 'pending' | 'dead';
  attempts: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
}

const toEntry = (r: Row): OutboxEntry => ({
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
  db: Db;
  apps: readonly OutboxApp[];
  sign(appId: string, method: string): NoticeSignature;
  logger: Logger;
  timeoutMs: number;
  deliveryLogMax: number;
}

interface Worker {
  running: boolean;
  timer: NodeJS.Timeout | null;
  inFlight: http.ClientRequest | null;
}

export class NotifyOutbox extends TypedEmitter<{ changed: { appId: string } }> {
  private readonly apps = new Map<string, OutboxApp>();
  private readonly workers = new Map<string, Worker>();
  private readonly httpAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private readonly httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 4 });
  private closed = false;
  private logInserts = 0;
  private readonly stmts;

  private constructor(private readonly opts: OutboxOptions) {
    super();
    for (const a of opts.apps) this.apps.set(a.appId, a);
    const db = opts.db;
    this.stmts = {
      insert: db.prepare('INSERT INTO gateway_outbox (notify_id, app_id, method, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)'),
      head: db.prepare("SELECT * FROM gateway_outbox WHERE app_id = ? AND state = 'pending' ORDER BY id LIMIT 1"),
      delete: db.prepare('DELETE FROM gateway_outbox WHERE id = ?'),
      fail: db.prepare(
        'UPDATE gateway_outbox SET attempts = ?, state = ?, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = ? WHERE id = ?',
      ),
      log: db.prepare('INSERT INTO gateway_delivery_log (notify_id, app_id, method, attempt, at, http_status, error, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      trimLog: db.prepare('DELETE FROM gateway_delivery_log WHERE id <= (SELECT MAX(id) FROM gateway_delivery_log) - ?'),
      appsWithPending: db.prepare("SELECT DISTINCT app_id FROM gateway_outbox WHERE state = 'pending'"),
    };
  }

  static async create(opts: OutboxOptions): Promise<NotifyOutbox> {
    const o = new NotifyOutbox(opts);
    for (const { app_id } of o.stmts.appsWithPending.all() as { app_id: string }[]) o.kick(app_id);
    return o;
  }

  /** Stores a notice (durably, before any attempt) and wakes the app's worker. Returns its notifyid. */
  enqueue(appId: string, method: string, body: Record<string, unknown>): string {
    const notifyId = randomUUID().toUpperCase();
    const now = Date.now();
    this.stmts.insert.run(notifyId, appId, method, JSON.stringify({ ...body, notifyid: notifyId }), now, now);
    this.emit('changed', { appId });
    this.kick(appId);
    return notifyId;
  }

  private worker(appId: string): Worker {
    let w = this.workers.get(appId);
    if (!w) {
      w = { running: false, timer: null, inFlight: null };
      this.workers.set(appId, w);
    }
    return w;
  }

  private kick(appId: string): void {
    if (this.closed || !this.apps.has(appId)) return;
    const w = this.worker(appId);
    if (w.running) return;
    if (w.timer) {
      clearTimeout(w.timer);
      w.timer = null;
    }
    w.running = true;
    void this.run(appId, w)
      .catch((err: unknown) => {
        this.opts.logger.error({ err, appId }, 'outbox worker failed; restarting in 1 s');
        if (this.closed) return;
        w.timer = setTimeout(() => {
          w.timer = null;
          this.kick(appId);
        }, 1000);
        w.timer.unref?.();
      })
      .finally(() => {
        w.running = false;
      });
  }

  private async run(appId: string, w: Worker): Promise<void> {
    const app = this.apps.get(appId)!;
    while (!this.closed) {
      const row = this.stmts.head.get(appId) as Row | undefined;
      if (!row) return;
      const wait = row.next_attempt_at - Date.now();
      if (wait > 0) {
        w.timer = setTimeout(() => {
          w.timer = null;
          this.kick(appId);
        }, wait);
        w.timer.unref?.();
        return;
      }
      const attempt = row.attempts + 1;
      const result = await this.attempt(app, row, w);
      // Closed meanwhile: record nothing (the store may be closing); the notice stays pending and is sent again.
      if (this.closed) return;
      const now = Date.now();
      if (result.ok) {
        this.stmts.delete.run(row.id);
        this.log(row, attempt, now, result.status, null, 'delivered');
        this.opts.logger.debug({ appId, method: row.method, notifyId: row.notify_id, attempt }, 'notice delivered');
      } else if (attempt >= app.retry.maxAttempts) {
        this.stmts.fail.run(attempt, 'dead', now, now, result.status, result.error, row.id);
        this.log(row, attempt, now, result.status, result.error, 'dead');
        this.opts.logger.warn(
          { appId, method: row.method, notifyId: row.notify_id, attempt, status: result.status, error: result.error },
          'notice dead: attempts exhausted',
        );
      } else {
        const next = now + backoffDelay(app.retry, attempt);
        this.stmts.fail.run(attempt, 'pending', next, now, result.status, result.error, row.id);
        this.log(row, attempt, now, result.status, result.error, 'retry');
        this.opts.logger.info(
          { appId, method: row.method, notifyId: row.notify_id, attempt, status: result.status, error: result.error, retryInMs: next - now },
          'notice delivery failed, will retry',
        );
      }
      this.emit('changed', { appId });
    }
  }

  /** Delivery attempts by outcome since start (metrics). */
  readonly attempts: Record<DeliveryLogEntry['outcome'], number> = { delivered: 0, retry: 0, dead: 0 };

  private log(row: Row, attempt: number, at: number, status: number | null, error: string | null, outcome: DeliveryLogEntry['outcome']): void {
    this.attempts[outcome]++;
    this.stmts.log.run(row.notify_id, row.app_id, row.method, attempt, at, status, error, outcome);
    if (++this.logInserts % 100 === 0) this.stmts.trimLog.run(this.opts.deliveryLogMax);
  }

  private attempt(app: OutboxApp, row: Row, w: Worker): Promise<{ ok: boolean; status: number | null; error: string | null; aborted?: boolean }> {
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

  depth(): OutboxDepth[] {
    const rows = this.opts.db
      .prepare(
        `SELECT app_id, SUM(state = 'pending') AS pending, SUM(state = 'dead') AS dead,
                MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
         FROM gateway_outbox GROUP BY app_id`,
      )
      .all() as { app_id: string; pending: number; dead: number; oldest: number | null }[];
    const byApp = new Map(rows.map((r) => [r.app_id, r]));
    const ids = new Set([...this.apps.keys(), ...byApp.keys()]);
    const now = Date.now();
    return [...ids].map((appId) => {
      const r = byApp.get(appId);
      return { appId, pending: r?.pending ?? 0, dead: r?.dead ?? 0, oldestPendingMs: r?.oldest ? now - r.oldest : 0 };
    });
  }

  entries(filter: { appId?: string; state?: 'pending' | 'dead'; limit?: number } = {}): OutboxEntry[] {
    const where: string[] = [];
    const args: SQLInputValue[] = [];
    if (filter.appId) {
      where.push('app_id = ?');
      args.push(filter.appId);
    }
    if (filter.state) {
      where.push('state = ?');
      args.push(filter.state);
    }
    const sql = `SELECT * FROM gateway_outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT ?`;
    return (this.opts.db.prepare(sql).all(...args, Math.min(filter.limit ?? 200, 5000)) as unknown as Row[]).map(toEntry);
  }

  deliveryLog(filter: { appId?: string; notifyId?: string; limit?: number } = {}): DeliveryLogEntry[] {
    const where: string[] = [];
    const args: SQLInputValue[] = [];
    if (filter.appId) {
      where.push('app_id = ?');
      args.push(filter.appId);
    }
    if (filter.notifyId) {
      where.push('notify_id = ?');
      args.push(filter.notifyId);
    }
    const sql = `SELECT id, notify_id AS notifyId, app_id AS appId, method, attempt, at, http_status AS httpStatus, error, outcome
                 FROM gateway_delivery_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`;
    return this.opts.db.prepare(sql).all(...args, Math.min(filter.limit ?? 200, 5000)) as unknown as DeliveryLogEntry[];
  }

  /** Puts dead notices back in line (one by notifyid, or every dead one of an app / of all apps). Returns how many. */
  resendDead(sel: { notifyId?: string; appId?: string } = {}): number {
    const where = ["state = 'dead'"];
    const args: SQLInputValue[] = [];
    if (sel.notifyId) {
      where.push('notify_id = ?');
      args.push(sel.notifyId);
    }
    if (sel.appId) {
      where.push('app_id = ?');
      args.push(sel.appId);
    }
    const apps = column<string>(this.opts.db, `SELECT DISTINCT app_id FROM gateway_outbox WHERE ${where.join(' AND ')}`, ...args);
    const n = Number(
      this.opts.db
        .prepare(`UPDATE gateway_outbox SET state = 'pending', attempts = 0, next_attempt_at = ? WHERE ${where.join(' AND ')}`)
        .run(Date.now(), ...args).changes,
    );
    for (const appId of apps) {
      this.emit('changed', { appId });
      this.kick(appId);
    }
    return n;
  }

  /** Stops sending; whatever is pending stays in the store for the next start. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
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

/**
 * The outbox's rows, in the shared store (SQLite alone, PostgreSQL in a cluster). A worker may
 * send a notice only while it holds the row's lease: `claimHead` takes the head of an app's line
 * atomically (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so a node that finds another node
 * claiming the head moves on instead of waiting), which makes each notice go out once however
 * many nodes pump the same outbox — and in order, since only the head is ever claimed.
 */
import type { Migration } from '../../store/Database';
import type { PgMigration } from '../../store/sql/postgresMigrations';
import { sqlColumn, type SqlClient, type SqlValue } from '../../store/sql/SqlClient';

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
  {
    id: 'gateway:004_outbox_lease',
    up(db) {
      db.exec('ALTER TABLE gateway_outbox ADD COLUMN lease_owner TEXT; ALTER TABLE gateway_outbox ADD COLUMN lease_until INTEGER');
    },
  },
];

export const outboxPgMigrations: PgMigration[] = [
  {
    id: 'gateway:001_outbox',
    sql: `CREATE TABLE gateway_outbox (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        notify_id TEXT NOT NULL UNIQUE,
        app_id TEXT NOT NULL,
        method TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at BIGINT NOT NULL,
        last_attempt_at BIGINT,
        last_status INTEGER,
        last_error TEXT,
        lease_owner TEXT,
        lease_until BIGINT
      );
      CREATE INDEX gateway_outbox_app ON gateway_outbox (app_id, state, id);
      CREATE TABLE gateway_delivery_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        notify_id TEXT NOT NULL,
        app_id TEXT NOT NULL,
        method TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        at BIGINT NOT NULL,
        http_status INTEGER,
        error TEXT,
        outcome TEXT NOT NULL
      );`,
  },
];

export interface OutboxRow {
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

export interface DeliveryLogRow {
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

/** What `claimHead` found: the row to send now, or when to look again (null: the line is empty). */
export type Claim = { row: OutboxRow } | { retryAt: number } | null;

const COLUMNS = 'id, notify_id, app_id, method, body, created_at, state, attempts, next_attempt_at, last_attempt_at, last_status, last_error';
const HEAD = "SELECT id FROM gateway_outbox WHERE app_id = ? AND state = 'pending' ORDER BY id LIMIT 1";
const FREE = '(lease_until IS NULL OR lease_until < ? OR lease_owner = ?)';

export class OutboxRepository {
  constructor(private readonly db: SqlClient) {}

  async insert(notifyId: string, appId: string, method: string, body: string, now: number): Promise<void> {
    await this.db.run('INSERT INTO gateway_outbox (notify_id, app_id, method, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)', [
      notifyId,
      appId,
      method,
      body,
      now,
      now,
    ]);
  }

  /** Leases the head of `appId`'s line to `owner` until `leaseUntil`, if it is due and nobody else holds it. */
  async claimHead(appId: string, owner: string, now: number, leaseUntil: number): Promise<Claim> {
    const lock = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const claimed = await this.db.get<OutboxRow>(
      `UPDATE gateway_outbox SET lease_owner = ?, lease_until = ?
       WHERE id IN (SELECT id FROM gateway_outbox WHERE id IN (${HEAD}) AND next_attempt_at <= ? AND ${FREE} ${lock})
       RETURNING ${COLUMNS}`,
      [owner, leaseUntil, appId, now, now, owner],
    );
    if (claimed) return { row: claimed };
    const head = await this.db.get<{ next_attempt_at: number; lease_until: number | null }>(
      `SELECT next_attempt_at, lease_until FROM gateway_outbox WHERE id IN (${HEAD})`,
      [appId],
    );
    if (!head) return null;
    return { retryAt: Math.max(head.next_attempt_at, head.lease_until ?? 0) };
  }

  /** Forgets `owner`'s leases (at start: what a previous run of this node held). */
  async releaseLeasesOf(owner: string): Promise<void> {
    await this.db.run('UPDATE gateway_outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ?', [owner]);
  }

  async delivered(id: number): Promise<void> {
    await this.db.run('DELETE FROM gateway_outbox WHERE id = ?', [id]);
  }

  async failed(
    id: number,
    f: { attempts: number; state: 'pending' | 'dead'; nextAttemptAt: number; at: number; status: number | null; error: string | null },
  ): Promise<void> {
    await this.db.run(
      `UPDATE gateway_outbox SET attempts = ?, state = ?, next_attempt_at = ?, last_attempt_at = ?, last_status = ?, last_error = ?,
         lease_owner = NULL, lease_until = NULL WHERE id = ?`,
      [f.attempts, f.state, f.nextAttemptAt, f.at, f.status, f.error, id],
    );
  }

  async log(e: Omit<DeliveryLogRow, 'id'>): Promise<void> {
    await this.db.run(
      'INSERT INTO gateway_delivery_log (notify_id, app_id, method, attempt, at, http_status, error, outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [e.notifyId, e.appId, e.method, e.attempt, e.at, e.httpStatus, e.error, e.outcome],
    );
  }

  async trimLog(keep: number): Promise<void> {
    await this.db.run('DELETE FROM gateway_delivery_log WHERE id <= (SELECT MAX(id) FROM gateway_delivery_log) - ?', [keep]);
  }

  appsWithPending(): Promise<string[]> {
    return sqlColumn<string>(this.db, "SELECT DISTINCT app_id FROM gateway_outbox WHERE state = 'pending'");
  }

  depth(): Promise<{ app_id: string; pending: number; dead: number; oldest: number | null }[]> {
    return this.db.all(
      `SELECT app_id, SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending, SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead,
              MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
       FROM gateway_outbox GROUP BY app_id`,
    );
  }

  entries(filter: { appId?: string; state?: 'pending' | 'dead'; limit: number }): Promise<OutboxRow[]> {
    const { where, args } = conditions([
      ['app_id = ?', filter.appId],
      ['state = ?', filter.state],
    ]);
    return this.db.all<OutboxRow>(`SELECT ${COLUMNS} FROM gateway_outbox ${where} ORDER BY id LIMIT ?`, [...args, filter.limit]);
  }

  deliveryLog(filter: { appId?: string; notifyId?: string; limit: number }): Promise<DeliveryLogRow[]> {
    const { where, args } = conditions([
      ['app_id = ?', filter.appId],
      ['notify_id = ?', filter.notifyId],
    ]);
    return this.db.all<DeliveryLogRow>(
      `SELECT id, notify_id AS "notifyId", app_id AS "appId", method, attempt, at, http_status AS "httpStatus", error, outcome
       FROM gateway_delivery_log ${where} ORDER BY id DESC LIMIT ?`,
      [...args, filter.limit],
    );
  }

  /** Puts dead notices back in line; returns how many and whose. */
  async resendDead(sel: { notifyId?: string; appId?: string }, now: number): Promise<{ count: number; apps: string[] }> {
    const { where, args } = conditions([
      ["state = 'dead'", null],
      ['notify_id = ?', sel.notifyId],
      ['app_id = ?', sel.appId],
    ]);
    return this.db.transaction(async (tx) => {
      const apps = await sqlColumn<string>(tx, `SELECT DISTINCT app_id FROM gateway_outbox ${where}`, args);
      const { changes } = await tx.run(`UPDATE gateway_outbox SET state = 'pending', attempts = 0, next_attempt_at = ? ${where}`, [now, ...args]);
      return { count: changes, apps };
    });
  }
}

/** A WHERE clause from the conditions whose value is given (null: a condition without a parameter). */
function conditions(parts: [string, SqlValue | undefined][]): { where: string; args: SqlValue[] } {
  const used = parts.filter(([, v]) => v !== undefined && v !== '');
  return {
    where: used.length ? `WHERE ${used.map(([c]) => c).join(' AND ')}` : '',
    args: used.filter(([, v]) => v !== null).map(([, v]) => v as SqlValue),
  };
}

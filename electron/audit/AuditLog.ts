/**
 * The operator audit log: every console action with who, what, when and the result, persisted.
 * `run()` wraps an action so the entry is written whether it succeeds or fails.
 */
import type { Logger } from 'pino';
import { isCodedError } from '../../shared/codes';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient } from '../store/sql/SqlClient';

export const auditMigrations: Migration[] = [
  {
    id: 'audit:001_audit_log',
    up(db) {
      db.exec(`CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        params TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
        error_code INTEGER,
        message TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at)`);
    },
  },
];

export const auditPgMigrations: PgMigration[] = [
  {
    id: 'audit:001_audit_log',
    sql: `CREATE TABLE audit_log (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        operator TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        params TEXT NOT NULL,
        result TEXT NOT NULL CHECK (result IN ('ok', 'error')),
        error_code INTEGER,
        message TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at)`,
  },
];

interface Row {
  id: number;
  at: number;
  operator: string;
  action: string;
  target: string;
  params: string;
  result: 'ok' | 'error';
  error_code: number | null;
  message: string | null;
}

/** One operator action as the audit log keeps it (the console's AuditEntry has this shape). */
export interface AuditEntry {
  id: number;
  at: number;
  operator: string;
  action: string;
  target: string;
  params: Record<string, unknown>;
  result: 'ok' | 'error';
  errorCode: number | null;
  message: string | null;
}

export class AuditLog extends TypedEmitter<{ appended: AuditEntry }> {
  constructor(
    private readonly db: SqlClient,
    private readonly logger: Logger,
  ) {
    super();
  }

  /** Runs `action`, then records its outcome; rethrows the action's error. */
  async run<T>(operator: string, action: string, target: string, params: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T> {
    try {
      const value = await fn();
      await this.append({ operator, action, target, params, result: 'ok', errorCode: null, message: null });
      return value;
    } catch (err) {
      const code = isCodedError(err) ? err.code : null;
      await this.append({ operator, action, target, params, result: 'error', errorCode: code, message: (err as Error).message }).catch((storeErr: unknown) =>
        this.logger.error({ err: storeErr }, 'audit entry not stored'),
      );
      throw err;
    }
  }

  async append(e: Omit<AuditEntry, 'id' | 'at'>): Promise<AuditEntry> {
    const at = Date.now();
    const row = await this.db.get<{ id: number }>(
      'INSERT INTO audit_log (at, operator, action, target, params, result, error_code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id',
      [at, e.operator, e.action, e.target, JSON.stringify(e.params), e.result, e.errorCode, e.message],
    );
    const entry: AuditEntry = { id: Number(row!.id), at, ...e };
    this.logger.info({ audit: entry }, 'operator action');
    this.emit('appended', entry);
    return entry;
  }

  async list(limit = 100, beforeId?: number): Promise<AuditEntry[]> {
    const rows = beforeId
      ? await this.db.all<Row>('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?', [beforeId, limit])
      : await this.db.all<Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      operator: r.operator,
      action: r.action,
      target: r.target,
      params: JSON.parse(r.params) as Record<string, unknown>,
      result: r.result,
      errorCode: r.error_code,
      message: r.message,
    }));
  }
}

/**
 * The operator audit log: every console action with who, what, when and the result, persisted.
 * `run()` wraps an action so the entry is written whether it succeeds or fails.
 */
import type { Logger } from 'pino';
import { isCodedError } from '../../shared/codes';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Db, Migration } from '../store/Database';

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
  private readonly insert;
  private readonly select;
  private readonly selectBefore;

  constructor(
    db: Db,
    private readonly logger: Logger,
  ) {
    super();
    this.insert = db.prepare('INSERT INTO audit_log (at, operator, action, target, params, result, error_code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.select = db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?');
    this.selectBefore = db.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
  }

  /** Runs `action`, then records its outcome; rethrows the action's error. */
  async run<T>(operator: string, action: string, target: string, params: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T> {
    try {
      const value = await fn();
      this.append({ operator, action, target, params, result: 'ok', errorCode: null, message: null });
      return value;
    } catch (err) {
      const code = isCodedError(err) ? err.code : null;
      this.append({ operator, action, target, params, result: 'error', errorCode: code, message: (err as Error).message });
      throw err;
    }
  }

  append(e: Omit<AuditEntry, 'id' | 'at'>): AuditEntry {
    const at = Date.now();
    const info = this.insert.run(at, e.operator, e.action, e.target, JSON.stringify(e.params), e.result, e.errorCode, e.message);
    const entry: AuditEntry = { id: Number(info.lastInsertRowid), at, ...e };
    this.logger.info({ audit: entry }, 'operator action');
    this.emit('appended', entry);
    return entry;
  }

  list(limit = 100, beforeId?: number): AuditEntry[] {
    const rows = (beforeId ? this.selectBefore.all(beforeId, limit) : this.select.all(limit)) as unknown as Row[];
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

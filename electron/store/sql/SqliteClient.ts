/**
 * The SqlClient over the node's embedded SQLite (node:sqlite is synchronous; the answers are
 * simply wrapped in promises). A transaction holds the connection: statements issued meanwhile
 * by other callers wait until it ends, so they never land inside it.
 */
import type { SQLInputValue, StatementSync } from 'node:sqlite';
import type { Db } from '../Database';
import type { SqlClient, SqlRunResult, SqlValue } from './SqlClient';

const toInput = (params: readonly SqlValue[]): SQLInputValue[] => params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));

/** Prepared statements by SQL text (repositories issue a fixed set; dynamic ones are few). */
class Statements {
  private readonly cache = new Map<string, StatementSync>();
  constructor(private readonly db: Db) {}
  get(sql: string): StatementSync {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size < 500) this.cache.set(sql, s);
    }
    return s;
  }
}

export class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private busy: Promise<unknown> = Promise.resolve();
  private inTx = false;
  private readonly stmts: Statements;

  constructor(readonly db: Db) {
    this.stmts = new Statements(db);
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.whenFree(() => this.stmts.get(sql).all(...toInput(params)) as T[]);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.whenFree(() => this.stmts.get(sql).get(...toInput(params)) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> {
    return this.whenFree(() => ({ changes: Number(this.stmts.get(sql).run(...toInput(params)).changes) }));
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const tx = new TxView(this.stmts);
    const result = this.busy.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      this.inTx = true;
      try {
        const value = await fn(tx);
        this.db.exec('COMMIT');
        return value;
      } catch (err) {
        if (this.db.isTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.inTx = false;
      }
    });
    this.busy = result.catch(() => undefined);
    return result;
  }

  /** Runs now when no transaction is open (the common case: no extra turn of the event loop). */
  private whenFree<T>(op: () => T): Promise<T> {
    if (!this.inTx) {
      try {
        return Promise.resolve(op());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    const result = this.busy.then(op);
    this.busy = result.catch(() => undefined);
    return result;
  }
}

/** The statements of one open transaction (run directly: the transaction holds the connection). */
class TxView implements SqlClient {
  readonly dialect = 'sqlite' as const;
  constructor(private readonly stmts: Statements) {}
  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return Promise.resolve(this.stmts.get(sql).all(...toInput(params)) as T[]);
  }
  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return Promise.resolve(this.stmts.get(sql).get(...toInput(params)) as T | undefined);
  }
  run(sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> {
    return Promise.resolve({ changes: Number(this.stmts.get(sql).run(...toInput(params)).changes) });
  }
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

const clients = new WeakMap<Db, SqliteClient>();

/** The one SqlClient of a SQLite connection (one, so its transactions never interleave). */
export function sqliteClientFor(db: Db): SqliteClient {
  let c = clients.get(db);
  if (!c) {
    c = new SqliteClient(db);
    clients.set(db, c);
  }
  return c;
}

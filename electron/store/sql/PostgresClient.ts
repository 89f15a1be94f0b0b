/**
 * The SqlClient over PostgreSQL (the `pg` library, pure JavaScript). `?` placeholders become
 * `$1…$n`; BIGINT and NUMERIC come back as numbers (ids and epoch-ms timestamps stay far below
 * 2^53), so rows look the same as SQLite's.
 */
import pg from 'pg';
import type { SqlClient, SqlRunResult, SqlValue } from './SqlClient';

pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** `?` → `$n`, outside quoted strings. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

const converted = new Map<string, string>();
function pgSql(sql: string): string {
  let s = converted.get(sql);
  if (s === undefined) {
    s = numberPlaceholders(sql);
    if (converted.size < 1000) converted.set(sql, s);
  }
  return s;
}

type Queryable = pg.Pool | pg.PoolClient;

class PgQueries implements SqlClient {
  readonly dialect = 'postgres' as const;
  constructor(protected readonly q: Queryable) {}

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.q.query(pgSql(sql), params as unknown[])).rows as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<SqlRunResult> {
    return { changes: (await this.q.query(pgSql(sql), params as unknown[])).rowCount ?? 0 };
  }

  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    return fn(this);
  }
}

export class PostgresClient extends PgQueries {
  readonly pool: pg.Pool;

  constructor(url: string, opts: { max?: number; onError?: (err: Error) => void } = {}) {
    const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
    // An idle client losing its server must not crash the process; the next query reports it.
    pool.on('error', (err) => opts.onError?.(err));
    super(pool);
    this.pool = pool;
  }

  override async transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const value = await fn(new PgQueries(client));
      await client.query('COMMIT');
      return value;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

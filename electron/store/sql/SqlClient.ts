/**
 * The store interface every shared repository is written against: async, so the same repository
 * runs on the embedded SQLite (node:sqlite) and on PostgreSQL (pg). Statements use `?`
 * placeholders and the SQL both engines speak (ON CONFLICT … DO UPDATE/NOTHING, RETURNING, CASE);
 * the PostgreSQL client numbers the placeholders. What differs (DDL, row locks) is asked of
 * `dialect`.
 */
export type SqlValue = string | number | bigint | boolean | null | Uint8Array;

export type SqlDialect = 'sqlite' | 'postgres';

export interface SqlRunResult {
  changes: number;
}

export interface SqlClient {
  readonly dialect: SqlDialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<SqlRunResult>;
  /** Runs `fn` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/** The first column of the first row, or undefined. */
export async function sqlScalar<T>(db: SqlClient, sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
  const row = await db.get<Record<string, unknown>>(sql, params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** The first column of every row. */
export async function sqlColumn<T>(db: SqlClient, sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
  return (await db.all<Record<string, unknown>>(sql, params)).map((r) => Object.values(r)[0] as T);
}

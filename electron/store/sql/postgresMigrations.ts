/**
 * Versioned migrations for the shared PostgreSQL store, like the SQLite ones: ids are
 * `component:NNN_name`, each runs once in its own transaction and is recorded in
 * `schema_migrations`. Nodes starting together take an advisory lock, so one applies them.
 */
import type { Logger } from 'pino';
import type { PostgresClient } from './PostgresClient';

export interface PgMigration {
  id: string;
  /** DDL, possibly several statements. */
  sql: string;
}

/** Any constant: the lock key every node's migrator agrees on. */
const MIGRATION_LOCK = 7_318_001;

export async function runPostgresMigrations(client: PostgresClient, migrations: readonly PgMigration[], logger?: Logger): Promise<string[]> {
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  const conn = await client.pool.connect();
  const ran: string[] = [];
  try {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await conn.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const applied = new Set((await conn.query<{ id: string }>('SELECT id FROM schema_migrations')).rows.map((r) => r.id));
    for (const m of migrations) {
      if (applied.has(m.id)) continue;
      await conn.query('BEGIN');
      try {
        await conn.query(m.sql);
        await conn.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, Date.now()]);
        await conn.query('COMMIT');
      } catch (err) {
        await conn.query('ROLLBACK');
        throw err;
      }
      ran.push(m.id);
      logger?.info({ migration: m.id }, 'migration applied (postgres)');
    }
  } finally {
    await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    conn.release();
  }
  return ran;
}

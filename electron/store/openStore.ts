/**
 * What the composition root opens: the node's own SQLite (always — per-node state such as
 * history, the session journal and idempotency replies) and the shared durable store, which is
 * that same SQLite when the host runs alone and PostgreSQL when it is a cluster node.
 */
import type { Logger } from 'pino';
import { openDatabase, runMigrations, type Db, type Migration } from './Database';
import { SqlIdAllocator, type IdAllocator } from './idAllocator';
import { PostgresClient } from './sql/PostgresClient';
import { runPostgresMigrations, type PgMigration } from './sql/postgresMigrations';
import type { SqlClient } from './sql/SqlClient';
import { sqliteClientFor } from './sql/SqliteClient';

export interface StoreOptions {
  dataDir: string;
  /** The cluster's PostgreSQL; absent: everything stays in the node's SQLite. */
  postgresUrl?: string;
  logger?: Logger;
  /** Every component's SQLite migrations (all of them run on the node's SQLite, as alone). */
  migrations: readonly Migration[];
  /** The shared tables' PostgreSQL migrations (run only with `postgresUrl`). */
  pgMigrations: readonly PgMigration[];
}

export interface Store {
  /** The node's own SQLite. */
  readonly local: Db;
  /** The shared durable state. */
  readonly shared: SqlClient;
  /** Ids unique across restarts and nodes. */
  readonly ids: IdAllocator;
  close(): Promise<void>;
}

export async function openStore(opts: StoreOptions): Promise<Store> {
  const local = openDatabase(opts.dataDir, opts.logger);
  runMigrations(local, opts.migrations, opts.logger);
  const closeLocal = () => {
    local.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    local.close();
  };
  if (!opts.postgresUrl) {
    const shared = sqliteClientFor(local);
    return { local, shared, ids: new SqlIdAllocator(shared), close: async () => closeLocal() };
  }
  const pg = new PostgresClient(opts.postgresUrl, { onError: (err) => opts.logger?.warn({ err }, 'postgres connection lost') });
  try {
    await runPostgresMigrations(pg, opts.pgMigrations, opts.logger);
  } catch (err) {
    await pg.close();
    closeLocal();
    throw err;
  }
  opts.logger?.info({ postgres: redact(opts.postgresUrl) }, 'shared store: postgres');
  return {
    local,
    shared: pg,
    ids: new SqlIdAllocator(pg),
    close: async () => {
      await pg.close();
      closeLocal();
    },
  };
}

/** The URL without its password, for logs. */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

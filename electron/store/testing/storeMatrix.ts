/**
 * Runs a repository's tests on both stores: the embedded SQLite (its SQLite migrations) and a
 * throwaway PostgreSQL (its PostgreSQL migrations; one server per test file, a fresh database per
 * test). Where PostgreSQL is not installed, the PostgreSQL half reports itself skipped with why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openDatabase, runMigrations, type Db, type Migration } from '../Database';
import { PostgresClient } from '../sql/PostgresClient';
import { runPostgresMigrations, type PgMigration } from '../sql/postgresMigrations';
import type { SqlClient } from '../sql/SqlClient';
import { sqliteClientFor } from '../sql/SqliteClient';
import { postgresUnavailableReason, startPostgres, type PostgresServer } from './postgresServer';

export interface StoreUnderTest {
  /** The store, opened and migrated. */
  db: SqlClient;
  /** Closes the store and opens the same data again (what a restart, or another node, sees). */
  reopen(): Promise<SqlClient>;
}

export interface Schema {
  sqlite: readonly Migration[];
  postgres: readonly PgMigration[];
}

export function describeEachStore(title: string, schema: Schema, tests: (store: () => StoreUnderTest) => void): void {
  describe(`${title} (sqlite)`, () => {
    let dir = '';
    let db: Db | null = null;
    let current: StoreUnderTest | null = null;
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'store-matrix-'));
      db = openDatabase(dir);
      runMigrations(db, schema.sqlite);
      current = {
        db: sqliteClientFor(db),
        reopen: () => {
          db?.close();
          db = openDatabase(dir);
          current!.db = sqliteClientFor(db);
          return Promise.resolve(current!.db);
        },
      };
    });
    afterEach(() => {
      db?.close();
      db = null;
      rmSync(dir, { recursive: true, force: true });
    });
    tests(() => current!);
  });

  const unavailable = postgresUnavailableReason();
  describe.skipIf(unavailable !== null)(`${title} (postgres)${unavailable ? ` — skipped: ${unavailable}` : ''}`, () => {
    let server: PostgresServer | null = null;
    let client: PostgresClient | null = null;
    let current: StoreUnderTest | null = null;
    let n = 0;
    beforeAll(async () => {
      server = await startPostgres('matrix0');
    }, 60_000);
    afterAll(() => server?.stop());
    beforeEach(async () => {
      const url = server!.createDatabase(`matrix${++n}`);
      client = new PostgresClient(url, { max: 4 });
      await runPostgresMigrations(client, schema.postgres);
      current = {
        db: client,
        reopen: async () => {
          await client?.close();
          client = new PostgresClient(url, { max: 4 });
          current!.db = client;
          return client;
        },
      };
    });
    afterEach(async () => {
      await client?.close();
      client = null;
    });
    tests(() => current!);
  });
}

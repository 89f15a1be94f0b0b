/**
 * The SQLite store: one file in the data dir, WAL mode, versioned migrations.
 * Each component declares its own migrations (ids are `component:NNN_name`); they run once each,
 * in the order given, inside a transaction, and are recorded in `schema_migrations`.
 *
 * Built on `node:sqlite` (in Node ≥ 22.13 and in Electron's Node), so the production dependency
 * tree holds no native addon and one `npm ci` serves the headless host and Electron alike.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import type { Logger } from 'pino';

export type Db = DatabaseSync;

export interface Migration {
  /** Unique, stable id, e.g. `core:001_operators`. Never rename one that has shipped. */
  id: string;
  up(db: Db): void;
}

export function openDatabase(dataDir: string, logger?: Logger, fileName = 'anychat.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, fileName);
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 5000');
  // The store holds operators' hashes and users' data: readable by the owner only.
  try {
    chmodSync(file, 0o600);
  } catch {
    /* a filesystem without modes (e.g. some mounts on Windows) */
  }
  logger?.info({ file }, 'store opened');
  return db;
}

/** Runs `fn` inside one transaction (BEGIN IMMEDIATE … COMMIT), rolling back if it throws. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.isTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

/** The first column of the first row, or undefined (what better-sqlite3 called `pluck().get()`). */
export function scalar<T>(db: Db, sql: string, ...params: SQLInputValue[]): T | undefined {
  const row = db.prepare(sql).get(...params) as Record<string, unknown> | undefined;
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** The first column of every row. */
export function column<T>(db: Db, sql: string, ...params: SQLInputValue[]): T[] {
  return (db.prepare(sql).all(...params) as Array<Record<string, unknown>>).map((r) => Object.values(r)[0] as T);
}

export function runMigrations(db: Db, migrations: readonly Migration[], logger?: Logger): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY,
    applied_at INTEGER NOT NULL
  )`);
  const seen = new Set<string>();
  for (const m of migrations) {
    if (seen.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    seen.add(m.id);
  }
  const applied = new Set(column<string>(db, 'SELECT id FROM schema_migrations'));
  const ran: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    inTransaction(db, () => {
      m.up(db);
      record.run(m.id, Date.now());
    });
    ran.push(m.id);
    logger?.info({ migration: m.id }, 'migration applied');
  }
  return ran;
}

/**
 * The SQLite store: one file in the data dir, WAL mode, versioned migrations.
 * Each component declares its own migrations (ids are `component:NNN_name`); they run once each,
 * in the order given, inside a transaction, and are recorded in `schema_migrations`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Logger } from 'pino';

export type Db = BetterSqlite3.Database;

export interface Migration {
  /** Unique, stable id, e.g. `core:001_operators`. Never rename one that has shipped. */
  id: string;
  up(db: Db): void;
}

export function openDatabase(dataDir: string, logger?: Logger, fileName = 'anychat.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(path.join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  logger?.info({ file: db.name }, 'store opened');
  return db;
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
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  const ran: string[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      m.up(db);
      record.run(m.id, Date.now());
    })();
    ran.push(m.id);
    logger?.info({ migration: m.id }, 'migration applied');
  }
  return ran;
}

/** Operators (console sign-in accounts) and their sessions in the store. Passwords only ever as scrypt hashes. */
import type { OperatorRole } from '../../shared/ipc/roles';
import { scalar, type Db, type Migration } from '../store/Database';

export const operatorMigrations: Migration[] = [
  {
    id: 'auth:001_operators',
    up(db) {
      db.exec(`CREATE TABLE operators (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      )`);
    },
  },
  {
    // source: 'config' (from the config file), 'console' (added by an admin), 'initial' (the
    // auto-created admin); initial_password: the random first password still stands.
    id: 'auth:002_roles_and_sessions',
    up(db) {
      db.exec(`ALTER TABLE operators ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';
        ALTER TABLE operators ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE operators ADD COLUMN source TEXT NOT NULL DEFAULT 'config';
        ALTER TABLE operators ADD COLUMN initial_password INTEGER NOT NULL DEFAULT 0;
        UPDATE operators SET source = 'initial' WHERE username = 'admin';
        CREATE TABLE operator_sessions (
          token_hash TEXT PRIMARY KEY,
          username TEXT NOT NULL,
          address TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          expires_at INTEGER NOT NULL,
          last_seen_at INTEGER NOT NULL
        )`);
    },
  },
];

export type OperatorSource = 'config' | 'console' | 'initial';

export interface OperatorRecord {
  username: string;
  passwordHash: string;
  role: OperatorRole;
  disabled: boolean;
  source: OperatorSource;
  initialPassword: boolean;
  createdAt: number;
}

export interface SessionRecord {
  tokenHash: string;
  username: string;
  address: string;
  createdAt: number;
  expiresAt: number;
  lastSeenAt: number;
}

interface OperatorRow {
  username: string;
  password_hash: string;
  role: OperatorRole;
  disabled: number;
  source: OperatorSource;
  initial_password: number;
  created_at: number;
}

const toRecord = (r: OperatorRow): OperatorRecord => ({
  username: r.username,
  passwordHash: r.password_hash,
  role: r.role,
  disabled: r.disabled !== 0,
  source: r.source,
  initialPassword: r.initial_password !== 0,
  createdAt: r.created_at,
});

export class OperatorRepository {
  constructor(private readonly db: Db) {}

  find(username: string): OperatorRecord | undefined {
    const row = this.db.prepare('SELECT * FROM operators WHERE username = ?').get(username) as OperatorRow | undefined;
    return row && toRecord(row);
  }

  list(): OperatorRecord[] {
    return (this.db.prepare('SELECT * FROM operators ORDER BY username').all() as unknown as OperatorRow[]).map(toRecord);
  }

  /** Inserts or updates an operator; an update keeps created_at. */
  upsert(username: string, passwordHash: string, opts: { role?: OperatorRole; source?: OperatorSource; initialPassword?: boolean } = {}): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO operators (username, password_hash, created_at, updated_at, role, disabled, source, initial_password) VALUES (?, ?, ?, ?, ?, 0, ?, ?)
         ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at,
           role = excluded.role, disabled = 0, source = excluded.source, initial_password = excluded.initial_password`,
      )
      .run(username, passwordHash, now, now, opts.role ?? 'admin', opts.source ?? 'config', opts.initialPassword ? 1 : 0);
  }

  /** Role and enabled state of a configured operator whose password did not change. */
  setConfigured(username: string, role: OperatorRole): void {
    this.db.prepare(`UPDATE operators SET role = ?, disabled = 0, source = 'config', updated_at = ? WHERE username = ?`).run(role, Date.now(), username);
  }

  setPassword(username: string, passwordHash: string): boolean {
    const r = this.db
      .prepare('UPDATE operators SET password_hash = ?, initial_password = 0, updated_at = ? WHERE username = ?')
      .run(passwordHash, Date.now(), username);
    return Number(r.changes) > 0;
  }

  setDisabled(username: string, disabled: boolean): boolean {
    const r = this.db.prepare('UPDATE operators SET disabled = ?, updated_at = ? WHERE username = ?').run(disabled ? 1 : 0, Date.now(), username);
    return Number(r.changes) > 0;
  }

  count(): number {
    return scalar<number>(this.db, 'SELECT COUNT(*) FROM operators') ?? 0;
  }

  countEnabled(): number {
    return scalar<number>(this.db, 'SELECT COUNT(*) FROM operators WHERE disabled = 0') ?? 0;
  }

  // --- sessions (only the token's SHA-256 is stored) ---

  saveSession(s: SessionRecord): void {
    this.db
      .prepare('INSERT INTO operator_sessions (token_hash, username, address, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(s.tokenHash, s.username, s.address, s.createdAt, s.expiresAt, s.lastSeenAt);
  }

  findSession(tokenHash: string): SessionRecord | undefined {
    const r = this.db.prepare('SELECT * FROM operator_sessions WHERE token_hash = ?').get(tokenHash) as
      { token_hash: string; username: string; address: string; created_at: number; expires_at: number; last_seen_at: number } | undefined;
    return (
      r && { tokenHash: r.token_hash, username: r.username, address: r.address, createdAt: r.created_at, expiresAt: r.expires_at, lastSeenAt: r.last_seen_at }
    );
  }

  listSessions(now: number): SessionRecord[] {
    const rows = this.db.prepare('SELECT * FROM operator_sessions WHERE expires_at > ? ORDER BY last_seen_at DESC').all(now) as unknown as {
      token_hash: string;
      username: string;
      address: string;
      created_at: number;
      expires_at: number;
      last_seen_at: number;
    }[];
    return rows.map((r) => ({
      tokenHash: r.token_hash,
      username: r.username,
      address: r.address,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  touchSession(tokenHash: string, at: number): void {
    this.db.prepare('UPDATE operator_sessions SET last_seen_at = ? WHERE token_hash = ?').run(at, tokenHash);
  }

  deleteSession(tokenHash: string): void {
    this.db.prepare('DELETE FROM operator_sessions WHERE token_hash = ?').run(tokenHash);
  }

  deleteSessionsOf(username: string): void {
    this.db.prepare('DELETE FROM operator_sessions WHERE username = ?').run(username);
  }

  deleteExpiredSessions(now: number): void {
    this.db.prepare('DELETE FROM operator_sessions WHERE expires_at <= ?').run(now);
  }
}

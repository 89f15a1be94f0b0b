/** Operators (console sign-in accounts) and their sessions in the store. Passwords only ever as scrypt hashes. */
import type { OperatorRole } from '../../shared/ipc/roles';
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import { sqlScalar, type SqlClient } from '../store/sql/SqlClient';

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

export const operatorPgMigrations: PgMigration[] = [
  {
    id: 'auth:001_operators',
    sql: `CREATE TABLE operators (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        role TEXT NOT NULL DEFAULT 'admin',
        disabled INTEGER NOT NULL DEFAULT 0,
        source TEXT NOT NULL DEFAULT 'config',
        initial_password INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE operator_sessions (
        token_hash TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        address TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL
      )`,
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

interface SessionRow {
  token_hash: string;
  username: string;
  address: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

const toSession = (r: SessionRow): SessionRecord => ({
  tokenHash: r.token_hash,
  username: r.username,
  address: r.address,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  lastSeenAt: r.last_seen_at,
});

/** Operators and their sessions, in the shared store: an operator signed in on one node is signed in on all. */
export class OperatorRepository {
  constructor(private readonly db: SqlClient) {}

  async find(username: string): Promise<OperatorRecord | undefined> {
    const row = await this.db.get<OperatorRow>('SELECT * FROM operators WHERE username = ?', [username]);
    return row && toRecord(row);
  }

  async list(): Promise<OperatorRecord[]> {
    return (await this.db.all<OperatorRow>('SELECT * FROM operators ORDER BY username')).map(toRecord);
  }

  /** Inserts or updates an operator; an update keeps created_at. */
  async upsert(username: string, passwordHash: string, opts: { role?: OperatorRole; source?: OperatorSource; initialPassword?: boolean } = {}): Promise<void> {
    const now = Date.now();
    await this.db.run(
      `INSERT INTO operators (username, password_hash, created_at, updated_at, role, disabled, source, initial_password) VALUES (?, ?, ?, ?, ?, 0, ?, ?)
       ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at,
         role = excluded.role, disabled = 0, source = excluded.source, initial_password = excluded.initial_password`,
      [username, passwordHash, now, now, opts.role ?? 'admin', opts.source ?? 'config', opts.initialPassword ? 1 : 0],
    );
  }

  /** Role and enabled state of a configured operator whose password did not change. */
  async setConfigured(username: string, role: OperatorRole): Promise<void> {
    await this.db.run(`UPDATE operators SET role = ?, disabled = 0, source = 'config', updated_at = ? WHERE username = ?`, [role, Date.now(), username]);
  }

  async setPassword(username: string, passwordHash: string): Promise<boolean> {
    const r = await this.db.run('UPDATE operators SET password_hash = ?, initial_password = 0, updated_at = ? WHERE username = ?', [
      passwordHash,
      Date.now(),
      username,
    ]);
    return r.changes > 0;
  }

  async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const r = await this.db.run('UPDATE operators SET disabled = ?, updated_at = ? WHERE username = ?', [disabled ? 1 : 0, Date.now(), username]);
    return r.changes > 0;
  }

  async count(): Promise<number> {
    return Number((await sqlScalar<number>(this.db, 'SELECT COUNT(*) FROM operators')) ?? 0);
  }

  async countEnabled(): Promise<number> {
    return Number((await sqlScalar<number>(this.db, 'SELECT COUNT(*) FROM operators WHERE disabled = 0')) ?? 0);
  }

  // --- sessions (only the token's SHA-256 is stored) ---

  async saveSession(s: SessionRecord): Promise<void> {
    await this.db.run('INSERT INTO operator_sessions (token_hash, username, address, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)', [
      s.tokenHash,
      s.username,
      s.address,
      s.createdAt,
      s.expiresAt,
      s.lastSeenAt,
    ]);
  }

  async findSession(tokenHash: string): Promise<SessionRecord | undefined> {
    const r = await this.db.get<SessionRow>('SELECT * FROM operator_sessions WHERE token_hash = ?', [tokenHash]);
    return r && toSession(r);
  }

  async listSessions(now: number): Promise<SessionRecord[]> {
    return (await this.db.all<SessionRow>('SELECT * FROM operator_sessions WHERE expires_at > ? ORDER BY last_seen_at DESC', [now])).map(toSession);
  }

  async touchSession(tokenHash: string, at: number): Promise<void> {
    await this.db.run('UPDATE operator_sessions SET last_seen_at = ? WHERE token_hash = ?', [at, tokenHash]);
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.run('DELETE FROM operator_sessions WHERE token_hash = ?', [tokenHash]);
  }

  async deleteSessionsOf(username: string): Promise<void> {
    await this.db.run('DELETE FROM operator_sessions WHERE username = ?', [username]);
  }

  async deleteExpiredSessions(now: number): Promise<void> {
    await this.db.run('DELETE FROM operator_sessions WHERE expires_at <= ?', [now]);
  }
}

/** Operators (console sign-in accounts) in the store. Passwords only ever as scrypt hashes. */
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
];

export interface OperatorRecord {
  username: string;
  passwordHash: string;
}

export class OperatorRepository {
  constructor(private readonly db: Db) {}

  find(username: string): OperatorRecord | undefined {
    const row = this.db.prepare('SELECT username, password_hash FROM operators WHERE username = ?').get(username) as
      | { username: string; password_hash: string }
      | undefined;
    return row && { username: row.username, passwordHash: row.password_hash };
  }

  upsert(username: string, passwordHash: string): void {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO operators (username, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      )
      .run(username, passwordHash, now, now);
  }

  count(): number {
    return scalar<number>(this.db, 'SELECT COUNT(*) FROM operators') ?? 0;
  }
}

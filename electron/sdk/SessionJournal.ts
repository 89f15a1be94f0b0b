/**
 * Which sessions are open, in SQLite, so that sessions a crash (SIGKILL, power loss) left open
 * can be closed at the next start: each gets a logout with reason 100 (network timeout), and the
 * app backend a userlogout_notify, instead of being seen online forever (issue 13).
 */
import type { Db, Migration } from '../store/Database';

export const sessionJournalMigrations: Migration[] = [
  {
    id: 'sdk:002_open_sessions',
    up(db) {
      db.exec(`CREATE TABLE sdk_open_sessions (
        user_id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        str_user_id TEXT NOT NULL DEFAULT '',
        login_at INTEGER NOT NULL
      )`);
    },
  },
];

export interface OpenSessionRow {
  userId: number;
  userName: string;
  strUserId: string;
  loginAt: number;
}

export class SessionJournal {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      open: db.prepare('INSERT OR REPLACE INTO sdk_open_sessions (user_id, user_name, str_user_id, login_at) VALUES (?, ?, ?, ?)'),
      close: db.prepare('DELETE FROM sdk_open_sessions WHERE user_id = ?'),
      all: db.prepare(
        'SELECT user_id AS userId, user_name AS userName, str_user_id AS strUserId, login_at AS loginAt FROM sdk_open_sessions ORDER BY login_at',
      ),
      clear: db.prepare('DELETE FROM sdk_open_sessions'),
    };
  }

  opened(userId: number, userName: string, strUserId: string, loginAt: number): void {
    this.stmts.open.run(userId, userName, strUserId, loginAt);
  }

  closed(userId: number): void {
    this.stmts.close.run(userId);
  }

  /** The sessions the previous run left open; forgets them. */
  takeLeftOpen(): OpenSessionRow[] {
    const rows = this.stmts.all.all() as unknown as OpenSessionRow[];
    this.stmts.clear.run();
    return rows;
  }
}

/**
 * Who has been online: every login is remembered (id, names, address, guest, last login and
 * logout), so the console names users who have left — in the ban list, in look-ups of offline
 * users, in the audit log — instead of showing "user 1004".
 */
import type { Db, Migration } from '../store/Database';

export const userHistoryMigrations: Migration[] = [
  {
    id: 'console:001_users_seen',
    up(db) {
      db.exec(`CREATE TABLE console_users_seen (
        user_id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        nick_name TEXT NOT NULL,
        address TEXT NOT NULL,
        guest INTEGER NOT NULL,
        last_login_at INTEGER NOT NULL,
        last_logout_at INTEGER
      );
      CREATE INDEX console_users_seen_name ON console_users_seen (user_name COLLATE NOCASE);
      CREATE INDEX console_users_seen_nick ON console_users_seen (nick_name COLLATE NOCASE)`);
    },
  },
];

export interface SeenUser {
  userId: number;
  userName: string;
  nickName: string;
  address: string;
  guest: boolean;
  lastLoginAt: number;
  lastLogoutAt: number | null;
}

interface Row {
  user_id: number;
  user_name: string;
  nick_name: string;
  address: string;
  guest: number;
  last_login_at: number;
  last_logout_at: number | null;
}

const toSeen = (r: Row): SeenUser => ({
  userId: r.user_id,
  userName: r.user_name,
  nickName: r.nick_name,
  address: r.address,
  guest: r.guest !== 0,
  lastLoginAt: r.last_login_at,
  lastLogoutAt: r.last_logout_at,
});

export class UserHistory {
  private readonly upsertLogin;
  private readonly markLogout;
  private readonly byId;

  constructor(private readonly db: Db) {
    this.upsertLogin = db.prepare(
      `INSERT INTO console_users_seen (user_id, user_name, nick_name, address, guest, last_login_at, last_logout_at) VALUES (?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT(user_id) DO UPDATE SET user_name = excluded.user_name, nick_name = excluded.nick_name, address = excluded.address,
         guest = excluded.guest, last_login_at = excluded.last_login_at, last_logout_at = NULL`,
    );
    this.markLogout = db.prepare('UPDATE console_users_seen SET last_logout_at = ? WHERE user_id = ?');
    this.byId = db.prepare('SELECT * FROM console_users_seen WHERE user_id = ?');
  }

  loggedIn(u: { userId: number; userName: string; nickName: string; address: string; guest: boolean }, at = Date.now()): void {
    this.upsertLogin.run(u.userId, u.userName, u.nickName, u.address, u.guest ? 1 : 0, at);
  }

  loggedOut(userId: number, at = Date.now()): void {
    this.markLogout.run(at, userId);
  }

  get(userId: number): SeenUser | undefined {
    const r = this.byId.get(userId) as Row | undefined;
    return r && toSeen(r);
  }

  /** Users matching an id, or a user name / nickname fragment (case-insensitive), most recent first. */
  search(query: string, limit = 50): SeenUser[] {
    const q = query.trim();
    if (!q) return [];
    const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = this.db
      .prepare(
        `SELECT * FROM console_users_seen WHERE user_id = ? OR user_name LIKE ? ESCAPE '\\' COLLATE NOCASE OR nick_name LIKE ? ESCAPE '\\' COLLATE NOCASE
         ORDER BY last_login_at DESC LIMIT ?`,
      )
      .all(/^\d+$/.test(q) ? Number(q) : -1, like, like, limit) as unknown as Row[];
    return rows.map(toSeen);
  }
}

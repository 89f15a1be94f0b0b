/** The SDK's persistent state in the shared store: bans, friends and groups (seed §3.30), user info (§3.28). */
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import { sqlColumn, sqlScalar, type SqlClient } from '../store/sql/SqlClient';
import type { BanEntry } from './types';
import type { FriendGroup } from '../../shared/protocol/messages';
import { sessionJournalMigrations } from './SessionJournal';
import { persistentCounterMigrations } from './PersistentCounters';

export const sdkMigrations: Migration[] = [
  {
    id: 'sdk:001_bans_friends_userinfo',
    up(db) {
      db.exec(`
        CREATE TABLE sdk_bans (user_id INTEGER PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL, created_at INTEGER NOT NULL);
        CREATE TABLE sdk_groups (user_id INTEGER NOT NULL, group_id INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY (user_id, group_id));
        CREATE TABLE sdk_friends (user_id INTEGER NOT NULL, friend_id INTEGER NOT NULL, group_id INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user_id, friend_id));
        CREATE INDEX sdk_friends_by_friend ON sdk_friends(friend_id);
        CREATE TABLE sdk_user_info (user_id INTEGER NOT NULL, info_id INTEGER NOT NULL, value TEXT NOT NULL, flags INTEGER NOT NULL, PRIMARY KEY (user_id, info_id));
      `);
    },
  },
  ...sessionJournalMigrations,
  ...persistentCounterMigrations,
];

export const sdkPgMigrations: PgMigration[] = [
  {
    id: 'sdk:001_bans_friends_userinfo',
    sql: `CREATE TABLE sdk_bans (user_id BIGINT PRIMARY KEY, until BIGINT NOT NULL, reason TEXT NOT NULL, created_at BIGINT NOT NULL);
      CREATE TABLE sdk_groups (user_id BIGINT NOT NULL, group_id BIGINT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (user_id, group_id));
      CREATE TABLE sdk_friends (user_id BIGINT NOT NULL, friend_id BIGINT NOT NULL, group_id BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (user_id, friend_id));
      CREATE INDEX sdk_friends_by_friend ON sdk_friends(friend_id);
      CREATE TABLE sdk_user_info (user_id BIGINT NOT NULL, info_id BIGINT NOT NULL, value TEXT NOT NULL, flags BIGINT NOT NULL, PRIMARY KEY (user_id, info_id));`,
  },
  {
    id: 'sdk:003_counters_locks',
    sql: 'CREATE TABLE sdk_account_locks (user_name TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until BIGINT NOT NULL)',
  },
];

interface BanRow {
  user_id: number;
  until: number;
  reason: string;
  created_at: number;
}

const toBan = (r: BanRow): BanEntry => ({ userId: r.user_id, until: r.until, reason: r.reason, createdAt: r.created_at });

/** Bans, friends and groups, and user info: shared by every node of a cluster. */
export class SdkStore {
  constructor(private readonly db: SqlClient) {}

  // bans
  async ban(userId: number, until: number, reason: string): Promise<void> {
    await this.db.run(
      'INSERT INTO sdk_bans (user_id, until, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET until = excluded.until, reason = excluded.reason, created_at = excluded.created_at',
      [userId, until, reason, Date.now()],
    );
  }
  async liftBan(userId: number): Promise<boolean> {
    return (await this.db.run('DELETE FROM sdk_bans WHERE user_id = ?', [userId])).changes > 0;
  }
  async activeBan(userId: number, now = Date.now()): Promise<BanEntry | null> {
    const r = await this.db.get<BanRow>('SELECT user_id, until, reason, created_at FROM sdk_bans WHERE user_id = ? AND until > ?', [userId, now]);
    return r ? toBan(r) : null;
  }
  async listBans(now = Date.now()): Promise<BanEntry[]> {
    await this.db.run('DELETE FROM sdk_bans WHERE until <= ?', [now]);
    return (await this.db.all<BanRow>('SELECT user_id, until, reason, created_at FROM sdk_bans ORDER BY until')).map(toBan);
  }

  // groups and friends
  async addGroup(userId: number, groupId: number, name: string): Promise<void> {
    await this.db.run('INSERT INTO sdk_groups (user_id, group_id, name) VALUES (?, ?, ?) ON CONFLICT (user_id, group_id) DO UPDATE SET name = excluded.name', [
      userId,
      groupId,
      name,
    ]);
  }
  async deleteGroup(userId: number, groupId: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run('DELETE FROM sdk_groups WHERE user_id = ? AND group_id = ?', [userId, groupId]);
      await tx.run('UPDATE sdk_friends SET group_id = 0 WHERE user_id = ? AND group_id = ?', [userId, groupId]);
    });
  }
  async addFriend(userId: number, friendId: number): Promise<void> {
    await this.db.run('INSERT INTO sdk_friends (user_id, friend_id, group_id) VALUES (?, ?, 0) ON CONFLICT DO NOTHING', [userId, friendId]);
  }
  async deleteFriend(userId: number, friendId: number): Promise<void> {
    await this.db.run('DELETE FROM sdk_friends WHERE user_id = ? AND friend_id = ?', [userId, friendId]);
  }
  async setFriendGroup(userId: number, groupId: number, friendId: number): Promise<void> {
    await this.db.run('UPDATE sdk_friends SET group_id = ? WHERE user_id = ? AND friend_id = ?', [groupId, userId, friendId]);
  }
  async friendsOf(userId: number): Promise<{ friendId: number; groupId: number }[]> {
    const rows = await this.db.all<{ friend_id: number; group_id: number }>(
      'SELECT friend_id, group_id FROM sdk_friends WHERE user_id = ? ORDER BY friend_id',
      [userId],
    );
    return rows.map((r) => ({ friendId: r.friend_id, groupId: r.group_id }));
  }
  async groupsOf(userId: number): Promise<FriendGroup[]> {
    const rows = await this.db.all<{ group_id: number; name: string }>('SELECT group_id, name FROM sdk_groups WHERE user_id = ? ORDER BY group_id', [userId]);
    return rows.map((r) => ({ groupId: r.group_id, name: r.name }));
  }
  /** Users who have `userId` in their friend list (they get its online/offline news). */
  whoHasFriend(userId: number): Promise<number[]> {
    return sqlColumn<number>(this.db, 'SELECT user_id FROM sdk_friends WHERE friend_id = ?', [userId]);
  }

  // user info
  async setUserInfo(userId: number, infoId: number, value: string, flags: number): Promise<void> {
    await this.db.run(
      'INSERT INTO sdk_user_info (user_id, info_id, value, flags) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, info_id) DO UPDATE SET value = excluded.value, flags = excluded.flags',
      [userId, infoId, value, flags],
    );
  }
  async getUserInfo(userId: number, infoId: number): Promise<string | null> {
    return (await sqlScalar<string>(this.db, 'SELECT value FROM sdk_user_info WHERE user_id = ? AND info_id = ?', [userId, infoId])) ?? null;
  }
  async allUserInfo(userId: number): Promise<{ infoId: number; value: string }[]> {
    const rows = await this.db.all<{ info_id: number; value: string }>('SELECT info_id, value FROM sdk_user_info WHERE user_id = ? ORDER BY info_id', [userId]);
    return rows.map((r) => ({ infoId: r.info_id, value: r.value }));
  }
}

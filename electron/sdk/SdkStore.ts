/** The SDK's persistent state in SQLite: bans, friends and groups (seed §3.30), user info (§3.28). */
import { column, scalar, type Db, type Migration } from '../store/Database';
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

export class SdkStore {
  constructor(private readonly db: Db) {}

  // bans
  ban(userId: number, until: number, reason: string): void {
    this.db
      .prepare(
        'INSERT INTO sdk_bans (user_id, until, reason, created_at) VALUES (?, ?, ?, ?) ON CONFLICT(user_id) DO UPDATE SET until = excluded.until, reason = excluded.reason, created_at = excluded.created_at',
      )
      .run(userId, until, reason, Date.now());
  }
  liftBan(userId: number): boolean {
    return this.db.prepare('DELETE FROM sdk_bans WHERE user_id = ?').run(userId).changes > 0;
  }
  activeBan(userId: number, now = Date.now()): BanEntry | null {
    const r = this.db.prepare('SELECT user_id, until, reason, created_at FROM sdk_bans WHERE user_id = ? AND until > ?').get(userId, now) as
      { user_id: number; until: number; reason: string; created_at: number } | undefined;
    return r ? { userId: r.user_id, until: r.until, reason: r.reason, createdAt: r.created_at } : null;
  }
  listBans(now = Date.now()): BanEntry[] {
    this.db.prepare('DELETE FROM sdk_bans WHERE until <= ?').run(now);
    return (
      this.db.prepare('SELECT user_id, until, reason, created_at FROM sdk_bans ORDER BY until').all() as {
        user_id: number;
        until: number;
        reason: string;
        created_at: number;
      }[]
    ).map((r) => ({ userId: r.user_id, until: r.until, reason: r.reason, createdAt: r.created_at }));
  }

  // groups and friends
  addGroup(userId: number, groupId: number, name: string): void {
    this.db
      .prepare('INSERT INTO sdk_groups (user_id, group_id, name) VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET name = excluded.name')
      .run(userId, groupId, name);
  }
  deleteGroup(userId: number, groupId: number): void {
    this.db.prepare('DELETE FROM sdk_groups WHERE user_id = ? AND group_id = ?').run(userId, groupId);
    this.db.prepare('UPDATE sdk_friends SET group_id = 0 WHERE user_id = ? AND group_id = ?').run(userId, groupId);
  }
  addFriend(userId: number, friendId: number): void {
    this.db.prepare('INSERT OR IGNORE INTO sdk_friends (user_id, friend_id, group_id) VALUES (?, ?, 0)').run(userId, friendId);
  }
  deleteFriend(userId: number, friendId: number): void {
    this.db.prepare('DELETE FROM sdk_friends WHERE user_id = ? AND friend_id = ?').run(userId, friendId);
  }
  setFriendGroup(userId: number, groupId: number, friendId: number): void {
    this.db.prepare('UPDATE sdk_friends SET group_id = ? WHERE user_id = ? AND friend_id = ?').run(groupId, userId, friendId);
  }
  friendsOf(userId: number): { friendId: number; groupId: number }[] {
    return (
      this.db.prepare('SELECT friend_id, group_id FROM sdk_friends WHERE user_id = ? ORDER BY friend_id').all(userId) as {
        friend_id: number;
        group_id: number;
      }[]
    ).map((r) => ({ friendId: r.friend_id, groupId: r.group_id }));
  }
  groupsOf(userId: number): FriendGroup[] {
    return (
      this.db.prepare('SELECT group_id, name FROM sdk_groups WHERE user_id = ? ORDER BY group_id').all(userId) as { group_id: number; name: string }[]
    ).map((r) => ({ groupId: r.group_id, name: r.name }));
  }
  /** Users who have `userId` in their friend list (they get its online/offline news). */
  whoHasFriend(userId: number): number[] {
    return column<number>(this.db, 'SELECT user_id FROM sdk_friends WHERE friend_id = ?', userId);
  }

  // user info
  setUserInfo(userId: number, infoId: number, value: string, flags: number): void {
    this.db
      .prepare(
        'INSERT INTO sdk_user_info (user_id, info_id, value, flags) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value, flags = excluded.flags',
      )
      .run(userId, infoId, value, flags);
  }
  getUserInfo(userId: number, infoId: number): string | null {
    const v = scalar<string>(this.db, 'SELECT value FROM sdk_user_info WHERE user_id = ? AND info_id = ?', userId, infoId);
    return v ?? null;
  }
  allUserInfo(userId: number): { infoId: number; value: string }[] {
    return (
      this.db.prepare('SELECT info_id, value FROM sdk_user_info WHERE user_id = ? ORDER BY info_id').all(userId) as { info_id: number; value: string }[]
    ).map((r) => ({ infoId: r.info_id, value: r.value }));
  }
}

/**
 * The console's view of bans. The SDK keeps the ban itself (by user id); this keeps, in the
 * store, what the console knows about it — the user's name, their address, whether they were a
 * guest, whether the address is banned too, and who imposed it — so the list reads the same after
 * a restart. It also makes bans hold where a user id cannot: a guest gets a new id at every
 * login, so a guest ban holds by guest name; an address ban holds for every login from it.
 */
import type { BanEntry as BanView } from '../../shared/ipc/types';
import type { AnyChatSdk, BanEntry } from '../sdk';
import type { Migration } from '../store/Database';
import type { PgMigration } from '../store/sql/postgresMigrations';
import type { SqlClient } from '../store/sql/SqlClient';
import type { UserHistory } from './userHistory';

export const banBookMigrations: Migration[] = [
  {
    id: 'console:002_ban_details',
    up(db) {
      db.exec(`CREATE TABLE console_bans (
        user_id INTEGER PRIMARY KEY,
        user_name TEXT NOT NULL,
        address TEXT NOT NULL,
        guest INTEGER NOT NULL,
        by_address INTEGER NOT NULL,
        by_operator TEXT NOT NULL
      )`);
    },
  },
];

export const banBookPgMigrations: PgMigration[] = [
  {
    id: 'console:002_ban_details',
    sql: `CREATE TABLE console_bans (
        user_id BIGINT PRIMARY KEY,
        user_name TEXT NOT NULL,
        address TEXT NOT NULL,
        guest INTEGER NOT NULL,
        by_address INTEGER NOT NULL,
        by_operator TEXT NOT NULL
      )`,
  },
];

interface Row {
  user_id: number;
  user_name: string;
  address: string;
  guest: number;
  by_address: number;
  by_operator: string;
}

export interface LoginAttempt {
  userName: string;
  guest: boolean;
  ip: string;
}

export class BanBook {
  constructor(
    private readonly db: SqlClient,
    private readonly sdk: () => AnyChatSdk,
    private readonly history: UserHistory,
  ) {}

  /** Records who banned whom (call before the SDK's ban so the feed already has it). */
  async noteBan(userId: number, operator: string, opts: { byAddress: boolean }): Promise<void> {
    const online = this.sdk().getOnlineUser(userId);
    const seen = this.history.get(userId);
    const userName = online?.userName ?? seen?.userName ?? '';
    const address = online?.ip ?? seen?.address ?? '';
    const guest = online?.guest ?? seen?.guest ?? false;
    await this.db.run(
      `INSERT INTO console_bans (user_id, user_name, address, guest, by_address, by_operator) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(user_id) DO UPDATE SET user_name = excluded.user_name, address = excluded.address, guest = excluded.guest,
         by_address = excluded.by_address, by_operator = excluded.by_operator`,
      [userId, userName, address, guest ? 1 : 0, opts.byAddress && address ? 1 : 0, operator],
    );
  }

  async noteLifted(userId: number): Promise<void> {
    await this.db.run('DELETE FROM console_bans WHERE user_id = ?', [userId]);
  }

  async nameOf(userId: number): Promise<string | undefined> {
    return this.sdk().getOnlineUser(userId)?.userName ?? this.history.get(userId)?.userName ?? (await this.row(userId))?.user_name ?? undefined;
  }

  async view(b: BanEntry): Promise<BanView> {
    const row = await this.row(b.userId);
    const seen = this.history.get(b.userId);
    return {
      userId: b.userId,
      userName: row?.user_name || (await this.nameOf(b.userId)) || `user ${b.userId}`,
      nickName: seen?.nickName ?? '',
      until: b.until,
      reason: b.reason,
      by: row?.by_operator ?? 'server',
      createdAt: b.createdAt,
      address: row?.address || seen?.address || '',
      byAddress: row ? row.by_address !== 0 : false,
      guest: row ? row.guest !== 0 : (seen?.guest ?? false),
    };
  }

  /** Active bans only (the SDK drops expired ones as it lists). */
  async list(): Promise<BanView[]> {
    const views: BanView[] = [];
    for (const b of await this.sdk().listBans()) views.push(await this.view(b));
    return views;
  }

  /** The earliest expiry among active bans, to tell the console when one lapses. */
  async nextExpiry(): Promise<number | null> {
    const bans = await this.sdk().listBans();
    return bans.length ? Math.min(...bans.map((b) => b.until)) : null;
  }

  /**
   * A ban that holds for this login although it names another user id: the same guest name, or
   * a banned address. Null when none does.
   */
  async banFor(login: LoginAttempt): Promise<{ until: number; reason: string } | null> {
    const active = new Map((await this.sdk().listBans()).map((b) => [b.userId, b]));
    if (active.size === 0) return null;
    const rows = await this.db.all<Row>('SELECT * FROM console_bans');
    for (const r of rows) {
      const ban = active.get(r.user_id);
      if (!ban) continue;
      if (r.by_address && r.address && r.address === login.ip) return { until: ban.until, reason: ban.reason };
      if (login.guest && r.guest && r.user_name.toLowerCase() === login.userName.toLowerCase()) return { until: ban.until, reason: ban.reason };
    }
    return null;
  }

  private row(userId: number): Promise<Row | undefined> {
    return this.db.get<Row>('SELECT * FROM console_bans WHERE user_id = ?', [userId]);
  }
}

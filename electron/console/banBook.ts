/**
 * The console's view of bans. The SDK keeps the ban itself (by user id); this keeps, in the
 * store, what the console knows about it — the user's name, their address, whether they were a
 * guest, whether the address is banned too, and who imposed it — so the list reads the same after
 * a restart. It also makes bans hold where a user id cannot: a guest gets a new id at every
 * login, so a guest ban holds by guest name; an address ban holds for every login from it.
 */
import type { BanEntry as BanView } from '../../shared/ipc/types';
import type { AnyChatSdk, BanEntry } from '../sdk';
import type { Db, Migration } from '../store/Database';
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
    private readonly db: Db,
    private readonly sdk: () => AnyChatSdk,
    private readonly history: UserHistory,
  ) {}

  /** Records who banned whom (call before the SDK's ban so the feed already has it). */
  noteBan(userId: number, operator: string, opts: { byAddress: boolean }): void {
    const online = this.sdk().getOnlineUser(userId);
    const seen = this.history.get(userId);
    const userName = online?.userName ?? seen?.userName ?? '';
    const address = online?.ip ?? seen?.address ?? '';
    const guest = online?.guest ?? seen?.guest ?? false;
    this.db
      .prepare(
        `INSERT INTO console_bans (user_id, user_name, address, guest, by_address, by_operator) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(user_id) DO UPDATE SET user_name = excluded.user_name, address = excluded.address, guest = excluded.guest,
           by_address = excluded.by_address, by_operator = excluded.by_operator`,
      )
      .run(userId, userName, address, guest ? 1 : 0, opts.byAddress && address ? 1 : 0, operator);
  }

  noteLifted(userId: number): void {
    this.db.prepare('DELETE FROM console_bans WHERE user_id = ?').run(userId);
  }

  nameOf(userId: number): string | undefined {
    return this.sdk().getOnlineUser(userId)?.userName ?? this.history.get(userId)?.userName ?? this.row(userId)?.user_name ?? undefined;
  }

  view(b: BanEntry): BanView {
    const row = this.row(b.userId);
    const seen = this.history.get(b.userId);
    return {
      userId: b.userId,
      userName: row?.user_name || this.nameOf(b.userId) || `user ${b.userId}`,
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
  list(): BanView[] {
    return this.sdk()
      .listBans()
      .map((b) => this.view(b));
  }

  /** The earliest expiry among active bans, to tell the console when one lapses. */
  nextExpiry(): number | null {
    const bans = this.sdk().listBans();
    return bans.length ? Math.min(...bans.map((b) => b.until)) : null;
  }

  /**
   * A ban that holds for this login although it names another user id: the same guest name, or
   * a banned address. Null when none does.
   */
  banFor(login: LoginAttempt): { until: number; reason: string } | null {
    const active = new Map(
      this.sdk()
        .listBans()
        .map((b) => [b.userId, b]),
    );
    if (active.size === 0) return null;
    const rows = this.db.prepare('SELECT * FROM console_bans').all() as unknown as Row[];
    for (const r of rows) {
      const ban = active.get(r.user_id);
      if (!ban) continue;
      if (r.by_address && r.address && r.address === login.ip) return { until: ban.until, reason: ban.reason };
      if (login.guest && r.guest && r.user_name.toLowerCase() === login.userName.toLowerCase()) return { until: ban.until, reason: ban.reason };
    }
    return null;
  }

  private row(userId: number): Row | undefined {
    return this.db.prepare('SELECT * FROM console_bans WHERE user_id = ?').get(userId) as Row | undefined;
  }
}

/**
 * State the SDK must not lose on a restart (issue 13): the next room id and guest id (ids are
 * never handed out twice, so a business backend never mixes an old room or guest with a new one)
 * and the account locks of the user directory (a restart must not reset a brute-force lock).
 * Ids are reserved in blocks so an allocation rarely writes; after a crash the rest of the block
 * is skipped, never reused.
 */
import type { Db, Migration } from '../store/Database';

export const persistentCounterMigrations: Migration[] = [
  {
    id: 'sdk:003_counters_locks',
    up(db) {
      db.exec(`CREATE TABLE sdk_counters (name TEXT PRIMARY KEY, next INTEGER NOT NULL);
        CREATE TABLE sdk_account_locks (user_name TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER NOT NULL)`);
    },
  },
];

const BLOCK = 100;

/** Hands out increasing ids from `first`, persisted in blocks. */
export class IdCounter {
  private next: number;
  private reservedUpTo: number;

  constructor(
    private readonly db: Db,
    private readonly name: string,
    first: number,
  ) {
    const row = db.prepare('SELECT next FROM sdk_counters WHERE name = ?').get(name) as { next: number } | undefined;
    this.next = Math.max(first, Number(row?.next ?? first));
    this.reservedUpTo = this.next;
  }

  allocate(): number {
    if (this.next >= this.reservedUpTo) {
      this.reservedUpTo = this.next + BLOCK;
      this.db
        .prepare('INSERT INTO sdk_counters (name, next) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET next = excluded.next')
        .run(this.name, this.reservedUpTo);
    }
    return this.next++;
  }
}

export interface LockState {
  count: number;
  lockedUntil: number;
}

/** The directory's failed-login counts and locks, kept in the store. */
export class AccountLockStore {
  constructor(private readonly db: Db) {}

  load(): Map<string, LockState> {
    const rows = this.db.prepare('SELECT user_name, failures, locked_until FROM sdk_account_locks').all() as {
      user_name: string;
      failures: number;
      locked_until: number;
    }[];
    return new Map(rows.map((r) => [r.user_name, { count: Number(r.failures), lockedUntil: Number(r.locked_until) }]));
  }

  save(userName: string, s: LockState): void {
    this.db
      .prepare(
        'INSERT INTO sdk_account_locks (user_name, failures, locked_until) VALUES (?, ?, ?) ON CONFLICT (user_name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
      )
      .run(userName, s.count, s.lockedUntil);
  }

  clear(userName: string): void {
    this.db.prepare('DELETE FROM sdk_account_locks WHERE user_name = ?').run(userName);
  }
}

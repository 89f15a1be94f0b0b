/**
 * State the SDK must not lose on a restart (issue 13): the next room id and guest id (ids are
 * never handed out twice, so a business backend never mixes an old room or guest with a new one;
 * the counters are handed out by store/idAllocator.ts) and the account locks of the user
 * directory (a restart must not reset a brute-force lock).
 */
import type { Logger } from 'pino';
import type { Migration } from '../store/Database';
import type { SqlClient } from '../store/sql/SqlClient';
import { IdCounter, type IdAllocator } from '../store/idAllocator';

export const persistentCounterMigrations: Migration[] = [
  {
    id: 'sdk:003_counters_locks',
    up(db) {
      db.exec(`CREATE TABLE sdk_counters (name TEXT PRIMARY KEY, next INTEGER NOT NULL);
        CREATE TABLE sdk_account_locks (user_name TEXT PRIMARY KEY, failures INTEGER NOT NULL, locked_until INTEGER NOT NULL)`);
    },
  },
];

/** Guest user ids start here (above any configured id a directory is likely to use). */
const FIRST_GUEST_ID = 1_900_000_000;
const FIRST_ALLOCATED_ROOM = 1_000_000;

/** The SDK's ids: rooms, guests and transfer tasks, never handed out twice (restarts, cluster nodes). */
export interface SdkCounters {
  roomIds: IdCounter;
  guestIds: IdCounter;
  taskIds: IdCounter;
}

export async function openSdkCounters(ids: IdAllocator): Promise<SdkCounters> {
  const [roomIds, guestIds, taskIds] = await Promise.all([
    IdCounter.create(ids, 'roomId', FIRST_ALLOCATED_ROOM),
    IdCounter.create(ids, 'guestId', FIRST_GUEST_ID),
    IdCounter.create(ids, 'taskId', 1),
  ]);
  return { roomIds, guestIds, taskIds };
}

export interface LockState {
  count: number;
  lockedUntil: number;
}

/**
 * The directory's failed-login counts and locks, kept in the shared store (a lock holds on every
 * node). Writes go out in the background: a lock that cannot be written (e.g. a full disk) still
 * holds in memory for this run.
 */
export class AccountLockStore {
  private constructor(
    private readonly db: SqlClient,
    private readonly logger: Logger | undefined,
    private readonly loaded: Map<string, LockState>,
  ) {}

  static async open(db: SqlClient, logger?: Logger): Promise<AccountLockStore> {
    const rows = await db.all<{ user_name: string; failures: number; locked_until: number }>('SELECT user_name, failures, locked_until FROM sdk_account_locks');
    return new AccountLockStore(db, logger, new Map(rows.map((r) => [r.user_name, { count: Number(r.failures), lockedUntil: Number(r.locked_until) }])));
  }

  /** What the store held when opened. */
  load(): Map<string, LockState> {
    return new Map(this.loaded);
  }

  /** The stored state of one account now (another node may have changed it). */
  async get(userName: string): Promise<LockState | undefined> {
    await this.writes;
    const r = await this.db.get<{ failures: number; locked_until: number }>('SELECT failures, locked_until FROM sdk_account_locks WHERE user_name = ?', [
      userName,
    ]);
    return r && { count: Number(r.failures), lockedUntil: Number(r.locked_until) };
  }

  save(userName: string, s: LockState): void {
    this.background(() =>
      this.db.run(
        'INSERT INTO sdk_account_locks (user_name, failures, locked_until) VALUES (?, ?, ?) ON CONFLICT (user_name) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until',
        [userName, s.count, s.lockedUntil],
      ),
    );
  }

  clear(userName: string): void {
    this.background(() => this.db.run('DELETE FROM sdk_account_locks WHERE user_name = ?', [userName]));
  }

  /** Writes still going out, in order (a read waits for them, so it never sees an older state than memory). */
  private writes: Promise<unknown> = Promise.resolve();

  private background(write: () => Promise<unknown>): void {
    this.writes = this.writes.then(write).catch((err: unknown) => this.logger?.warn({ err }, 'account lock not stored; it holds in memory for this run'));
  }
}

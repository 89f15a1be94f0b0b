/**
 * The default verifyUser: the configured user directory with scrypt hashes (hashed once at
 * start-up, plain passwords never kept), and account locking after N consecutive failures (202).
 */
import { Codes } from '../../shared/codes';
import { hashPassword, verifyPassword } from '../auth/password';
import type { AccountLockStore } from './PersistentCounters';
import type { VerifyUserRequest, VerifyUserResult } from './types';

export interface DirectoryUser {
  userName: string;
  password: string;
  userId: number;
  level: number;
  nickName?: string;
  strUserId?: string;
}

interface Entry {
  userName: string;
  hash: string;
  userId: number;
  level: number;
  nickName: string;
  strUserId?: string;
}

export class UserDirectory {
  private readonly failures: Map<string, { count: number; lockedUntil: number }>;

  private constructor(
    private readonly byName: Map<string, Entry>,
    private readonly byId: Map<number, Entry>,
    private readonly failuresBeforeLock: number,
    private readonly lockMs: number,
    /** Keeps failure counts and locks across restarts; none = memory only. */
    private readonly locks: AccountLockStore | null = null,
  ) {
    this.failures = locks?.load() ?? new Map();
  }

  static async create(
    users: readonly DirectoryUser[],
    opts: { failuresBeforeLock: number; lockSeconds: number; locks?: AccountLockStore },
  ): Promise<UserDirectory> {
    const byName = new Map<string, Entry>();
    const byId = new Map<number, Entry>();
    // Hash in parallel (libuv pool); a password already given as a `scrypt$…` hash is kept as is.
    const hashes = await Promise.all(users.map((u) => (u.password.startsWith('scrypt$') ? u.password : hashPassword(u.password))));
    users.forEach((u, i) => {
      const e: Entry = { userName: u.userName, hash: hashes[i], userId: u.userId, level: u.level, nickName: u.nickName ?? u.userName, strUserId: u.strUserId };
      byName.set(u.userName, e);
      byId.set(u.userId, e);
    });
    return new UserDirectory(byName, byId, opts.failuresBeforeLock, opts.lockSeconds * 1000, opts.locks ?? null);
  }

  nickNameOf(userId: number): string | undefined {
    return this.byId.get(userId)?.nickName;
  }

  /** The configured string id (gateway struserid), if any. */
  strUserIdOf(userId: number): string | undefined {
    return this.byId.get(userId)?.strUserId;
  }

  knows(userName: string): boolean {
    return this.byName.has(userName);
  }

  async verify(req: VerifyUserRequest): Promise<VerifyUserResult> {
    // Another node may have locked (or cleared) the account meanwhile: the store has the last word.
    if (this.locks && this.byName.has(req.userName)) {
      const stored = await this.locks.get(req.userName).catch(() => null);
      if (stored) this.failures.set(req.userName, stored);
      else if (stored === undefined) this.failures.delete(req.userName);
    }
    const f = this.failures.get(req.userName);
    if (f && f.lockedUntil > Date.now()) return { code: Codes.ACCOUNT_LOCKED };
    const e = this.byName.get(req.userName);
    const ok = e ? await verifyPassword(req.password, e.hash) : false;
    if (!ok || !e) {
      if (e) {
        const cur = f && f.lockedUntil <= Date.now() && f.lockedUntil !== 0 ? { count: 0, lockedUntil: 0 } : (f ?? { count: 0, lockedUntil: 0 });
        cur.count += 1;
        if (cur.count >= this.failuresBeforeLock) {
          cur.lockedUntil = Date.now() + this.lockMs;
          cur.count = 0;
        }
        this.failures.set(req.userName, cur);
        this.persist(() => this.locks?.save(req.userName, cur));
      }
      return { code: Codes.WRONG_CREDENTIALS };
    }
    if (this.failures.delete(req.userName)) this.persist(() => this.locks?.clear(req.userName));
    return { code: Codes.SUCCESS, userId: e.userId, userLevel: e.level, nickName: e.nickName };
  }

  /** A lock that cannot be written (e.g. a full disk) still holds in memory. */
  private persist(fn: () => void): void {
    try {
      fn();
    } catch {
      /* kept in memory for this run */
    }
  }
}

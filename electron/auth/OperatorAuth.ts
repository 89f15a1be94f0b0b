/**
 * Operator sign-in for the headless host's console: scrypt-verified passwords, roles, random
 * session tokens persisted in the store (only their SHA-256 is kept, so sessions survive a host
 * restart), and a failure throttle per account and per client address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Codes, CodedError } from '../../shared/codes';
import type { OperatorRole } from '../../shared/ipc/roles';
import type { Config } from '../config/schema';
import { TypedEmitter } from '../util/TypedEmitter';
import { FailureThrottle } from './failureThrottle';
import type { OperatorRecord, OperatorRepository } from './operatorRepository';
import { hashPassword, verifyPassword } from './password';

export interface OperatorSession {
  username: string;
  role: OperatorRole;
  expiresAt: number;
}

/** A sign-in attempt, for the audit log. The user name of a failed attempt is never kept: it may be a password typed into the wrong field. */
export interface SignInEvent {
  ok: boolean;
  username: string | null;
  address: string;
  reason?: 'wrong-credentials' | 'throttled' | 'disabled';
}

export interface OperatorView {
  username: string;
  role: OperatorRole;
  disabled: boolean;
  source: OperatorRecord['source'];
  createdAt: number;
}

export interface SessionView {
  username: string;
  role: OperatorRole;
  address: string;
  signedInAt: number;
  lastSeenAt: number;
}

// Verified against when the user name is unknown, so both paths take the same time.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
/** One address may try several accounts (a shared office NAT, a demo on 127.0.0.1): it gets this many times an account's allowance. */
const ADDRESS_ALLOWANCE = 4;
/** last_seen_at is written at most this often per session. */
const TOUCH_EVERY_MS = 30_000;
export const INITIAL_PASSWORD_FILE = 'initial-admin-password.txt';

export class OperatorAuth extends TypedEmitter<{ signIn: SignInEvent; changed: { reason: string } }> {
  private readonly byAccount: FailureThrottle;
  private readonly byAddress: FailureThrottle;
  private readonly sessionMs: number;

  private constructor(
    private readonly repo: OperatorRepository,
    private readonly logger: Logger,
    settings: Config['operatorSignIn'],
    private readonly initialPasswordFile: string,
  ) {
    super();
    const opts = { windowMs: settings.windowSeconds * 1000, lockMs: settings.lockSeconds * 1000 };
    this.byAccount = new FailureThrottle({ ...opts, maxFailures: settings.maxFailures });
    this.byAddress = new FailureThrottle({ ...opts, maxFailures: settings.maxFailures * ADDRESS_ALLOWANCE });
    this.sessionMs = settings.sessionHours * 3600_000;
  }

  /**
   * Syncs the configured operators into the store: configured ones are enabled with their role,
   * operators once configured but no longer are disabled, and the auto-created `admin` is
   * disabled once operators are configured. With no operator at all, creates `admin` with a
   * random password written to DATA_DIR/initial-admin-password.txt.
   */
  static async create(opts: { repo: OperatorRepository; config: Config; dataDir: string; logger: Logger }): Promise<OperatorAuth> {
    const { repo, config, logger } = opts;
    const configured = new Set<string>();
    for (const op of config.operators) {
      configured.add(op.username);
      const role = op.role ?? 'admin';
      const existing = await repo.find(op.username);
      if (op.passwordHash) {
        await repo.upsert(op.username, op.passwordHash, { role });
      } else if (op.password !== undefined) {
        if (!existing || existing.source !== 'config' || !(await verifyPassword(op.password, existing.passwordHash))) {
          await repo.upsert(op.username, await hashPassword(op.password), { role });
        } else {
          await repo.setConfigured(op.username, role);
        }
      }
    }
    for (const op of await repo.list()) {
      const stale = (op.source === 'config' && !configured.has(op.username)) || (op.source === 'initial' && configured.size > 0);
      if (stale && !op.disabled) {
        await repo.setDisabled(op.username, true);
        await repo.deleteSessionsOf(op.username);
        logger.warn({ operator: op.username }, 'operator disabled: no longer in the configuration');
      }
    }
    const file = path.join(opts.dataDir, INITIAL_PASSWORD_FILE);
    if (configured.size > 0) rmSync(file, { force: true });
    if ((await repo.countEnabled()) === 0) {
      const password = randomBytes(12).toString('base64url');
      await repo.upsert('admin', await hashPassword(password), { role: 'admin', source: 'initial', initialPassword: true });
      writeFileSync(file, `admin\n${password}\n`, { mode: 0o600 });
      logger.warn({ file }, 'no operators configured: created operator "admin" with a random password (see file)');
    }
    await repo.deleteExpiredSessions(Date.now());
    return new OperatorAuth(repo, logger, config.operatorSignIn, file);
  }

  /** Signs in; throws CodedError 900429 when throttled, 200 on wrong credentials (or a disabled account). */
  async signIn(username: string, password: string, address: string): Promise<{ token: string; session: OperatorSession }> {
    const accountKey = username.toLowerCase();
    const wait = Math.max(this.byAccount.retryAfterMs(accountKey), this.byAddress.retryAfterMs(address));
    if (wait > 0) {
      this.logger.warn({ address }, 'operator sign-in throttled');
      this.emit('signIn', { ok: false, username: null, address, reason: 'throttled' });
      throw tooMany(wait);
    }
    const record = await this.repo.find(username);
    const ok = await verifyPassword(password, record?.passwordHash ?? DUMMY_HASH);
    if (!record || !ok || record.disabled) {
      const locked = Math.max(this.byAccount.recordFailure(accountKey), this.byAddress.recordFailure(address));
      const reason = record && ok ? 'disabled' : 'wrong-credentials';
      this.logger.warn({ address, reason }, 'operator sign-in failed');
      this.emit('signIn', { ok: false, username: null, address, reason });
      if (locked > 0) throw tooMany(locked);
      throw new CodedError(Codes.WRONG_CREDENTIALS, 'Wrong user name or password.');
    }
    this.byAccount.recordSuccess(accountKey);
    this.byAddress.recordSuccess(address);
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const session: OperatorSession = { username, role: record.role, expiresAt: now + this.sessionMs };
    await this.repo.saveSession({ tokenHash: hashToken(token), username, address, createdAt: now, expiresAt: session.expiresAt, lastSeenAt: now });
    this.logger.info({ username, address }, 'operator signed in');
    this.emit('signIn', { ok: true, username, address });
    this.emit('changed', { reason: 'session' });
    return { token, session };
  }

  /** The live session for a token: unknown, expired or disabled operators get null. */
  async sessionFor(token: string | undefined): Promise<OperatorSession | null> {
    if (!token) return null;
    const key = hashToken(token);
    const s = await this.repo.findSession(key);
    if (!s) return null;
    const now = Date.now();
    const op = await this.repo.find(s.username);
    if (s.expiresAt <= now || !op || op.disabled) {
      await this.repo.deleteSession(key);
      return null;
    }
    if (now - s.lastSeenAt > TOUCH_EVERY_MS) await this.repo.touchSession(key, now);
    return { username: s.username, role: op.role, expiresAt: s.expiresAt };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (!token) return;
    await this.repo.deleteSession(hashToken(token));
    this.emit('changed', { reason: 'session' });
  }

  async activeSessionCount(): Promise<number> {
    return (await this.repo.listSessions(Date.now())).length;
  }

  /** Who is signed in (one row per session, newest activity first). */
  async sessions(): Promise<SessionView[]> {
    const roles = new Map((await this.repo.list()).map((o) => [o.username, o]));
    return (await this.repo.listSessions(Date.now()))
      .filter((s) => roles.get(s.username) && !roles.get(s.username)!.disabled)
      .map((s) => ({ username: s.username, role: roles.get(s.username)!.role, address: s.address, signedInAt: s.createdAt, lastSeenAt: s.lastSeenAt }));
  }

  async operators(): Promise<OperatorView[]> {
    return (await this.repo.list()).map((o) => ({ username: o.username, role: o.role, disabled: o.disabled, source: o.source, createdAt: o.createdAt }));
  }

  /** Where the first password is, while the auto-created admin still has it; else null. */
  async initialPasswordHint(): Promise<string | null> {
    const admin = await this.repo.find('admin');
    return admin && admin.source === 'initial' && admin.initialPassword && !admin.disabled ? this.initialPasswordFile : null;
  }

  async addOperator(username: string, password: string, role: OperatorRole): Promise<OperatorView> {
    if (await this.repo.find(username)) throw new CodedError(Codes.BAD_REQUEST, `operator ${username} already exists`);
    await this.repo.upsert(username, await hashPassword(password), { role, source: 'console' });
    this.emit('changed', { reason: 'operators' });
    return (await this.operators()).find((o) => o.username === username)!;
  }

  async setDisabled(username: string, disabled: boolean, by: string): Promise<void> {
    if (username === by && disabled) throw new CodedError(Codes.BAD_REQUEST, 'you cannot disable your own account');
    const op = await this.requireOperator(username);
    if (disabled && op.role === 'admin' && !op.disabled && (await this.repo.list()).filter((o) => o.role === 'admin' && !o.disabled).length <= 1) {
      throw new CodedError(Codes.BAD_REQUEST, 'the last enabled admin cannot be disabled');
    }
    await this.repo.setDisabled(username, disabled);
    if (disabled) await this.repo.deleteSessionsOf(username);
    this.emit('changed', { reason: 'operators' });
  }

  async resetPassword(username: string, password: string): Promise<void> {
    await this.requireOperator(username);
    await this.repo.setPassword(username, await hashPassword(password));
    // The first password no longer works: the file that holds it goes too.
    if (username === 'admin') rmSync(this.initialPasswordFile, { force: true });
    this.emit('changed', { reason: 'operators' });
  }

  private async requireOperator(username: string): Promise<OperatorRecord> {
    const op = await this.repo.find(username);
    if (!op) throw new CodedError(Codes.NOT_FOUND, `operator ${username} does not exist`);
    return op;
  }
}

function tooMany(ms: number): CodedError {
  const s = Math.ceil(ms / 1000);
  return new CodedError(Codes.TOO_MANY_REQUESTS, `Too many failed sign-ins. Try again in ${s} s.`, { retryAfterSeconds: s });
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

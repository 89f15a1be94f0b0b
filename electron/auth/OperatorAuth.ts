/**
 * Operator sign-in for the headless host's console: scrypt-verified passwords, random session
 * tokens (only their SHA-256 is kept), and a failure throttle per client address.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Codes, CodedError } from '../../shared/codes';
import type { Config } from '../config/schema';
import { FailureThrottle } from './failureThrottle';
import { OperatorRepository } from './operatorRepository';
import { hashPassword, verifyPassword } from './password';

export interface OperatorSession {
  username: string;
  expiresAt: number;
}

// Verified against when the user name is unknown, so both paths take the same time.
const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export class OperatorAuth {
  private readonly sessions = new Map<string, OperatorSession>();
  private readonly throttle: FailureThrottle;
  private readonly sessionMs: number;

  private constructor(
    private readonly repo: OperatorRepository,
    private readonly logger: Logger,
    settings: Config['operatorSignIn'],
  ) {
    this.throttle = new FailureThrottle({
      maxFailures: settings.maxFailures,
      windowMs: settings.windowSeconds * 1000,
      lockMs: settings.lockSeconds * 1000,
    });
    this.sessionMs = settings.sessionHours * 3600_000;
  }

  /** Syncs the configured operators into the store; creates `admin` with a random password if none exist. */
  static async create(opts: { repo: OperatorRepository; config: Config; dataDir: string; logger: Logger }): Promise<OperatorAuth> {
    const { repo, config, logger } = opts;
    for (const op of config.operators) {
      if (op.passwordHash) {
        repo.upsert(op.username, op.passwordHash);
      } else if (op.password !== undefined) {
        const existing = repo.find(op.username);
        if (!existing || !(await verifyPassword(op.password, existing.passwordHash))) {
          repo.upsert(op.username, await hashPassword(op.password));
        }
      }
    }
    if (repo.count() === 0) {
      const password = randomBytes(12).toString('base64url');
      repo.upsert('admin', await hashPassword(password));
      const file = path.join(opts.dataDir, 'initial-admin-password.txt');
      writeFileSync(file, `admin\n${password}\n`, { mode: 0o600 });
      logger.warn({ file }, 'no operators configured: created operator "admin" with a random password (see file)');
    }
    return new OperatorAuth(repo, logger, config.operatorSignIn);
  }

  /** Signs in; throws CodedError 900429 when throttled, 200 on wrong credentials. */
  async signIn(username: string, password: string, clientKey: string): Promise<{ token: string; session: OperatorSession }> {
    const wait = this.throttle.retryAfterMs(clientKey);
    if (wait > 0) {
      this.logger.warn({ clientKey, username }, 'operator sign-in throttled');
      throw new CodedError(Codes.TOO_MANY_REQUESTS, `Too many failed sign-ins. Try again in ${Math.ceil(wait / 1000)} s.`, {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    const record = this.repo.find(username);
    const ok = await verifyPassword(password, record?.passwordHash ?? DUMMY_HASH);
    if (!record || !ok) {
      const locked = this.throttle.recordFailure(clientKey);
      this.logger.warn({ clientKey, username }, 'operator sign-in failed');
      if (locked > 0) {
        throw new CodedError(Codes.TOO_MANY_REQUESTS, `Too many failed sign-ins. Try again in ${Math.ceil(locked / 1000)} s.`, {
          retryAfterSeconds: Math.ceil(locked / 1000),
        });
      }
      throw new CodedError(Codes.WRONG_CREDENTIALS, 'Wrong user name or password.');
    }
    this.throttle.recordSuccess(clientKey);
    const token = randomBytes(32).toString('base64url');
    const session = { username, expiresAt: Date.now() + this.sessionMs };
    this.sessions.set(hashToken(token), session);
    this.logger.info({ username }, 'operator signed in');
    return { token, session };
  }

  sessionFor(token: string | undefined): OperatorSession | null {
    if (!token) return null;
    const key = hashToken(token);
    const s = this.sessions.get(key);
    if (!s) return null;
    if (s.expiresAt <= Date.now()) {
      this.sessions.delete(key);
      return null;
    }
    return s;
  }

  signOut(token: string | undefined): void {
    if (token) this.sessions.delete(hashToken(token));
  }

  get activeSessionCount(): number {
    return this.sessions.size;
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

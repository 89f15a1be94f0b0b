import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/loadConfig';
import { openDatabase, runMigrations } from '../store/Database';
import { FailureThrottle } from './failureThrottle';
import { OperatorAuth } from './OperatorAuth';
import { OperatorRepository, operatorMigrations } from './operatorRepository';
import { hashPassword, verifyPassword } from './password';
import { Codes } from '../../shared/codes';

const logger = pino({ level: 'silent' });

describe('password hashing', () => {
  it('verifies the right password only, with a random salt each time', async () => {
    const a = await hashPassword('s3cret');
    const b = await hashPassword('s3cret');
    expect(a).not.toBe(b);
    expect(a.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('s3cret', a)).toBe(true);
    expect(await verifyPassword('S3cret', a)).toBe(false);
    expect(await verifyPassword('s3cret', 'garbage')).toBe(false);
  });
});

describe('FailureThrottle', () => {
  it('locks a key after maxFailures inside the window, then unlocks', () => {
    let now = 0;
    const t = new FailureThrottle({ maxFailures: 3, windowMs: 1000, lockMs: 5000, now: () => now });
    expect(t.recordFailure('ip')).toBe(0);
    expect(t.recordFailure('ip')).toBe(0);
    expect(t.recordFailure('ip')).toBe(5000);
    expect(t.retryAfterMs('ip')).toBe(5000);
    expect(t.retryAfterMs('other')).toBe(0);
    now = 5001;
    expect(t.retryAfterMs('ip')).toBe(0);
  });

  it('forgets failures older than the window and after a success', () => {
    let now = 0;
    const t = new FailureThrottle({ maxFailures: 2, windowMs: 1000, lockMs: 5000, now: () => now });
    t.recordFailure('ip');
    now = 1500;
    expect(t.recordFailure('ip')).toBe(0);
    t.recordSuccess('ip');
    expect(t.recordFailure('ip')).toBe(0);
  });
});

describe('OperatorAuth on a real SQLite file', () => {
  async function setup(raw: unknown) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'auth-'));
    const db = openDatabase(dir);
    runMigrations(db, operatorMigrations);
    const repo = new OperatorRepository(db);
    const auth = await OperatorAuth.create({ repo, config: validateConfig(raw), dataDir: dir, logger });
    return { dir, db, repo, auth };
  }

  it('stores only scrypt hashes and signs in with the configured password', async () => {
    const { repo, auth } = await setup({ operators: [{ username: 'op', password: 'pw-1' }] });
    expect(repo.find('op')?.passwordHash).toMatch(/^scrypt\$/);
    const { token, session } = await auth.signIn('op', 'pw-1', '1.2.3.4');
    expect(session.username).toBe('op');
    expect(auth.sessionFor(token)?.username).toBe('op');
    auth.signOut(token);
    expect(auth.sessionFor(token)).toBeNull();
  });

  it('answers 200 for wrong credentials and 900429 once throttled', async () => {
    const { auth } = await setup({ operators: [{ username: 'op', password: 'pw' }], operatorSignIn: { maxFailures: 2 } });
    await expect(auth.signIn('op', 'x', 'k')).rejects.toMatchObject({ code: 200 });
    await expect(auth.signIn('op', 'x', 'k')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    await expect(auth.signIn('op', 'pw', 'k')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    expect(auth.activeSessionCount).toBe(0);
    // Another client address is not affected.
    await expect(auth.signIn('op', 'pw', 'other')).resolves.toBeTruthy();
  });

  it('creates admin with a random password file when no operator exists', async () => {
    const { repo, dir } = await setup({});
    expect(repo.find('admin')).toBeTruthy();
    const { readFileSync } = await import('node:fs');
    const [, password] = readFileSync(path.join(dir, 'initial-admin-password.txt'), 'utf8').split('\n');
    expect(await verifyPassword(password, repo.find('admin')!.passwordHash)).toBe(true);
  });
});

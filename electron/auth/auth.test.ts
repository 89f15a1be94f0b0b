import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/loadConfig';
import { describeEachStore } from '../store/testing/storeMatrix';
import { FailureThrottle } from './failureThrottle';
import { OperatorAuth } from './OperatorAuth';
import { OperatorRepository, operatorMigrations, operatorPgMigrations } from './operatorRepository';
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

describeEachStore('OperatorAuth on a real store', { sqlite: operatorMigrations, postgres: operatorPgMigrations }, (store) => {
  async function setup(raw: unknown) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'auth-'));
    const repo = new OperatorRepository(store().db);
    const auth = await OperatorAuth.create({ repo, config: validateConfig(raw), dataDir: dir, logger });
    return { dir, repo, auth };
  }

  it('stores only scrypt hashes and signs in with the configured password', async () => {
    const { repo, auth } = await setup({ operators: [{ username: 'op', password: 'pw-1' }] });
    expect((await repo.find('op'))?.passwordHash).toMatch(/^scrypt\$/);
    const { token, session } = await auth.signIn('op', 'pw-1', '1.2.3.4');
    expect(session.username).toBe('op');
    expect((await auth.sessionFor(token))?.username).toBe('op');
    await auth.signOut(token);
    expect(await auth.sessionFor(token)).toBeNull();
  });

  it('answers 200 for wrong credentials and 900429 once the account is throttled, from any address', async () => {
    const { auth } = await setup({
      operators: [
        { username: 'op', password: 'pw' },
        { username: 'op2', password: 'pw2' },
      ],
      operatorSignIn: { maxFailures: 2 },
    });
    await expect(auth.signIn('op', 'x', 'k')).rejects.toMatchObject({ code: 200 });
    await expect(auth.signIn('op', 'x', 'k')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    await expect(auth.signIn('op', 'pw', 'k')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    // An attacker with many addresses gets no fresh guesses: the lock is on the account too.
    await expect(auth.signIn('op', 'pw', 'other')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    expect(await auth.activeSessionCount()).toBe(0);
    // One operator's typos do not lock the others out, even from the same address.
    await expect(auth.signIn('op2', 'pw2', 'k')).resolves.toBeTruthy();
  });

  it('locks an address that sprays many accounts', async () => {
    const { auth } = await setup({ operators: [{ username: 'op', password: 'pw' }], operatorSignIn: { maxFailures: 2 } });
    // 2 per account × 4 per address = 8 failures from one address over different names.
    for (let i = 0; i < 7; i++) await expect(auth.signIn(`guess${i}`, 'x', 'spray')).rejects.toMatchObject({ code: 200 });
    await expect(auth.signIn('guess7', 'x', 'spray')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    await expect(auth.signIn('op', 'pw', 'spray')).rejects.toMatchObject({ code: Codes.TOO_MANY_REQUESTS });
    await expect(auth.signIn('op', 'pw', 'elsewhere')).resolves.toBeTruthy();
  });

  it('reports sign-ins for the audit log, never the user name of a failed one', async () => {
    const { auth } = await setup({ operators: [{ username: 'op', password: 'pw' }] });
    const seen: unknown[] = [];
    auth.on('signIn', (e) => seen.push(e));
    await auth.signIn('op', 'pw', '1.2.3.4');
    await expect(auth.signIn('my-secret-password', 'x', '1.2.3.4')).rejects.toMatchObject({ code: 200 });
    expect(seen).toEqual([
      { ok: true, username: 'op', address: '1.2.3.4' },
      { ok: false, username: null, address: '1.2.3.4', reason: 'wrong-credentials' },
    ]);
    expect(JSON.stringify(seen)).not.toContain('my-secret-password');
  });

  it('keeps sessions across a restart (same store file) and ends them when the operator is disabled', async () => {
    const { auth, repo, dir } = await setup({
      operators: [
        { username: 'op', password: 'pw' },
        { username: 'boss', password: 'pw-boss' },
      ],
    });
    const { token } = await auth.signIn('op', 'pw', '1.2.3.4');
    const again = await OperatorAuth.create({
      repo,
      config: validateConfig({
        operators: [
          { username: 'op', password: 'pw' },
          { username: 'boss', password: 'pw-boss' },
        ],
      }),
      dataDir: dir,
      logger,
    });
    expect(await again.sessionFor(token)).toMatchObject({ username: 'op', role: 'admin' });
    expect((await again.sessions()).map((s) => s.username)).toEqual(['op']);
    await again.setDisabled('op', true, 'boss');
    expect(await again.sessionFor(token)).toBeNull();
    await expect(again.signIn('op', 'pw', '1.2.3.4')).rejects.toMatchObject({ code: 200 });
  });

  it('disables the auto-created admin once operators are configured, and operators removed from the config', async () => {
    const { repo, dir } = await setup({});
    expect((await repo.find('admin'))?.source).toBe('initial');
    const { existsSync } = await import('node:fs');
    const withOps = await OperatorAuth.create({
      repo,
      config: validateConfig({
        operators: [
          { username: 'op', password: 'pw', role: 'viewer' },
          { username: 'old', password: 'pw-old' },
        ],
      }),
      dataDir: dir,
      logger,
    });
    expect((await repo.find('admin'))?.disabled).toBe(true);
    expect(existsSync(path.join(dir, 'initial-admin-password.txt'))).toBe(false);
    expect(await withOps.initialPasswordHint()).toBeNull();
    const { session } = await withOps.signIn('op', 'pw', 'a');
    expect(session.role).toBe('viewer');
    const without = await OperatorAuth.create({ repo, config: validateConfig({ operators: [{ username: 'op', password: 'pw' }] }), dataDir: dir, logger });
    expect((await repo.find('old'))?.disabled).toBe(true);
    await expect(without.signIn('old', 'pw-old', 'b')).rejects.toMatchObject({ code: 200 });
    // Operators an admin added in the console are not the config's: they stay.
    await without.addOperator('added', 'pw-added-1', 'operator');
    await OperatorAuth.create({ repo, config: validateConfig({ operators: [{ username: 'op', password: 'pw' }] }), dataDir: dir, logger });
    expect((await repo.find('added'))?.disabled).toBe(false);
  });

  it('creates admin with a random password file when no operator exists', async () => {
    const { repo, dir } = await setup({});
    expect(await repo.find('admin')).toBeTruthy();
    const { readFileSync } = await import('node:fs');
    const [, password] = readFileSync(path.join(dir, 'initial-admin-password.txt'), 'utf8').split('\n');
    expect(await verifyPassword(password, (await repo.find('admin'))!.passwordHash)).toBe(true);
  });

  it('shows where the first password is until it is changed', async () => {
    const { auth, dir } = await setup({});
    expect(await auth.initialPasswordHint()).toBe(path.join(dir, 'initial-admin-password.txt'));
    await auth.resetPassword('admin', 'a-new-password');
    expect(await auth.initialPasswordHint()).toBeNull();
  });
});

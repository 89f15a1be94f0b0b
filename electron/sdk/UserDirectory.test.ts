import { describe, expect, it } from 'vitest';
import { hashPassword } from '../auth/password';
import { UserDirectory } from './UserDirectory';

describe('UserDirectory', () => {
  it('verifies scrypt hashes, locks after N consecutive failures, unlocks after the lock time', async () => {
    const dir = await UserDirectory.create([{ userName: 'u', password: 'pw', userId: 7, level: 2 }], { failuresBeforeLock: 2, lockSeconds: 1 });
    expect(await dir.verify({ userName: 'u', password: 'pw', ip: '' })).toEqual({ code: 0, userId: 7, userLevel: 2, nickName: 'u' });
    expect((await dir.verify({ userName: 'u', password: 'x', ip: '' })).code).toBe(200);
    expect((await dir.verify({ userName: 'u', password: 'pw', ip: '' })).code).toBe(0); // success resets the count
    expect((await dir.verify({ userName: 'u', password: 'x', ip: '' })).code).toBe(200);
    expect((await dir.verify({ userName: 'u', password: 'x', ip: '' })).code).toBe(200);
    expect((await dir.verify({ userName: 'u', password: 'pw', ip: '' })).code).toBe(202);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await dir.verify({ userName: 'u', password: 'pw', ip: '' })).code).toBe(0);
    expect((await dir.verify({ userName: 'nobody', password: 'pw', ip: '' })).code).toBe(200);
  });

  it('accepts a stored scrypt hash in place of a password', async () => {
    const hash = await hashPassword('s3cret');
    const dir = await UserDirectory.create([{ userName: 'h', password: hash, userId: 8, level: 0, nickName: 'H' }], { failuresBeforeLock: 5, lockSeconds: 1 });
    expect((await dir.verify({ userName: 'h', password: 's3cret', ip: '' })).code).toBe(0);
    expect((await dir.verify({ userName: 'h', password: hash, ip: '' })).code).toBe(200);
  });
});

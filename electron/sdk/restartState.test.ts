/**
 * Regression (issue 13): state lost on restart. Account locks survived nothing, and room ids and
 * guest ids started again from their first value. A real SQLite file, the SDK built twice on it.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { openDatabase, runMigrations } from '../store/Database';
import { AnyChatSdk, sdkMigrations } from '.';

const settings = {
  guestLogin: true,
  duplicateLogin: 'kickOld' as const,
  loginFailuresBeforeLock: 2,
  accountLockSeconds: 600,
  hookTimeoutMs: 300,
  callTimeoutSeconds: 5,
  maxFileBytes: 1 << 20,
};
const users = [{ userName: 'alice', password: 'right', userId: 1001, level: 0 }];

async function boot(dataDir: string) {
  const db = openDatabase(dataDir);
  runMigrations(db, sdkMigrations);
  const sdk = await AnyChatSdk.create({ db, logger: pino({ level: 'silent' }), users, settings, tempDir: path.join(dataDir, 'transfers') });
  return { db, sdk };
}

it('account locks, room ids and guest ids survive a restart; ids are never handed out twice', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sdk-restart-'));
  let { db, sdk } = await boot(dir);
  const verify = (password: string) => directoryOf(sdk).verify({ userName: 'alice', password, ip: '127.0.0.1' });
  expect((await verify('wrong')).code).toBe(200);
  expect((await verify('wrong')).code).toBe(200);
  expect((await verify('right')).code).toBe(202);
  const rooms1 = [sdk.allocateRoomId(), sdk.allocateRoomId()];
  const guests1 = [sdk.allocateGuestId(), sdk.allocateGuestId()];
  await sdk.close();
  db.close();

  ({ db, sdk } = await boot(dir));
  expect((await verify('right')).code).toBe(202);
  const rooms2 = [sdk.allocateRoomId(), sdk.allocateRoomId()];
  const guests2 = [sdk.allocateGuestId()];
  expect(Math.min(...rooms2)).toBeGreaterThan(Math.max(...rooms1));
  expect(Math.min(...guests2)).toBeGreaterThan(Math.max(...guests1));
  await sdk.close();
  db.close();
});

it('a correct password clears the failure count for good', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sdk-restart-'));
  let { db, sdk } = await boot(dir);
  expect((await directoryOf(sdk).verify({ userName: 'alice', password: 'wrong', ip: '' })).code).toBe(200);
  expect((await directoryOf(sdk).verify({ userName: 'alice', password: 'right', ip: '' })).code).toBe(0);
  await sdk.close();
  db.close();
  ({ db, sdk } = await boot(dir));
  // One failure after the restart does not lock (the earlier one was cleared).
  expect((await directoryOf(sdk).verify({ userName: 'alice', password: 'wrong', ip: '' })).code).toBe(200);
  expect((await directoryOf(sdk).verify({ userName: 'alice', password: 'right', ip: '' })).code).toBe(0);
  await sdk.close();
  db.close();
});

/** The SDK's user directory (private: the lockout state under test lives there). */
function directoryOf(sdk: AnyChatSdk): { verify: (r: { userName: string; password: string; ip: string }) => Promise<{ code: number }> } {
  return (sdk as unknown as { directory: { verify: (r: { userName: string; password: string; ip: string }) => Promise<{ code: number }> } }).directory;
}

import pino from 'pino';
import { expect, it } from 'vitest';
import { CodedError, Codes } from '../../shared/codes';
import { describeEachStore } from '../store/testing/storeMatrix';
import { AuditLog, auditMigrations, auditPgMigrations } from './AuditLog';

describeEachStore('AuditLog', { sqlite: auditMigrations, postgres: auditPgMigrations }, (store) => {
  it('persists successes and failures with who, what, when, result — newest first, across reopen', async () => {
    const log = new AuditLog(store().db, pino({ level: 'silent' }));
    const seen: string[] = [];
    log.on('appended', (e) => seen.push(e.action));
    await expect(log.run('admin', 'users:kick', 'user 7', { userId: 7 }, () => 'done')).resolves.toBe('done');
    await expect(
      log.run('admin', 'rooms:close', 'room 9', { roomId: 9 }, () => {
        throw new CodedError(Codes.NOT_FOUND, 'no such room');
      }),
    ).rejects.toThrow('no such room');

    const reopened = await store().reopen();
    const entries = await new AuditLog(reopened, pino({ level: 'silent' })).list();
    expect(entries.map((e) => [e.action, e.result, e.errorCode])).toEqual([
      ['rooms:close', 'error', Codes.NOT_FOUND],
      ['users:kick', 'ok', null],
    ]);
    expect(entries[1]).toMatchObject({ operator: 'admin', target: 'user 7', params: { userId: 7 } });
    expect(entries[0]!.at).toBeGreaterThan(0);
    expect(seen).toEqual(['users:kick', 'rooms:close']);
    expect((await new AuditLog(reopened, pino({ level: 'silent' })).list(10, entries[0]!.id)).map((e) => e.action)).toEqual(['users:kick']);
  });
});

import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { CodedError, Codes } from '../../shared/codes';
import { openDatabase, runMigrations } from '../store/Database';
import { AuditLog, auditMigrations } from './AuditLog';

describe('AuditLog', () => {
  it('persists successes and failures with who, what, when, result — newest first, across reopen', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    const db = openDatabase(dir);
    runMigrations(db, auditMigrations);
    const log = new AuditLog(db, pino({ level: 'silent' }));
    const seen: string[] = [];
    log.on('appended', (e) => seen.push(e.action));
    await expect(log.run('admin', 'users:kick', 'user 7', { userId: 7 }, () => 'done')).resolves.toBe('done');
    await expect(
      log.run('admin', 'rooms:close', 'room 9', { roomId: 9 }, () => {
        throw new CodedError(Codes.NOT_FOUND, 'no such room');
      }),
    ).rejects.toThrow('no such room');
    db.close();

    const reopened = openDatabase(dir);
    const entries = new AuditLog(reopened, pino({ level: 'silent' })).list();
    expect(entries.map((e) => [e.action, e.result, e.errorCode])).toEqual([
      ['rooms:close', 'error', Codes.NOT_FOUND],
      ['users:kick', 'ok', null],
    ]);
    expect(entries[1]).toMatchObject({ operator: 'admin', target: 'user 7', params: { userId: 7 } });
    expect(entries[0].at).toBeGreaterThan(0);
    expect(seen).toEqual(['users:kick', 'rooms:close']);
    expect(new AuditLog(reopened, pino({ level: 'silent' })).list(10, entries[0].id).map((e) => e.action)).toEqual(['users:kick']);
  });
});

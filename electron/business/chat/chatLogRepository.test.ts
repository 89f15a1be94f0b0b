import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, type Db } from '../../store/Database';
import { businessMigrations } from '../businessMigrations';
import { ChatLogRepository } from './chatLogRepository';

let dir = '';
let db: Db | null = null;

afterEach(() => {
  db?.close();
  db = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(): ChatLogRepository {
  dir = mkdtempSync(path.join(tmpdir(), 'chatlog-'));
  db = openDatabase(dir);
  runMigrations(db, businessMigrations);
  return new ChatLogRepository(db);
}

describe('ChatLogRepository', () => {
  it('appends, queries newest first by room id or name, pages, and prunes', () => {
    const repo = open();
    for (let i = 0; i < 5; i++) {
      repo.append({ roomId: 1, roomName: 'a', srcUserId: 10 + i, targetUserId: -1, secret: false, text: `m${i}`, at: 1000 + i });
    }
    repo.append({ roomId: 2, roomName: null, srcUserId: 9, targetUserId: 10, secret: true, text: '你好', at: 2000 });
    const a = repo.query({ roomId: 1, limit: 3 });
    expect(a.map((e) => e.text)).toEqual(['m4', 'm3', 'm2']);
    expect(repo.query({ roomName: 'a', beforeId: a[2]!.id }).map((e) => e.text)).toEqual(['m1', 'm0']);
    const b = repo.query({ roomId: 2 });
    expect(b).toEqual([{ id: b[0]!.id, roomId: 2, roomName: null, srcUserId: 9, targetUserId: 10, secret: true, text: '你好', at: 2000 }]);
    expect(repo.prune(1003)).toBe(3);
    expect(repo.query({}).length).toBe(3);
  });

  it('survives reopening (real file)', () => {
    const repo = open();
    repo.append({ roomId: 3, roomName: 'x', srcUserId: 1, targetUserId: -1, secret: false, text: 'kept', at: 1 });
    db!.close();
    db = openDatabase(dir);
    expect(runMigrations(db, businessMigrations)).toEqual([]);
    expect(new ChatLogRepository(db).query({ roomId: 3 })[0]!.text).toBe('kept');
  });
});

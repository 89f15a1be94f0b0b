import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, runMigrations, scalar, type Migration } from './Database';

describe('store', () => {
  it('opens in WAL mode and runs each migration once, in order, across restarts', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'db-'));
    const order: string[] = [];
    const migrations: Migration[] = [
      { id: 't:001_a', up: (db) => (order.push('a'), db.exec('CREATE TABLE a (x INTEGER)')) },
      { id: 't:002_b', up: (db) => (order.push('b'), db.exec('CREATE TABLE b (y INTEGER)')) },
    ];
    const db = openDatabase(dir);
    expect(scalar(db, 'PRAGMA journal_mode')).toBe('wal');
    expect(runMigrations(db, migrations)).toEqual(['t:001_a', 't:002_b']);
    db.close();
    const again = openDatabase(dir);
    expect(runMigrations(again, migrations)).toEqual([]);
    expect(order).toEqual(['a', 'b']);
    again.close();
  });

  it('rolls a failing migration back and leaves it unapplied', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'db-'));
    const db = openDatabase(dir);
    const bad: Migration = {
      id: 't:001_bad',
      up: (d) => {
        d.exec('CREATE TABLE c (z INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => runMigrations(db, [bad])).toThrow('boom');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'c'").get()).toBeUndefined();
    expect(() => runMigrations(db, [bad, bad])).toThrow(/duplicate migration/);
  });
});

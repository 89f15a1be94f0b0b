import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openDatabase, runMigrations } from '../store/Database';
import { QueueObjectStore, queueMigrations } from './QueueObjectStore';

it('areas, queues, skills, queue groups and user objects persist across a restart', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qstore-'));
  let db = openDatabase(dir);
  runMigrations(db, queueMigrations);
  let store = new QueueObjectStore(db);
  const area = store.create({ objecttype: 4, objectid: 1, name: 'Hall' });
  const queue = store.create({ objecttype: 5, objectid: 11, parentobjectid: 1, name: 'Q', skillgroups: [1, 2], priority: 3 });
  store.create({ objecttype: 10, objectid: 100, name: 'G', queuegroups: [11] });
  expect(() => store.create({ objecttype: 5, objectid: 11, name: 'dup' })).toThrow('duplicate');
  store.modify(queue.objectguid, { name: 'Q2' });
  store.delete(area.objectguid);
  store.setUserObject({ userId: 7, flags: 2, priority: 1, skillgroups: [1], queuegroups: [100] });
  db.close();
  db = openDatabase(dir);
  runMigrations(db, queueMigrations);
  store = new QueueObjectStore(db);
  expect(store.all().map((o) => [o.objecttype, o.objectid, o.name])).toEqual([
    [5, 11, 'Q2'],
    [10, 100, 'G'],
  ]);
  expect(store.get(queue.objectguid)).toMatchObject({ skillgroups: [1, 2], priority: 3, parentobjectid: 1 });
  expect(store.userObject(7)).toEqual({ userId: 7, flags: 2, priority: 1, skillgroups: [1], queuegroups: [100] });
  db.close();
});

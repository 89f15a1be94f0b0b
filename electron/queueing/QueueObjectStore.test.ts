import { expect, it } from 'vitest';
import { describeEachStore } from '../store/testing/storeMatrix';
import { QueueObjectStore, queueMigrations, queuePgMigrations } from './QueueObjectStore';

describeEachStore('QueueObjectStore', { sqlite: queueMigrations, postgres: queuePgMigrations }, (store) => {
  it('areas, queues, skills, queue groups and user objects persist across a restart', async () => {
    let objects = await QueueObjectStore.open(store().db);
    const area = await objects.create({ objecttype: 4, objectid: 1, name: 'Hall' });
    const queue = await objects.create({ objecttype: 5, objectid: 11, parentobjectid: 1, name: 'Q', skillgroups: [1, 2], priority: 3 });
    await objects.create({ objecttype: 10, objectid: 100, name: 'G', queuegroups: [11] });
    await expect(objects.create({ objecttype: 5, objectid: 11, name: 'dup' })).rejects.toThrow('duplicate');
    await objects.modify(queue.objectguid, { name: 'Q2' });
    await objects.delete(area.objectguid);
    void objects.setUserObject({ userId: 7, flags: 1, priority: 0, skillgroups: [], queuegroups: [] });
    await objects.setUserObject({ userId: 7, flags: 2, priority: 1, skillgroups: [1], queuegroups: [100] });
    objects = await QueueObjectStore.open(await store().reopen());
    expect(objects.all().map((o) => [o.objecttype, o.objectid, o.name])).toEqual([
      [5, 11, 'Q2'],
      [10, 100, 'G'],
    ]);
    expect(objects.get(queue.objectguid)).toMatchObject({ skillgroups: [1, 2], priority: 3, parentobjectid: 1 });
    expect(objects.userObject(7)).toEqual({ userId: 7, flags: 2, priority: 1, skillgroups: [1], queuegroups: [100] });
  });

  it("another node's writes: a duplicate id is refused by the store, and fresh() shows them", async () => {
    const a = await QueueObjectStore.open(store().db);
    const b = await QueueObjectStore.open(store().db);
    await a.create({ objecttype: 4, objectid: 5, name: 'made on a' });
    // b's cache has not seen it: the store itself refuses the same (type, id).
    await expect(b.create({ objecttype: 4, objectid: 5, name: 'made on b' })).rejects.toThrow('duplicate');
    await b.reload();
    expect(b.byId(4, 5)?.name).toBe('made on a');
  });
});

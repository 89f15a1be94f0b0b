/**
 * The demo's smart-queue objects: one service area (type 4) and its queues (type 5), created in
 * the queue store the first time and found by name afterwards (objects persist in SQLite).
 */
import { ObjectTypes } from '../queueing/constants';
import type { QueueObjectStore } from '../queueing/QueueObjectStore';
import { DEMO_AREA, DEMO_QUEUES } from './demoContent';
import type { DemoQueueObjects } from './scenes/queueScene';

function nextId(store: QueueObjectStore, type: number): number {
  return Math.max(0, ...store.ofType(type).map((o) => o.objectid)) + 1;
}

export async function ensureDemoQueueObjects(store: QueueObjectStore): Promise<DemoQueueObjects> {
  await store.fresh();
  const area =
    store.ofType(ObjectTypes.AREA).find((o) => o.name === DEMO_AREA) ??
    (await store.create({
      objecttype: ObjectTypes.AREA,
      objectid: nextId(store, ObjectTypes.AREA),
      name: DEMO_AREA,
      description: 'demo install: agents and customers are bots',
    }));
  const queueGuids: string[] = [];
  for (const name of DEMO_QUEUES) {
    const q =
      store.ofType(ObjectTypes.QUEUE).find((o) => o.name === name && o.parentobjectid === area.objectid) ??
      (await store.create({
        objecttype: ObjectTypes.QUEUE,
        objectid: nextId(store, ObjectTypes.QUEUE),
        parentobjectid: area.objectid,
        name,
        description: 'demo queue',
      }));
    queueGuids.push(q.objectguid);
  }
  return { areaGuid: area.objectguid, queueGuids };
}

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

export function ensureDemoQueueObjects(store: QueueObjectStore): DemoQueueObjects {
  const area =
    store.ofType(ObjectTypes.AREA).find((o) => o.name === DEMO_AREA) ??
    store.create({
      objecttype: ObjectTypes.AREA,
      objectid: nextId(store, ObjectTypes.AREA),
      name: DEMO_AREA,
      description: 'demo install: agents and customers are bots',
    });
  const queueGuids = DEMO_QUEUES.map((name) => {
    const q =
      store.ofType(ObjectTypes.QUEUE).find((o) => o.name === name && o.parentobjectid === area.objectid) ??
      store.create({
        objecttype: ObjectTypes.QUEUE,
        objectid: nextId(store, ObjectTypes.QUEUE),
        parentobjectid: area.objectid,
        name,
        description: 'demo queue',
      });
    return q.objectguid;
  });
  return { areaGuid: area.objectguid, queueGuids };
}

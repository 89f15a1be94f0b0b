/** Smart queueing: queue priority, then the customer's user priority, then arrival order decide who is served first. */
import { afterEach, expect, it } from 'vitest';
import { call, nextTimestamp, startGateway, type Harness } from '../../gateway/testHarness';
import { QueueClientMethods } from '../SmartQueue';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});
const tick = () => new Promise((r) => setTimeout(r, 20));

it('a higher-priority queue, then a higher-priority customer, is served first', async () => {
  h = await startGateway();
  const c = async (method: string, body: unknown) => (await call(h!.url, method, body, { timestamp: nextTimestamp() })).json;
  await c('object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'Hall' });
  await c('object_info_set', { action: 1, objecttype: 5, objectid: 11, parentobjectid: 1, name: 'Normal', priority: 0 });
  await c('object_info_set', { action: 1, objecttype: 5, objectid: 12, parentobjectid: 1, name: 'Urgent', priority: 9 });
  const p = h.platform;
  p.login(1, 'agent');
  await p.callClientMethod(1, QueueClientMethods.AGENT_STATUS, { status: 0, areaId: 1 });
  for (const id of [21, 22, 23, 24]) p.login(id, `c${id}`);
  // A VIP customer (user priority 5) set by the app backend.
  expect((await c('userinfo_ctrl', { userid: 24, ctrlcode: 11, ctrlvalue: { flags: 0, priority: 5 } })).return_code).toBe('SUCCESS');
  await p.callClientMethod(21, QueueClientMethods.ENTER_QUEUE, { queueId: 11 }); // first, normal queue
  await p.callClientMethod(22, QueueClientMethods.ENTER_QUEUE, { queueId: 11 }); // second, normal queue
  await p.callClientMethod(23, QueueClientMethods.ENTER_QUEUE, { queueId: 12 }); // third, urgent queue
  expect(await p.callClientMethod(24, QueueClientMethods.ENTER_QUEUE, { queueId: 11 })).toMatchObject({ position: 1 }); // VIP goes ahead in its queue
  await tick();
  const served: number[] = [];
  // The agent gets ready; after each call ends it is idle again and gets the next customer.
  await p.callClientMethod(1, QueueClientMethods.AGENT_STATUS, { status: 1 });
  for (let i = 0; i < 4; i++) {
    await tick();
    const last = p.calls.at(-1)!;
    served.push(last.callee);
    p.finishCall(1, last.callee);
  }
  expect(served).toEqual([23, 24, 21, 22]);
});

it('auto mode (0x10): an agent is idle and served as soon as it is online; without it the agent starts not ready', async () => {
  h = await startGateway();
  const c = async (method: string, body: unknown) => (await call(h!.url, method, body, { timestamp: nextTimestamp() })).json;
  await c('object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'Hall' });
  await c('object_info_set', { action: 1, objecttype: 5, objectid: 11, parentobjectid: 1, name: 'Q' });
  const p = h.platform;
  // Agent 1 in auto mode (0x12), agent 2 a plain agent (0x02); both configured before they log in.
  expect((await c('userinfo_ctrl', { userid: 1, ctrlcode: 11, ctrlvalue: { flags: 0x12, priority: 0 } })).return_code).toBe('SUCCESS');
  expect((await c('userinfo_ctrl', { userid: 2, ctrlcode: 11, ctrlvalue: { flags: 0x02, priority: 0 } })).return_code).toBe('SUCCESS');
  p.login(2, 'plain');
  p.login(1, 'auto');
  await tick();
  expect(h.gateway.queue.agent(1)?.status).toBe(1);
  expect(h.gateway.queue.agent(2)).toBeUndefined();
  p.login(21, 'customer');
  await p.callClientMethod(21, QueueClientMethods.ENTER_QUEUE, { queueId: 11 });
  await tick();
  expect(p.calls.at(-1)).toMatchObject({ caller: 1, callee: 21 });
  // Back to idle after the call, and served again without asking.
  p.finishCall(1, 21);
  p.login(22, 'customer2');
  await p.callClientMethod(22, QueueClientMethods.ENTER_QUEUE, { queueId: 11 });
  await tick();
  expect(p.calls.at(-1)).toMatchObject({ caller: 1, callee: 22 });
});

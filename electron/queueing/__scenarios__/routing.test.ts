/**
 * Routing: two agents with different skills, three customers in two queues → each customer reaches
 * a matching agent in arrival order; object_status_get (over real HTTP) reports queue lengths and
 * agent states at each step; agents are freed when their call ends.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, nextTimestamp, startGateway, type Harness } from '../../gateway/testHarness';
import { QueueClientMethods } from '../SmartQueue';

let h: Harness;
const c = async (method: string, body: unknown) => (await call(h.url, method, body, { timestamp: nextTimestamp() })).json;
const tick = () => new Promise((r) => setTimeout(r, 5));
const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

beforeAll(async () => {
  h = await startGateway();
});
afterAll(() => h.close());

it('routes customers to matching agents in arrival order and reports the state', async () => {
  const p = h.platform;
  const guid = async (body: Record<string, unknown>) => (await c('object_info_set', { action: 1, ...body })).objectguid as string;
  const area = await guid({ objecttype: 4, objectid: 10, name: 'Hall' });
  await guid({ objecttype: 9, objectid: 1, name: 'cards' });
  await guid({ objecttype: 9, objectid: 2, name: 'loans' });
  const qCards = await guid({ objecttype: 5, objectid: 501, parentobjectid: 10, name: 'Cards', skillgroups: [1] });
  const qLoans = await guid({ objecttype: 5, objectid: 502, parentobjectid: 10, name: 'Loans', skillgroups: [2] });
  const status = async (objectguid: string, infotype: number, userid?: number) =>
    (await c('object_status_get', { objectguid, infotype, ...(userid !== undefined ? { userid } : {}) })).infovalue as Record<string, unknown>;

  // Agents: A (cards) set by the app backend via userinfo_ctrl 11, B (loans) by the client method.
  p.login(1, 'agentA');
  p.login(2, 'agentB');
  expect((await c('userinfo_ctrl', { userid: 1, ctrlcode: 11, ctrlvalue: { flags: 2, priority: 0, skillgroups: [1] } })).return_code).toBe('SUCCESS');
  await p.callClientMethod(1, QueueClientMethods.AGENT_STATUS, { status: 0, areaId: 10 });
  await p.callClientMethod(2, QueueClientMethods.AGENT_STATUS, { status: 0, areaId: 10, skillgroups: [2] });
  expect(await status(area, 401)).toEqual({ errorcode: 0, agentcount: 2 });
  expect(await status(area, 405)).toEqual({ errorcode: 0, userscount: 2, useridlist: [1, 2] });
  expect(await status(area, 601, 1)).toEqual({ errorcode: 0, agentstatus: 0 });
  expect((await c('online_useridlist_get', { userflags: 2 })).useridlist).toEqual([1, 2]);

  // Three customers, two queues, nobody ready yet.
  for (const [id, name] of [
    [11, 'c1'],
    [12, 'c2'],
    [13, 'c3'],
  ] as const)
    p.login(id, name);
  await p.callClientMethod(11, QueueClientMethods.ENTER_AREA, { areaId: 10 });
  expect(await status(area, 402)).toEqual({ errorcode: 0, guestcount: 1 });
  expect(await p.callClientMethod(11, QueueClientMethods.ENTER_QUEUE, { queueId: 501 })).toMatchObject({ position: 1, queueLength: 1 });
  expect(await p.callClientMethod(12, QueueClientMethods.ENTER_QUEUE, { queueGuid: qLoans })).toMatchObject({ position: 1, queueLength: 1 });
  expect(await p.callClientMethod(13, QueueClientMethods.ENTER_QUEUE, { queueId: 501 })).toMatchObject({ position: 2, queueLength: 2 });
  await tick();
  expect(await status(qCards, 504)).toEqual({ errorcode: 0, queuelength: 2 });
  expect(await status(qLoans, 504)).toEqual({ errorcode: 0, queuelength: 1 });
  expect(await status(area, 402)).toEqual({ errorcode: 0, guestcount: 0 });
  expect(await status(area, 403)).toEqual({ errorcode: 0, queueusercount: 3 });
  expect(p.calls).toEqual([]);

  // B (loans) gets ready: it must not take the cards customers, only c2.
  await p.callClientMethod(2, QueueClientMethods.AGENT_STATUS, { status: 1 });
  await tick();
  expect(p.calls.map((x) => [x.caller, x.callee])).toEqual([[2, 12]]);
  expect(await status(area, 601, 2)).toEqual({ errorcode: 0, agentstatus: 2 });
  expect(await status(area, 606, 2)).toMatchObject({ errorcode: 0, userid: 12, username: 'c2' });
  expect(await status(qLoans, 504)).toEqual({ errorcode: 0, queuelength: 0 });
  expect(await status(qCards, 504)).toEqual({ errorcode: 0, queuelength: 2 });

  // A (cards) gets ready: takes c1 (arrived first), c3 keeps waiting.
  await p.callClientMethod(1, QueueClientMethods.AGENT_STATUS, { status: 1 });
  await tick();
  expect(p.calls.map((x) => [x.caller, x.callee])).toEqual([
    [2, 12],
    [1, 11],
  ]);
  expect(JSON.parse(p.calls[1]!.userStr)).toMatchObject({ queueId: 501 });
  expect(await status(qCards, 504)).toEqual({ errorcode: 0, queuelength: 1 });
  expect(await status(area, 403)).toEqual({ errorcode: 0, queueusercount: 1 });
  expect(await status(area, 601, 1)).toEqual({ errorcode: 0, agentstatus: 2 });

  // B finishes with c2: B is idle again but does not match cards → c3 still waits.
  p.finishCall(12, 2);
  await tick();
  expect(await status(area, 601, 2)).toEqual({ errorcode: 0, agentstatus: 1 });
  expect(await status(area, 606, 2)).toEqual({ errorcode: 0 });
  expect(await status(qCards, 504)).toEqual({ errorcode: 0, queuelength: 1 });

  // A finishes with c1 → A is freed and immediately takes c3.
  p.finishCall(1, 11);
  await tick();
  expect(p.calls.map((x) => [x.caller, x.callee])).toEqual([
    [2, 12],
    [1, 11],
    [1, 13],
  ]);
  expect(await status(qCards, 504)).toEqual({ errorcode: 0, queuelength: 0 });
  expect(await status(area, 601, 1)).toEqual({ errorcode: 0, agentstatus: 2 });
  expect(await status(area, 606, 1)).toMatchObject({ userid: 13 });

  // The console snapshot shows the same.
  const snap = h.gateway.queueSnapshot();
  expect(snap.agents.map((a) => [a.userId, a.status, a.servingUserId])).toEqual([
    [1, 2, 13],
    [2, 1, null],
  ]);
  expect(snap.queues.map((q) => [q.objectid, q.waiting.length])).toEqual([
    [501, 0],
    [502, 0],
  ]);
  expect(snap.areas[0]).toMatchObject({ objectid: 10, agentCount: 2, queuedCount: 0 });
});

it('a customer who logs out leaves the queue; an agent who logs out is gone', async () => {
  const p = h.platform;
  const q = h.gateway.queue;
  p.login(21, 'c21');
  await p.callClientMethod(21, QueueClientMethods.ENTER_QUEUE, { queueId: 502 });
  p.login(22, 'c22');
  await p.callClientMethod(22, QueueClientMethods.ENTER_QUEUE, { queueId: 502 });
  await tick();
  // B (idle, loans) took c21 at once.
  expect(q.agent(2)).toMatchObject({ status: 2, servingUserId: 21 });
  p.logout(22);
  expect(q.waitingIn(h.gateway.queue.store.byId(5, 502)!.objectguid)).toEqual([]);
  p.logout(2);
  expect(q.agent(2)).toBeUndefined();
  await expect(p.callClientMethod(21, QueueClientMethods.AGENT_STATUS, { status: 2 })).rejects.toThrow(/status/);
  await expect(p.callClientMethod(21, QueueClientMethods.ENTER_QUEUE, { queueId: 999 })).rejects.toThrow(/queueId/);
});

it('a call that cannot start frees the agent and puts the customer back in line once', async () => {
  const p = h.platform;
  const q = h.gateway.queue;
  p.login(31, 'agentC');
  await p.callClientMethod(31, QueueClientMethods.AGENT_STATUS, { status: 3, areaId: 10, skillgroups: [2] });
  p.login(32, 'c32');
  await p.callClientMethod(32, QueueClientMethods.ENTER_QUEUE, { queueId: 502 });
  p.failCalls = new Error('callee busy');
  await p.callClientMethod(31, QueueClientMethods.AGENT_STATUS, { status: 1 });
  await until(() => q.waitingIn(q.store.byId(5, 502)!.objectguid).length === 0 && q.agent(31)?.status === 1);
  // Tried twice (first attempt + one requeue), then dropped; the agent is idle again.
  expect(q.agent(31)).toMatchObject({ status: 1, servingUserId: null });
  p.failCalls = null;
});

import { describe, expect, it } from 'vitest';
import type { CallArgs, CallName, CallResult, DeliveryLogView, GatewayOverview, OutboxEntryView, QueuesView } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { ConsoleClient } from '../api/consoleClient';
import { coalescedRead } from './coalescedRead';
import { agentStatusName } from './queuesSlice';
import { createConsoleStore } from './store';
import { Codes } from '../../shared/codes';

/** A console client answering from tables; each call can be held until released (in-flight reads). */
function scriptedClient(answers: Partial<{ [K in CallName]: (args: CallArgs<K>) => CallResult<K> }>) {
  const calls: { name: CallName; args: unknown }[] = [];
  let gate: Promise<void> | null = null;
  let open: () => void = () => undefined;
  const client: ConsoleClient = {
    shell: 'web',
    async call<K extends CallName>(name: K, args: CallArgs<K>): Promise<Result<CallResult<K>>> {
      calls.push({ name, args });
      if (gate) await gate;
      const answer = answers[name] as ((a: CallArgs<K>) => CallResult<K>) | undefined;
      if (!answer) return { ok: false, error: { code: Codes.INTERNAL, message: `no answer for ${name}` } } as Result<CallResult<K>>;
      return { ok: true, value: answer(args) };
    },
    on: () => () => undefined,
    onDisconnect: () => () => undefined,
    close: () => undefined,
  };
  return {
    client,
    calls,
    hold() {
      gate = new Promise((r) => (open = r));
    },
    release() {
      gate = null;
      open();
    },
  };
}

const overview = (pending: number, dead: number): GatewayOverview => ({
  apps: [
    {
      appId: 'APP',
      callbackUrl: 'http://127.0.0.1:9/cb',
      md5Key: { set: true, hint: 'ab…' },
      rsaPublicKey: { set: false, sha256: null, pem: null },
      timestampWindowSeconds: 300,
      downloadUrlSeconds: 3600,
      retry: { initialDelayMs: 200, maxDelayMs: 400, maxAttempts: 2 },
      notifySignType: null,
      notifyMethods: [],
    },
  ],
  serverPublicKeyPem: '-----BEGIN PUBLIC KEY-----',
  outbox: [{ appId: 'APP', pending, dead, oldestPendingMs: 1500 }],
  requests: { total: 3, success: 2, byMethod: { object_info_set: { success: 2, fail: 1 } }, byErrorCode: { '100704': 1 } },
});

const deadNotice = (notifyId: string): OutboxEntryView => ({
  id: 1,
  notifyId,
  appId: 'APP',
  method: 'userlogin_notify',
  body: {},
  createdAt: 1,
  state: 'dead',
  attempts: 2,
  nextAttemptAt: 0,
  lastAttemptAt: 2,
  lastStatus: 500,
  lastError: null,
});

const logRow = (id: number, at: number, appId = 'APP'): DeliveryLogView => ({
  id,
  notifyId: `n${id}`,
  appId,
  method: 'userlogin_notify',
  attempt: 1,
  at,
  httpStatus: 500,
  error: null,
  outcome: 'retry',
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('coalescedRead', () => {
  it('a burst while a read runs costs one more read, not one per request', async () => {
    let reads = 0;
    let finish: () => void = () => undefined;
    const r = coalescedRead(() => {
      reads++;
      return new Promise<void>((res) => (finish = res));
    });
    const first = r.request();
    const burst = Array.from({ length: 50 }, () => r.request());
    expect(reads).toBe(1);
    expect(r.busy).toBe(true);
    finish();
    await first;
    await tick();
    expect(reads).toBe(2); // the one pending read
    finish();
    await Promise.all(burst);
    expect(reads).toBe(2);
    expect(r.busy).toBe(false);
  });

  it('a failed read does not stop later reads', async () => {
    let reads = 0;
    const r = coalescedRead(async () => {
      reads++;
      throw new Error('boom');
    });
    await r.request();
    await r.request();
    expect(reads).toBe(2);
  });
});

describe('gateway slice', () => {
  it('gateway:changed re-reads overview, dead notices and the delivery log (newest first)', async () => {
    let pending = 1;
    const c = scriptedClient({
      'gateway:overview': () => overview(pending, 1),
      'gateway:outbox': () => [deadNotice('N1')],
      'gateway:deliveryLog': () => [logRow(1, 10), logRow(3, 30), logRow(2, 20)],
    });
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    await store.getState().gatewayChanged({ appId: 'APP' });
    const g = store.getState().gateway!;
    expect(g.overview.outbox[0]).toMatchObject({ pending: 1, dead: 1 });
    expect(g.dead.map((d) => d.notifyId)).toEqual(['N1']);
    expect(g.log.map((e) => e.id)).toEqual([3, 2, 1]);
    expect(c.calls.find((x) => x.name === 'gateway:outbox')?.args).toMatchObject({ state: 'dead' });

    pending = 0;
    await store.getState().gatewayChanged({ appId: 'APP' });
    expect(store.getState().gateway!.overview.outbox[0].pending).toBe(0);
  });

  it('a burst of gateway:changed while a read is in flight makes one more read', async () => {
    const c = scriptedClient({ 'gateway:overview': () => overview(0, 0), 'gateway:outbox': () => [], 'gateway:deliveryLog': () => [] });
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    c.hold();
    const done = Array.from({ length: 100 }, () => store.getState().gatewayChanged({ appId: 'APP' }));
    await tick();
    expect(c.calls.filter((x) => x.name === 'gateway:overview')).toHaveLength(1);
    c.release();
    await Promise.all(done);
    expect(c.calls.filter((x) => x.name === 'gateway:overview')).toHaveLength(2);
  });

  it('the delivery-log app filter is sent and a read with a stale filter does not replace the log', async () => {
    const c = scriptedClient({
      'gateway:overview': () => overview(0, 0),
      'gateway:outbox': () => [],
      'gateway:deliveryLog': (a) => (a.appId === 'OTHER' ? [logRow(9, 9, 'OTHER')] : [logRow(1, 1)]),
    });
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    await store.getState().gatewayChanged({ appId: 'APP' });
    expect(store.getState().gateway!.log.map((e) => e.appId)).toEqual(['APP']);

    await store.getState().deliveryLogFiltered('OTHER');
    expect(c.calls.filter((x) => x.name === 'gateway:deliveryLog').at(-1)?.args).toMatchObject({ appId: 'OTHER' });
    expect(store.getState().gateway!.log.map((e) => e.appId)).toEqual(['OTHER']);

    // A snapshot read with the old filter arrives late: overview applies, log stays.
    store.getState().gatewaySnapshotLoaded({ overview: overview(5, 0), dead: [], log: [logRow(1, 1)], logAppId: null, readAt: 0 });
    expect(store.getState().gateway!.overview.outbox[0].pending).toBe(5);
    expect(store.getState().gateway!.log.map((e) => e.appId)).toEqual(['OTHER']);
  });

  it('a failed read keeps what is shown; no client, no read', async () => {
    const store = createConsoleStore();
    await store.getState().gatewayChanged({ appId: 'APP' });
    expect(store.getState().gateway).toBeNull();
    const c = scriptedClient({ 'gateway:overview': () => overview(0, 0), 'gateway:outbox': () => [] });
    store.getState().sessionStarted('admin', c.client);
    await store.getState().gatewayChanged({ appId: 'APP' }); // deliveryLog fails
    expect(store.getState().gateway).toBeNull();
  });
});

const queuesView = (agentStatus: number, waiting: QueuesView['queues'][number]['waiting'] = []): QueuesView => {
  const obj = (objecttype: number, objectid: number, name: string, parentobjectid = 0) => ({
    objectguid: `G-${objecttype}-${objectid}`,
    objecttype,
    objectid,
    parentobjectid,
    name,
    description: '',
    flags: 0,
    priority: 0,
    skillgroups: [],
    queuegroups: [],
    param: 0,
    strparam: '',
  });
  return {
    areas: [{ ...obj(4, 1, 'Area'), agentCount: 2, guestCount: 0, queuedCount: waiting.length }],
    queues: [{ ...obj(5, 10, 'Sales', 1), waiting }],
    skills: [obj(9, 100, 'English')],
    queueGroups: [obj(10, 1000, 'All')],
    agents: [
      { userId: 1001, userName: 'alice', status: agentStatus, areaGuid: 'G-4-1', servingUserId: null, statusSince: 1, skillgroups: [] },
      { userId: 1002, userName: 'bob', status: 0, areaGuid: null, servingUserId: null, statusSince: 1, skillgroups: [] },
    ],
    userObjects: [],
  };
};

describe('queues slice', () => {
  it('queues:changed re-reads; unchanged agents and queues keep their objects', async () => {
    let status = 1;
    let waiting: QueuesView['queues'][number]['waiting'] = [];
    const c = scriptedClient({ 'queues:snapshot': () => queuesView(status, waiting) });
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    await store.getState().queuesChanged({ reason: 'agent' });
    const s1 = store.getState();
    expect(s1.queuesLoaded).toBe(true);
    expect(s1.queueAgents.get(1001)?.status).toBe(1);
    const bob = s1.queueAgents.get(1002);
    const sales = s1.queueList.get('G-5-10');
    const skills = s1.queueSkills;

    status = 3;
    await store.getState().queuesChanged({ reason: 'agent' });
    const s2 = store.getState();
    expect(s2.queueAgents.get(1001)?.status).toBe(3);
    expect(s2.queueAgents.get(1002)).toBe(bob);
    expect(s2.queueList.get('G-5-10')).toBe(sales);
    expect(s2.queueSkills).toBe(skills);
    expect(s2.queuesVersion).toBe(s1.queuesVersion + 1);

    waiting = [{ userId: 1003, userName: 'carol', waitingSinceMs: 5 }];
    await store.getState().queuesChanged({ reason: 'queued' });
    expect(store.getState().queueList.get('G-5-10')?.waiting).toEqual(waiting);
    expect(store.getState().queueList.get('G-5-10')).not.toBe(sales);
  });

  it('an agent that is gone disappears', async () => {
    const store = createConsoleStore();
    store.getState().queuesSnapshotLoaded(queuesView(1));
    store.getState().queuesSnapshotLoaded({ ...queuesView(1), agents: [] });
    expect(store.getState().queueAgents.size).toBe(0);
  });

  it('names agent statuses 0–3 and anything else as unknown', () => {
    expect([0, 1, 2, 3, 7].map(agentStatusName)).toEqual(['notReady', 'idle', 'busy', 'away', 'unknown']);
  });
});

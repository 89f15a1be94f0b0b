/**
 * shared/docs/protocol.md §4 driven the way an outside test would, in Node: a host started with
 * `--demo` and an app in its config file. Through the client protocol, a guest sees demo-stage's
 * seated and queued bots (getMicState) and the bots' producers in demo-lobby; through the signed
 * gateway, the bots are online users and the smart-queue objects, agents and customers are there.
 */
import WebSocket from 'ws';
import type { RoomSummary } from '../../../shared/ipc/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { call as signedCall, nextTimestamp, TEST_APP_ID, TEST_MD5_KEY } from '../../gateway/testHarness';
import { consoleOf } from '../../util/testing/consoleClient';
import { DEMO_BOTS } from '../demoContent';
import { startSourceHost, type SourceHost } from './sourceHost';

const OPERATOR = { username: 'admin', password: 'demo-test-pw' };
let host: SourceHost;
/** A fresh timestamp per query: the gateway in use may still treat a repeated signature as a replay. */
const call = (base: string, method: string, body: unknown) => signedCall(base, method, body, { timestamp: nextTimestamp() });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await sleep(250);
  }
}

beforeAll(async () => {
  host = await startSourceHost(
    {
      apps: [{ appId: TEST_APP_ID, md5Key: TEST_MD5_KEY }],
      operators: [OPERATOR],
      media: { rtcMinPort: 46800, rtcMaxPort: 46999 },
    },
    ['--demo'],
  );
}, 60_000);

afterAll(async () => {
  expect(await host.stop()).toBe(0);
});

describe('demo install (protocol §4)', () => {
  it('a guest sees demo-lobby’s publishing bots and demo-stage’s seats and queue', async () => {
    const guest = await AnyChatClient.connect(host.wsUrl, (u) => new WebSocket(u) as unknown as SocketLike);
    await guest.login('outside-test', '');
    const lobbyProducers: { userId: number; kind: string }[] = [];
    guest.on('newProducer', (p) => void lobbyProducers.push(p));
    const lobby = await eventually(
      async () => {
        lobbyProducers.length = 0;
        const r = await guest.enterRoom({ roomName: 'demo-lobby', role: 'audience' });
        await sleep(300);
        return r;
      },
      () => new Set(lobbyProducers.map((p) => `${p.userId}/${p.kind}`)).size >= 4,
      20_000,
    );
    const publishers = new Set(lobbyProducers.map((p) => p.userId));
    expect(publishers.size, JSON.stringify(lobbyProducers)).toBeGreaterThanOrEqual(2);
    // Each publisher sends audio and video. Kinds are compared as a set: the loop above re-enters
    // the room, so a live push from one try can land after the next try's reset, beside its list.
    for (const id of publishers) expect([...new Set(lobbyProducers.filter((p) => p.userId === id).map((p) => p.kind))].sort()).toEqual(['audio', 'video']);
    expect(lobby.users.filter((u) => publishers.has(u.userId))).toHaveLength(publishers.size);

    await guest.enterRoom({ roomName: 'demo-stage', role: 'audience' });
    const mic = await eventually(
      () => guest.request('getMicState', {}),
      (m) => m.seats.some((s) => s.userId !== null) && m.queue.length > 0,
      20_000,
    );
    expect(mic.seats.length).toBeGreaterThanOrEqual(2);
    expect(mic.seats.length).toBeLessThanOrEqual(4);
    expect(mic.seats.filter((s) => s.userId !== null).length).toBeGreaterThanOrEqual(1);
    expect(mic.queue.length).toBeGreaterThanOrEqual(1);
    guest.close();
  }, 60_000);

  it('the config’s app sees the bots online and the smart queue through the signed gateway', async () => {
    const online = await eventually(
      () => call(host.url, 'online_useridlist_get', { userflags: 0 }),
      (r) => ((r.json.useridlist as number[] | undefined) ?? []).filter((id) => DEMO_BOTS.some((b) => b.userId === id)).length >= 10,
      20_000,
    );
    expect(online.json.return_code).toBe('SUCCESS');
    const areas = await call(host.url, 'object_idlist_get', { objecttype: 4 });
    const queues = await call(host.url, 'object_idlist_get', { objecttype: 5 });
    expect(areas.json.objectcount).toBeGreaterThanOrEqual(1);
    expect(queues.json.objectcount, JSON.stringify(queues.json)).toBeGreaterThanOrEqual(2);
    const areaGuid = (areas.json.objectguids as string[])[0]!;
    const area = await call(host.url, 'object_info_get', { objectguid: areaGuid });
    expect(area.json).toMatchObject({ return_code: 'SUCCESS', objecttype: 4, name: 'Demo service hall' });
    for (const guid of queues.json.objectguids as string[]) {
      expect((await call(host.url, 'object_info_get', { objectguid: guid })).json).toMatchObject({ objecttype: 5, parentobjectid: area.json.objectid });
    }
    // Agents: two in the area (405); customers: someone queued, or an agent serving (606), within 30 s.
    const agents = await call(host.url, 'object_status_get', { objectguid: areaGuid, infotype: 405 });
    expect((agents.json.infovalue as { useridlist: number[] }).useridlist).toEqual([2_000_031, 2_000_032]);
    const busy = await eventually(
      async () => {
        const queued = await call(host.url, 'object_status_get', { objectguid: areaGuid, infotype: 403 });
        const serving = await Promise.all(
          [2_000_031, 2_000_032].map((id) => call(host.url, 'object_status_get', { objectguid: areaGuid, infotype: 606, userid: id })),
        );
        return {
          queued: (queued.json.infovalue as { queueusercount: number }).queueusercount,
          served: serving.filter((s) => (s.json.infovalue as { userid?: number }).userid).length,
        };
      },
      (v) => v.queued + v.served > 0,
      30_000,
    );
    expect(busy.queued + busy.served).toBeGreaterThan(0);
  }, 90_000);

  it('an operator closing demo-lobby: the bots put it back within 20 s', async () => {
    const op = await consoleOf(host.url, OPERATOR);
    const lobby = async () => (await op.call<RoomSummary[]>('rooms:list')).find((r) => r.name === 'demo-lobby');
    const before = await eventually(lobby, (r) => (r?.userCount ?? 0) >= 2, 20_000);
    expect(before).toBeDefined();
    await op.call('rooms:close', { roomId: before!.roomId, reason: 'test' });
    const after = await eventually(lobby, (r) => r !== undefined && r.roomId !== before!.roomId && r.userCount >= 2, 20_000);
    expect(after?.userCount).toBeGreaterThanOrEqual(2);
    op.close();
  }, 60_000);
});

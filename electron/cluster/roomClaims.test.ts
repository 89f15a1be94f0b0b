/**
 * Room names across nodes on a real Redis: two nodes entering one new name at the same instant
 * get one room id, the name is freed with the room's last member (or a refused entry), and a
 * node's list of a room's members includes everyone whose entry finished before its own, however
 * far its replica lags behind the bus.
 */
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterNode } from './ClusterNode';
import { findRedisServer, REDIS_MISSING, startRedisServer, type RedisServer } from './testing/redisServer';

const skip = findRedisServer() ? false : REDIS_MISSING;

describe.skipIf(skip)('room names claimed in Redis', () => {
  let redis: RedisServer;
  let raw: Redis;
  let a: ClusterNode;
  let b: ClusterNode;
  // Each node hands out ids from its own range, as blocks from the shared allocator do.
  let nextA = 5_000_000;
  let nextB = 6_000_000;

  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url);
    const start = (nodeId: string) => ClusterNode.start({ nodeId, redisUrl: redis.url, logger: pino({ level: 'silent' }), url: () => '', mediaLoad: () => 0 });
    [a, b] = await Promise.all([start('a'), start('b')]);
  });

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    raw?.disconnect();

    await redis?.stop();
  });

  it('two nodes entering one new name at the same instant get one id; the name goes with the last member', async () => {
    for (let round = 0; round < 30; round++) {
      const name = `crossing-${round}`;
      const [idA, idB] = await Promise.all([a.rooms.reserve({ roomName: name }, 1, () => nextA++), b.rooms.reserve({ roomName: name }, 2, () => nextB++)]);
      expect(idB).toBe(idA);
      a.rooms.join(idA, name, 1, 'interactive');
      b.rooms.join(idB, name, 2, 'interactive');
      a.rooms.leave(idA, 1);
      b.rooms.leave(idB, 2);
    }
    // The leaves are written in the background: the names and member sets go within moments.
    for (let i = 0; i < 50 && ((await raw.hlen('anychat:roomnames')) > 0 || (await raw.keys('anychat:roommembers:*')).length > 0); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await raw.hlen('anychat:roomnames')).toBe(0);
    expect(await raw.keys('anychat:roommembers:*')).toEqual([]);
  });

  it('a name outlives its emptied room while an entry holds it; a refused entry frees it', async () => {
    const id = await a.rooms.reserve({ roomName: 'hall' }, 1, () => nextA++);
    a.rooms.join(id, 'hall', 1, 'interactive');
    // b's user is entering (e.g. its hook runs) when the only member leaves: the room keeps its name.
    expect(await b.rooms.reserve({ roomName: 'hall' }, 2, () => nextB++)).toBe(id);
    a.rooms.leave(id, 1);
    expect(await a.rooms.reserve({ roomName: 'hall' }, 3, () => nextA++)).toBe(id);
    // Both entries are refused: the name is free again, and the next entry makes a new room.
    b.rooms.release(id, 'hall', 2);
    a.rooms.release(id, 'hall', 3);
    while (await raw.hexists('anychat:roomnames', 'hall')) await new Promise((r) => setTimeout(r, 5)); // released in the background
    const next = await b.rooms.reserve({ roomName: 'hall' }, 4, () => nextB++);
    expect(next).not.toBe(id);
    b.rooms.release(next, 'hall', 4);
  });

  it("a member whose entry finished before is in the entering node's list, however far its replica lags", async () => {
    // b stops reading the bus (its subscriber's socket is paused): a node far behind on traffic.
    const bSub = (b as unknown as { bus: { sub: Redis } }).bus.sub;
    bSub.stream.pause();
    const id = await a.rooms.reserve({ roomName: 'busy' }, 1, () => nextA++);
    a.rooms.join(id, 'busy', 1, 'interactive');
    // a's entry has finished: its join is written (the room has its media owner) and published.
    while (!(await raw.hget('anychat:roomowner', String(id)))) await new Promise((r) => setTimeout(r, 5));
    let entered = false;
    const entering = b.rooms
      .reserve({ roomName: 'busy' }, 2, () => nextB++)
      .then((roomId) => {
        entered = true;
        return roomId;
      });
    await new Promise((r) => setTimeout(r, 300));
    // b's user waits for b to catch up rather than get a list without a's member.
    expect(entered).toBe(false);
    bSub.stream.resume();
    expect(await entering).toBe(id);
    expect([...(b.rooms.get(id)?.members.keys() ?? [])]).toEqual([1]);
  });

  it('a created room holds its name with no member: entries get its id, another node cannot take the name, and releasing it frees the name once the members are gone', async () => {
    expect(await a.port.holdRoomName('stage', 777)).toBe(777);
    expect(await raw.hget('anychat:roomowner', '777')).toBe('a');
    expect(await b.port.holdRoomName('stage', 888)).toBe(777);
    expect(await b.rooms.reserve({ roomName: 'stage' }, 2, () => nextB++)).toBe(777);
    a.port.releaseRoomName('stage', 777);
    await new Promise((r) => setTimeout(r, 100));
    // b's user is still entering: the name stays
    expect(await raw.hget('anychat:roomnames', 'stage')).toBe('777');
    b.rooms.release(777, 'stage', 2);
    while (await raw.hexists('anychat:roomnames', 'stage')) await new Promise((r) => setTimeout(r, 5));
    expect(await raw.hget('anychat:roomowner', '777')).toBeNull();
  });
});

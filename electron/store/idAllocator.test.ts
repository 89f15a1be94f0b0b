import { expect, it } from 'vitest';
import { sdkMigrations } from '../sdk/SdkStore';
import { IdCounter, SqlIdAllocator, idCounterPgMigrations } from './idAllocator';
import { describeEachStore } from './testing/storeMatrix';

describeEachStore('IdAllocator', { sqlite: sdkMigrations, postgres: idCounterPgMigrations }, (store) => {
  it('concurrent reservations never overlap and never go below the first id', async () => {
    const ids = new SqlIdAllocator(store().db);
    const starts = await Promise.all(Array.from({ length: 20 }, () => ids.reserve('roomId', 10, 1000)));
    const taken = starts.flatMap((s) => Array.from({ length: 10 }, (_, i) => s + i));
    expect(new Set(taken).size).toBe(200);
    expect(Math.min(...taken)).toBe(1000);
  });

  it('counters hand out increasing ids, and a reopened store (a restart, another node) continues past them', async () => {
    const a = await IdCounter.create(new SqlIdAllocator(store().db), 'guestId', 50, 4);
    // Bursts of up to half a block between turns of the event loop: the next block is always there.
    const first: number[] = [];
    for (let round = 0; round < 5; round++) {
      first.push(a.allocate(), a.allocate());
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(first).toEqual(first.toSorted((x, y) => x - y));
    expect(new Set(first).size).toBe(first.length);
    const b = await IdCounter.create(new SqlIdAllocator(await store().reopen()), 'guestId', 50, 4);
    expect(b.allocate()).toBeGreaterThan(Math.max(...first));
  });
});

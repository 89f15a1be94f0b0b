/**
 * Random operation sequences against MicQueue: after every step the state must be coherent and
 * every reported change must match what actually moved.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock';
import { MicQueue, type MicChange } from './micQueue';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('MicQueue invariants under random operations', () => {
  for (const seed of [1, 2, 3, 42, 1234, 99_999]) {
    it(`seed ${seed}`, () => {
      const rand = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const clock = new ManualClock();
      const changes: MicChange[] = [];
      const q = new MicQueue({ roomId: 1, seatCount: 2, seatTimeLimitMs: 5000, maxQueueLength: 6, clock, onChange: (c) => changes.push(c) });
      const users = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
      let prev = q.snapshot();
      for (let step = 0; step < 2000; step++) {
        const before = changes.length;
        const op = Math.floor(rand() * 10);
        try {
          if (op <= 2) q.request(pick(users));
          else if (op === 3) q.release(pick(users));
          else if (op === 4) q.removeUser(pick(users));
          else if (op === 5) q.forceOff(pick(users));
          else if (op === 6) q.lockSeat(Math.floor(rand() * (q.seatCount + 1)), rand() < 0.5);
          else if (op === 7) q.setSeatCount(Math.floor(rand() * 5));
          else if (op === 8) q.reorder([...q.snapshot().queue].sort(() => rand() - 0.5));
          else clock.advance(Math.floor(rand() * 3000));
        } catch (e) {
          expect(typeof (e as { code?: number }).code).toBe('number');
        }
        const s = q.snapshot();
        const seated = s.seats.flatMap((x) => (x.userId === null ? [] : [x.userId]));
        // Nobody twice, nobody both seated and queued.
        expect(new Set([...seated, ...s.queue]).size).toBe(seated.length + s.queue.length);
        // Locked seats are empty; a free unlocked seat means an empty queue.
        for (const x of s.seats) if (x.locked) expect(x.userId).toBeNull();
        if (s.seats.some((x) => x.userId === null && !x.locked)) expect(s.queue).toEqual([]);
        // Occupied seats have a start time no older than the limit (timers ran).
        for (const x of s.seats) if (x.userId !== null) expect(clock.now() - x.since!).toBeLessThan(5000);
        // A change was reported exactly when something visible moved, and it describes the move.
        const visible = (m: typeof s) => JSON.stringify({ seats: m.seats.map(({ userId, locked }) => ({ userId, locked })), queue: m.queue });
        if (visible(prev) === visible(s)) expect(changes.length).toBe(before);
        else {
          expect(changes.length).toBeGreaterThan(before);
          expect(changes.at(-1)!.snapshot).toEqual(s);
        }
        const prevSeated = new Set(prev.seats.flatMap((x) => (x.userId === null ? [] : [x.userId])));
        const newly = changes.slice(before).flatMap((c) => c.seated.map((x) => x.userId));
        for (const u of seated) if (!prevSeated.has(u)) expect(newly).toContain(u);
        prev = s;
      }
      q.close();
      expect(clock.pending).toBe(0);
    });
  }
});

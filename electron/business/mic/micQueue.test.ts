import { describe, expect, it } from 'vitest';
import { Codes } from '../../../shared/codes';
import { ManualClock } from '../clock';
import { MicQueue, toMicStateWire, type MicChange } from './micQueue';

function make(opts: { seats?: number; limitMs?: number; maxQueue?: number } = {}) {
  const clock = new ManualClock();
  const changes: MicChange[] = [];
  const q = new MicQueue({
    roomId: 7,
    seatCount: opts.seats ?? 2,
    seatTimeLimitMs: opts.limitMs ?? 0,
    maxQueueLength: opts.maxQueue ?? 100,
    clock,
    onChange: (c) => changes.push(c),
  });
  const seats = () => q.snapshot().seats.map((s) => s.userId);
  return { q, clock, changes, seats };
}

function codeOf(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (e) {
    return (e as { code?: number }).code;
  }
  return undefined;
}

describe('MicQueue', () => {
  it('seats while seats are free, then queues, and reports positions', () => {
    const { q, changes, seats } = make();
    expect(q.request(1)).toEqual({ state: 'seated', seat: 0 });
    expect(q.request(2)).toEqual({ state: 'seated', seat: 1 });
    expect(q.request(3)).toEqual({ state: 'queued', position: 1 });
    expect(q.request(4)).toEqual({ state: 'queued', position: 2 });
    expect(seats()).toEqual([1, 2]);
    expect(q.snapshot().queue).toEqual([3, 4]);
    expect(changes).toHaveLength(4);
    expect(changes[0]!.seated).toEqual([{ userId: 1, seat: 0 }]);
    expect(toMicStateWire(changes[3]!.snapshot)).toEqual({
      roomId: 7,
      seats: [
        { seat: 0, userId: 1, locked: false },
        { seat: 1, userId: 2, locked: false },
      ],
      queue: [3, 4],
    });
  });

  it('asking again changes nothing and broadcasts nothing', () => {
    const { q, changes } = make();
    q.request(1);
    q.request(2);
    q.request(3);
    expect(q.request(1)).toEqual({ state: 'seated', seat: 0 });
    expect(q.request(3)).toEqual({ state: 'queued', position: 1 });
    expect(changes).toHaveLength(3);
    expect(q.release(9)).toEqual({ state: 'none' });
    expect(changes).toHaveLength(3);
  });

  it('release seats the queue head in the freed seat', () => {
    const { q, changes, seats } = make();
    [1, 2, 3, 4].forEach((u) => q.request(u));
    expect(q.release(1)).toEqual({ state: 'none' });
    expect(seats()).toEqual([3, 2]);
    expect(q.snapshot().queue).toEqual([4]);
    const last = changes.at(-1)!;
    expect(last.unseated).toEqual([{ userId: 1, seat: 0, cause: 'release' }]);
    expect(last.seated).toEqual([{ userId: 3, seat: 0 }]);
    expect(q.statusOf(4)).toEqual({ state: 'queued', position: 1 });
  });

  it('leaving while queued only dequeues', () => {
    const { q, seats } = make();
    [1, 2, 3, 4, 5].forEach((u) => q.request(u));
    q.removeUser(4);
    expect(seats()).toEqual([1, 2]);
    expect(q.snapshot().queue).toEqual([3, 5]);
    q.removeUser(2);
    expect(seats()).toEqual([1, 3]);
    expect(q.snapshot().queue).toEqual([5]);
  });

  it('the seat time limit takes the user off and seats the queue head; timers restart per occupant', () => {
    const { q, clock, changes, seats } = make({ seats: 1, limitMs: 1000 });
    q.request(1);
    clock.advance(400);
    q.request(2);
    clock.advance(599);
    expect(seats()).toEqual([1]);
    clock.advance(1);
    expect(seats()).toEqual([2]);
    expect(changes.at(-1)!.unseated).toEqual([{ userId: 1, seat: 0, cause: 'timeout' }]);
    expect(q.snapshot().seats[0]!.since).toBe(clock.now());
    clock.advance(999);
    expect(seats()).toEqual([2]);
    clock.advance(1);
    expect(seats()).toEqual([null]);
    expect(clock.pending).toBe(0);
  });

  it('releasing early cancels the timer', () => {
    const { q, clock } = make({ seats: 1, limitMs: 1000 });
    q.request(1);
    q.release(1);
    expect(clock.pending).toBe(0);
    q.request(2);
    clock.advance(500);
    expect(clock.pending).toBe(1);
  });

  it('operator reorder needs exactly the queued users', () => {
    const { q, seats } = make({ seats: 1 });
    [1, 2, 3, 4].forEach((u) => q.request(u));
    expect(codeOf(() => q.reorder([4, 3]))).toBe(Codes.MIC_BAD_ORDER);
    expect(codeOf(() => q.reorder([4, 3, 3]))).toBe(Codes.MIC_BAD_ORDER);
    expect(codeOf(() => q.reorder([4, 3, 9]))).toBe(Codes.MIC_BAD_ORDER);
    expect(q.reorder([4, 2, 3]).queue).toEqual([4, 2, 3]);
    q.release(1);
    expect(seats()).toEqual([4]);
  });

  it('operator remove from queue and force off', () => {
    const { q, seats, changes } = make();
    [1, 2, 3, 4].forEach((u) => q.request(u));
    expect(codeOf(() => q.removeFromQueue(1))).toBe(Codes.MIC_NOT_QUEUED);
    expect(q.removeFromQueue(3).queue).toEqual([4]);
    expect(codeOf(() => q.forceOff(4))).toBe(Codes.MIC_NOT_SEATED);
    q.forceOff(2);
    expect(seats()).toEqual([1, 4]);
    expect(changes.at(-1)!.unseated).toEqual([{ userId: 2, seat: 1, cause: 'forceOff' }]);
    expect(q.statusOf(2)).toEqual({ state: 'none' });
  });

  it('locking a seat takes its occupant off and keeps it empty; unlocking seats the queue head', () => {
    const { q, seats, changes } = make();
    [1, 2, 3].forEach((u) => q.request(u));
    q.lockSeat(0, true);
    expect(seats()).toEqual([null, 2]);
    expect(q.snapshot().seats[0]!.locked).toBe(true);
    expect(q.snapshot().queue).toEqual([3]);
    expect(changes.at(-1)!.unseated).toEqual([{ userId: 1, seat: 0, cause: 'locked' }]);
    expect(q.request(1)).toEqual({ state: 'queued', position: 2 });
    q.lockSeat(0, false);
    expect(seats()).toEqual([3, 2]);
    expect(q.snapshot().queue).toEqual([1]);
    expect(codeOf(() => q.lockSeat(2, true))).toBe(Codes.MIC_BAD_SEAT);
    const n = changes.length;
    q.lockSeat(0, false);
    expect(changes).toHaveLength(n);
  });

  it('seat count: growing seats the queue, shrinking sends occupants to the front of the queue', () => {
    const { q, seats, changes } = make();
    [1, 2, 3, 4, 5].forEach((u) => q.request(u));
    q.setSeatCount(4);
    expect(seats()).toEqual([1, 2, 3, 4]);
    expect(q.snapshot().queue).toEqual([5]);
    q.setSeatCount(1);
    expect(seats()).toEqual([1]);
    expect(q.snapshot().queue).toEqual([2, 3, 4, 5]);
    expect(changes.at(-1)!.unseated.map((u) => u.cause)).toEqual(['seatCount', 'seatCount', 'seatCount']);
    q.setSeatCount(0);
    expect(seats()).toEqual([]);
    expect(q.snapshot().queue).toEqual([1, 2, 3, 4, 5]);
    expect(codeOf(() => q.setSeatCount(65))).toBe(Codes.MIC_BAD_SEAT);
    expect(codeOf(() => q.setSeatCount(1.5))).toBe(Codes.MIC_BAD_SEAT);
    q.setSeatCount(0);
    expect(q.request(6)).toEqual({ state: 'queued', position: 6 });
  });

  it('enforces the queue length limit', () => {
    const { q } = make({ seats: 1, maxQueue: 2 });
    [1, 2, 3].forEach((u) => q.request(u));
    expect(codeOf(() => q.request(4))).toBe(Codes.MIC_QUEUE_FULL);
    expect(q.statusOf(4)).toEqual({ state: 'none' });
  });

  it('close clears timers and is idempotent', () => {
    const { q, clock } = make({ limitMs: 1000 });
    q.request(1);
    q.close();
    q.close();
    expect(clock.pending).toBe(0);
    expect(codeOf(() => q.request(2))).toBe(Codes.ROOM_NOT_FOUND);
    q.removeUser(1);
  });
});

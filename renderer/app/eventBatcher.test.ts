import { describe, expect, it } from 'vitest';
import { createEventBatcher } from './eventBatcher';

function manualFrames() {
  let pending: (() => void) | null = null;
  return {
    timers: { frame: (cb: () => void) => (pending = cb), cancelFrame: () => (pending = null) },
    draw: () => {
      const cb = pending;
      pending = null;
      cb?.();
    },
  };
}

describe('event batcher', () => {
  it('applies queued events once per frame, in order', () => {
    const f = manualFrames();
    const b = createEventBatcher(10_000, f.timers);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) b.push('users', () => seen.push(i));
    expect(seen).toEqual([]);
    f.draw();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    b.close();
  });

  it('holds a domain until its snapshot is in, keeping other domains live', () => {
    const f = manualFrames();
    const b = createEventBatcher(10_000, f.timers);
    const seen: string[] = [];
    b.hold('users');
    b.push('users', () => seen.push('u1'));
    b.push('status', () => seen.push('s1'));
    b.push('users', () => seen.push('u2'));
    f.draw();
    expect(seen).toEqual(['s1']);
    b.release('users');
    expect(seen).toEqual(['s1', 'u1', 'u2']);
    b.close();
  });

  it('flushes on the timer when no frame is drawn, and drops everything after close', async () => {
    const b = createEventBatcher(5, {});
    const seen: number[] = [];
    b.push('x', () => seen.push(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([1]);
    b.close();
    b.push('x', () => seen.push(2));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([1]);
  });
});

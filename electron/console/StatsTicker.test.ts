import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { StatsTicker } from './StatsTicker';

describe('StatsTicker', () => {
  it('emits ticks from its sources and keeps exactly the last 15 minutes', async () => {
    let users = 3;
    const ticker = new StatsTicker(
      {
        usersOnline: () => users,
        roomCount: () => 2,
        activeCalls: () => 1,
        recordingsToday: () => 4,
        media: async () => ({ bitrate: 1_000_000, producers: [], activeSpeakers: { 5: 1001 } }),
      },
      pino({ level: 'silent' }),
    );
    const ticks: number[] = [];
    ticker.on('tick', (t) => ticks.push(t.usersOnline));
    const t0 = 1_000_000;
    for (let i = 0; i < 20 * 60; i += 60) {
      users = i;
      await ticker.sample(t0 + i * 1000);
    }
    const snap = ticker.snapshot();
    expect(ticks).toHaveLength(20);
    expect(snap.recordingsToday).toBe(4);
    expect(snap.history[0].at).toBeGreaterThanOrEqual(t0 + 19 * 60_000 - 15 * 60_000);
    expect(snap.history.at(-1)).toEqual({ at: t0 + 19 * 60_000, usersOnline: 19 * 60, bitrate: 1_000_000 });
  });

  it('a failing media source still produces a tick with zero bitrate', async () => {
    const ticker = new StatsTicker(
      {
        usersOnline: () => 1,
        roomCount: () => 0,
        activeCalls: () => 0,
        recordingsToday: () => 0,
        media: async () => {
          throw new Error('worker down');
        },
      },
      pino({ level: 'silent' }),
    );
    const tick = await ticker.sample(5);
    expect(tick).toMatchObject({ usersOnline: 1, bitrate: 0, producers: [] });
  });
});

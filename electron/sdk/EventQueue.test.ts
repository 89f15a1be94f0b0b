import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { EventQueue } from './EventQueue';

describe('EventQueue', () => {
  it('delivers one event at a time, in order, across async handlers; a failing handler does not stop it', async () => {
    const q = new EventQueue(pino({ level: 'silent' }));
    const seen: string[] = [];
    q.on('timer', async (e) => {
      await new Promise((r) => setTimeout(r, 10 - e.at));
      seen.push(`a${e.at}`);
    });
    q.on('timer', (e) => {
      seen.push(`b${e.at}`);
      if (e.at === 1) throw new Error('boom');
    });
    for (let i = 0; i < 3; i++) q.emit('timer', { at: i });
    await q.idle();
    expect(seen).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('moves on past a handler that never finishes', async () => {
    const q = new EventQueue(pino({ level: 'silent' }), 50);
    const seen: number[] = [];
    q.on('timer', (e) => (e.at === 0 ? new Promise<void>(() => undefined) : void seen.push(e.at)));
    q.emit('timer', { at: 0 });
    q.emit('timer', { at: 1 });
    await q.idle();
    expect(seen).toEqual([1]);
  });

  it('unsubscribe and close', async () => {
    const q = new EventQueue(pino({ level: 'silent' }));
    const seen: number[] = [];
    const off = q.on('timer', (e) => void seen.push(e.at));
    q.emit('timer', { at: 1 });
    await q.idle();
    off();
    q.emit('timer', { at: 2 });
    q.close();
    q.emit('timer', { at: 3 });
    await q.idle();
    expect(seen).toEqual([1]);
  });
});

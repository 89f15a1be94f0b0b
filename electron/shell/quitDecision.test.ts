import { describe, expect, it } from 'vitest';
import { describeLive, quitConfirmation, trayCountsLabel } from './quitDecision';

const none = { rooms: 0, users: 0, calls: 0, recordings: 0 };

describe('quit confirmation', () => {
  it('quits at once when nothing is live, even with users online in the lobby', () => {
    expect(quitConfirmation(none)).toBeNull();
    expect(quitConfirmation({ ...none, users: 7 })).toBeNull();
  });

  it('asks with a live room and names the counts', () => {
    const p = quitConfirmation({ ...none, rooms: 1, users: 2 });
    expect(p).not.toBeNull();
    expect(p!.message).toBe('Quit AnyChat Console with 1 live room?');
    expect(p!.detail).toContain('2 users are online and will be disconnected');
    expect(p!.buttons[p!.confirmIndex]).toMatch(/^Quit/);
    expect(p!.buttons[p!.cancelIndex]).toBe('Cancel');
  });

  it('asks with a call alone, or a recording alone', () => {
    expect(quitConfirmation({ ...none, calls: 1, users: 2 })!.message).toBe('Quit AnyChat Console with 1 call?');
    expect(quitConfirmation({ ...none, recordings: 2 })!.message).toBe('Quit AnyChat Console with 2 recordings?');
  });

  it('lists several kinds in a stable order', () => {
    expect(describeLive({ rooms: 3, users: 9, calls: 2, recordings: 1 })).toBe('3 live rooms, 2 calls and 1 recording');
    expect(describeLive({ ...none, rooms: 2, calls: 1 })).toBe('2 live rooms and 1 call');
    expect(quitConfirmation({ rooms: 1, users: 1, calls: 1, recordings: 0 })!.detail).toContain('1 user is online');
  });

  it('the tray line always shows the three counts', () => {
    expect(trayCountsLabel({ rooms: 0, users: 1, calls: 2 })).toBe('0 rooms · 1 user · 2 calls');
  });
});

describe('tray menu', () => {
  it('has Open console, the live counts and Quit', async () => {
    const { trayMenuTemplate } = await import('./trayMenu');
    const calls: string[] = [];
    const items = trayMenuTemplate({ rooms: 2, users: 5, calls: 1 }, { openConsole: () => calls.push('open'), quit: () => calls.push('quit') });
    expect(items.map((i) => i.label).filter(Boolean)).toEqual(['Open console', '2 rooms · 5 users · 1 call', 'Quit']);
    items.forEach((i) => (i.click as unknown as (() => void) | undefined)?.());
    expect(calls).toEqual(['open', 'quit']);
    const stopping = trayMenuTemplate({ rooms: 0, users: 0, calls: 0 }, { openConsole: () => {}, quit: () => {} }, { stopping: true });
    expect(stopping.find((i) => i.label === 'Quit')!.enabled).toBe(false);
  });
});

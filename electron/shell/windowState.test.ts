import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_STATE, fitToDisplays, loadWindowState, saveWindowState, stateFromBounds } from './windowState';

const laptop = { x: 0, y: 0, width: 1440, height: 870 };
const external = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('window state', () => {
  it('round-trips through the JSON file in userData', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'winstate-')), 'window-state.json');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    const saved = stateFromBounds({ x: 1600.4, y: 80, width: 1500, height: 900 }, true);
    saveWindowState(file, saved);
    expect(loadWindowState(file)).toEqual({ x: 1600, y: 80, width: 1500, height: 900, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).width).toBe(1500);
  });

  it('a broken or foreign file gives the default, not an error', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'winstate-')), 'window-state.json');
    writeFileSync(file, '{ nope');
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeFileSync(file, JSON.stringify({ width: 'wide', height: 10 }));
    expect(loadWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('keeps a position on a connected display', () => {
    const s = { x: 1600, y: 80, width: 1500, height: 900, maximized: false };
    expect(fitToDisplays(s, [laptop, external])).toEqual(s);
  });

  it('drops a position whose display was unplugged and shrinks to the largest display', () => {
    const s = { x: 1600, y: 80, width: 2400, height: 1300, maximized: true };
    expect(fitToDisplays(s, [laptop])).toEqual({ width: 1440, height: 870, maximized: true });
  });

  it('never opens smaller than the minimum that fits', () => {
    expect(fitToDisplays({ width: 200, height: 150, maximized: false }, [laptop])).toMatchObject({ width: 900, height: 600 });
    expect(fitToDisplays(DEFAULT_WINDOW_STATE, [])).toEqual(DEFAULT_WINDOW_STATE);
  });
});

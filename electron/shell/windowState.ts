/**
 * The console window's size and position, remembered across runs in a small JSON file in
 * userData. A saved position that is no longer on any display (a monitor was unplugged) is
 * dropped so the window never opens off-screen. No Electron import: main.ts passes the
 * displays' work areas and the window's bounds.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the window manager place it. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 900;
export const MIN_HEIGHT = 600;

const stateSchema = z.object({
  width: z.number().int().min(100).max(100_000),
  height: z.number().int().min(100).max(100_000),
  x: z.number().int().min(-100_000).max(100_000).optional(),
  y: z.number().int().min(-100_000).max(100_000).optional(),
  maximized: z.boolean().default(false),
});

/** The saved state, or the default when the file is missing or not what we wrote. */
export function loadWindowState(file: string): WindowState {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : { ...DEFAULT_WINDOW_STATE };
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/** Writes atomically (temp file + rename) so a crash mid-write never leaves a broken file. */
export function saveWindowState(file: string, state: WindowState): void {
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Fits a saved state to the current displays: the size shrinks to the largest work area, and
 * the position is kept only when at least a title bar's worth of the window is on a display.
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { ...DEFAULT_WINDOW_STATE };
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.max(Math.min(state.width, maxW), Math.min(MIN_WIDTH, maxW));
  const height = Math.max(Math.min(state.height, maxH), Math.min(MIN_HEIGHT, maxH));
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    const titleBar: Rect = { x: state.x, y: state.y, width, height: 40 };
    if (workAreas.some((a) => overlap(titleBar, a) >= Math.min(200, width) * 20)) {
      out.x = state.x;
      out.y = state.y;
    }
  }
  return out;
}

/** What to save from a window: its normal (unmaximized) bounds and whether it is maximized. */
export function stateFromBounds(normalBounds: Rect, maximized: boolean): WindowState {
  return {
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    width: Math.round(normalBounds.width),
    height: Math.round(normalBounds.height),
    maximized,
  };
}

import type { StateCreator } from 'zustand';
import type { DashboardSnapshot, ProducerQuality, StatsTick } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

export type HistoryPoint = DashboardSnapshot['history'][number];

/** 15 minutes at one tick a second. */
export const HISTORY_WINDOW_MS = 15 * 60 * 1000;
const HISTORY_MAX_POINTS = 900;

/**
 * Dashboard counters and the live charts: a snapshot (`dashboard:snapshot`) then `stats:tick`
 * once a second. Per-producer quality is replaced per tick (it is the whole set each tick).
 */
export interface StatsSlice {
  usersOnline: number;
  roomCount: number;
  activeCalls: number;
  recordingsToday: number;
  totalBitrate: number;
  history: HistoryPoint[];
  quality: Map<string, ProducerQuality>;
  /** userId → the media node's estimate of that user's downlink (bits/s), from the last tick */
  downlinks: Map<number, number>;
  activeSpeakers: Record<number, number>;
  lastTickAt: number | null;
  dashboardSnapshotLoaded(snapshot: DashboardSnapshot): void;
  statsTick(tick: StatsTick): void;
}

export const createStatsSlice: StateCreator<ConsoleState, [], [], StatsSlice> = (set) => ({
  usersOnline: 0,
  roomCount: 0,
  activeCalls: 0,
  recordingsToday: 0,
  totalBitrate: 0,
  history: [],
  quality: new Map(),
  downlinks: new Map(),
  activeSpeakers: {},
  lastTickAt: null,
  dashboardSnapshotLoaded: (snap) =>
    set({
      usersOnline: snap.usersOnline,
      roomCount: snap.roomCount,
      activeCalls: snap.activeCalls,
      recordingsToday: snap.recordingsToday,
      history: trimHistory(snap.history.slice(), snap.history.at(-1)?.at ?? 0),
      totalBitrate: snap.history.at(-1)?.bitrate ?? 0,
    }),
  statsTick: (tick) =>
    set((s) => ({
      usersOnline: tick.usersOnline,
      roomCount: tick.roomCount,
      activeCalls: tick.activeCalls,
      recordingsToday: tick.recordingsToday,
      totalBitrate: tick.bitrate,
      history: trimHistory([...s.history, { at: tick.at, usersOnline: tick.usersOnline, bitrate: tick.bitrate }], tick.at),
      quality: new Map(tick.producers.map((p) => [p.producerId, p])),
      downlinks: downlinksByUser(tick),
      activeSpeakers: tick.activeSpeakers,
      lastTickAt: tick.at,
    })),
});

/** One figure per user: the best of its receive transports (normally it has one). */
function downlinksByUser(tick: StatsTick): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of tick.downlinks ?? []) out.set(d.userId, Math.max(out.get(d.userId) ?? 0, d.estimatedBitrate));
  return out;
}

function trimHistory(points: HistoryPoint[], now: number): HistoryPoint[] {
  let start = 0;
  while (start < points.length && points[start].at < now - HISTORY_WINDOW_MS) start++;
  if (points.length - start > HISTORY_MAX_POINTS) start = points.length - HISTORY_MAX_POINTS;
  return start === 0 ? points : points.slice(start);
}

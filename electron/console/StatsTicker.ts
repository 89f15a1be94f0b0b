/**
 * Once a second, samples the platform (users online, rooms, calls, media bitrate and quality)
 * and pushes a `stats:tick` to the console; keeps the last 15 minutes for the dashboard charts.
 * The renderer never polls: it gets the history once, then these ticks.
 */
import type { Logger } from 'pino';
import type { DashboardSnapshot, StatsTick } from '../../shared/ipc/types';
import { TypedEmitter } from '../util/TypedEmitter';

export interface StatsSources {
  usersOnline(): number;
  roomCount(): number;
  activeCalls(): number;
  recordingsToday(): number;
  /** Media-node figures; may be slow (worker round trips), so it is awaited with a bound. */
  media(): Promise<Pick<StatsTick, 'bitrate' | 'producers' | 'activeSpeakers' | 'downlinks'>>;
}

const HISTORY_MS = 15 * 60_000;

export class StatsTicker extends TypedEmitter<{ tick: StatsTick }> {
  private readonly history: DashboardSnapshot['history'] = [];
  private timer: NodeJS.Timeout | null = null;
  private sampling = false;

  constructor(
    private readonly sources: StatsSources,
    private readonly logger: Logger,
    private readonly intervalMs = 1000,
  ) {
    super();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  snapshot(): DashboardSnapshot {
    return {
      usersOnline: this.sources.usersOnline(),
      roomCount: this.sources.roomCount(),
      activeCalls: this.sources.activeCalls(),
      recordingsToday: this.sources.recordingsToday(),
      history: [...this.history],
    };
  }

  /** Takes one sample now (also used by tests). Overlapping samples are skipped, not queued. */
  async sample(now = Date.now()): Promise<StatsTick | null> {
    if (this.sampling) return null;
    this.sampling = true;
    try {
      let media: Awaited<ReturnType<StatsSources['media']>> = { bitrate: 0, producers: [], activeSpeakers: {} };
      try {
        media = await this.sources.media();
      } catch (err) {
        this.logger.warn({ err }, 'media stats unavailable for this tick');
      }
      const tick: StatsTick = {
        at: now,
        usersOnline: this.sources.usersOnline(),
        roomCount: this.sources.roomCount(),
        activeCalls: this.sources.activeCalls(),
        recordingsToday: this.sources.recordingsToday(),
        ...media,
      };
      this.history.push({ at: now, usersOnline: tick.usersOnline, bitrate: tick.bitrate });
      while (this.history.length && this.history[0].at < now - HISTORY_MS) this.history.shift();
      this.emit('tick', tick);
      return tick;
    } finally {
      this.sampling = false;
    }
  }
}

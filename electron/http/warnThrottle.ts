/**
 * Rate-limits repeated log lines about refused input, per client and per reason, so one client
 * sending garbage cannot flood the log (the probe measured 160–308 B per refused request). The
 * first `burst` lines of a (client, reason) pair in each period are logged as they come; the rest
 * are counted, and one summary line per pair says how many were suppressed when the period ends.
 */
import type { Logger } from 'pino';

export interface WarnThrottleOptions {
  /** Lines logged per (client, reason) and period before suppression starts. */
  burst?: number;
  periodMs?: number;
  /** Most (client, reason) pairs tracked; past it every new pair shares one overflow pair. */
  maxKeys?: number;
  level?: 'info' | 'warn';
}

interface Entry {
  client: string;
  reason: string;
  logged: number;
  suppressed: number;
}

export class WarnThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly timer: NodeJS.Timeout;
  private readonly burst: number;
  private readonly maxKeys: number;
  private readonly level: 'info' | 'warn';
  /** Lines suppressed since start (for tests and the soak bench). */
  suppressedTotal = 0;

  constructor(
    private readonly logger: Logger,
    opts: WarnThrottleOptions = {},
  ) {
    this.burst = opts.burst ?? 5;
    this.maxKeys = opts.maxKeys ?? 10_000;
    this.level = opts.level ?? 'warn';
    this.timer = setInterval(() => this.flush(), opts.periodMs ?? 60_000);
    this.timer.unref();
  }

  /** Logs `msg` with `fields` unless this client already logged `burst` lines for `reason` in this period. */
  warn(client: string, reason: string, fields: Record<string, unknown>, msg: string): void {
    let key = `${client}\n${reason}`;
    let e = this.entries.get(key);
    if (!e && this.entries.size >= this.maxKeys) {
      key = '*\n*';
      e = this.entries.get(key);
      client = '*';
      reason = '*';
    }
    if (!e) {
      e = { client, reason, logged: 0, suppressed: 0 };
      this.entries.set(key, e);
    }
    if (e.logged < this.burst) {
      e.logged++;
      this.logger[this.level]({ ...fields, client }, msg);
      return;
    }
    e.suppressed++;
    this.suppressedTotal++;
  }

  /** Ends the period: one summary line per pair that had lines suppressed. */
  flush(): void {
    for (const e of this.entries.values()) {
      if (e.suppressed > 0)
        this.logger[this.level]({ client: e.client, reason: e.reason, suppressed: e.suppressed }, `suppressed ${e.suppressed} similar log lines`);
    }
    this.entries.clear();
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}

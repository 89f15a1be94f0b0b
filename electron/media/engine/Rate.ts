import { BITRATE_STALE_MS, BITRATE_WINDOW_MS } from './tuning';

/** Sliding bitrate counter (1 s windows). */
export class Rate {
  private bytes = 0;
  private start = Date.now();
  bps = 0;
  add(n: number, now: number) {
    this.bytes += n;
    if (now - this.start >= BITRATE_WINDOW_MS) this.roll(now);
  }
  roll(now = Date.now()) {
    const el = now - this.start;
    if (el <= 0) return;
    if (el > BITRATE_STALE_MS) this.bps = 0;
    else this.bps = Math.round((this.bytes * 8 * 1000) / el);
    this.bytes = 0;
    this.start = now;
  }
}

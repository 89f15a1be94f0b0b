/** A token bucket: `perSecond` requests per second with a burst of `burst` (default: the same size). */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private readonly burst: number;

  constructor(
    private readonly perSecond: number,
    burst?: number,
  ) {
    this.burst = burst ?? perSecond;
    this.tokens = this.burst;
  }

  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

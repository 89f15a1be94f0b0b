/**
 * Throttles repeated failures per key (client address): after `maxFailures` failures inside
 * `windowMs`, the key is locked for `lockMs`. Successful attempts clear the key's history.
 */
export interface ThrottleOptions {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  now?: () => number;
}

export class FailureThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly lockedUntil = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: ThrottleOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Milliseconds the key must still wait, or 0 when it may try. */
  retryAfterMs(key: string): number {
    const until = this.lockedUntil.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) {
      this.lockedUntil.delete(key);
      return 0;
    }
    return left;
  }

  /** Records a failure; returns the lock length in ms when this failure locks the key, else 0. */
  recordFailure(key: string): number {
    const now = this.now();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < this.opts.windowMs);
    recent.push(now);
    if (recent.length >= this.opts.maxFailures) {
      this.failures.delete(key);
      this.lockedUntil.set(key, now + this.opts.lockMs);
      return this.opts.lockMs;
    }
    this.failures.set(key, recent);
    // Bound memory under a spray of distinct keys.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
    return 0;
  }

  recordSuccess(key: string): void {
    this.failures.delete(key);
  }
}

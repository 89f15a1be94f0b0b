/**
 * Refuses a request seen before inside the timestamp window. Keys are bucketed by the request's
 * own timestamp second, so a key is forgotten once its timestamp falls out of the window (a
 * request that old is refused as stale anyway). Bounded: past `maxEntries` it reports "full".
 */
export type ReplayVerdict = 'fresh' | 'replay' | 'full';

export class ReplayGuard {
  private readonly buckets = new Map<number, Set<string>>();
  private size = 0;

  constructor(
    private readonly windowMs: () => number,
    private readonly maxEntries: number,
  ) {}

  check(key: string, timestampMs: number, now = Date.now()): ReplayVerdict {
    this.prune(now);
    const second = Math.floor(timestampMs / 1000);
    let bucket = this.buckets.get(second);
    if (bucket?.has(key)) return 'replay';
    if (this.size >= this.maxEntries) return 'full';
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(second, bucket);
    }
    bucket.add(key);
    this.size++;
    return 'fresh';
  }

  private lastPrune = 0;

  private prune(now: number): void {
    if (now - this.lastPrune < 1000) return;
    this.lastPrune = now;
    const oldest = Math.floor((now - this.windowMs()) / 1000) - 1;
    for (const [second, bucket] of this.buckets) {
      if (second < oldest) {
        this.size -= bucket.size;
        this.buckets.delete(second);
      }
    }
  }

  get entries(): number {
    return this.size;
  }
}

/**
 * Ids no two nodes hand out (rooms allocated by name or for calls, guest users), read
 * synchronously: each node reserves blocks from one Redis counter (INCRBY) and hands ids out of
 * its block; the next block is reserved in the background while half of the current one is left.
 */
import type { Redis } from 'ioredis';

const BLOCK = 1000;

export class IdBlocks {
  private next = 0;
  private end = 0;
  private spare: { next: number; end: number } | null = null;
  private refilling: Promise<void> | null = null;

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  /** `first`: the lowest id ever handed out for this kind. */
  static async create(redis: Redis, key: string, first: number): Promise<IdBlocks> {
    await redis.set(key, String(first - 1), 'NX');
    const ids = new IdBlocks(redis, key);
    const b = await ids.reserve();
    ids.next = b.next;
    ids.end = b.end;
    return ids;
  }

  allocate(): number {
    if (this.next >= this.end) {
      if (!this.spare) throw new Error(`id block for ${this.key} exhausted before the next one arrived`);
      ({ next: this.next, end: this.end } = this.spare);
      this.spare = null;
    }
    const id = this.next++;
    if (!this.spare && !this.refilling && this.end - this.next < BLOCK / 2) {
      this.refilling = this.reserve()
        .then((b) => void (this.spare = b))
        // Redis away: the next allocation tries again.
        .catch(() => undefined)
        .finally(() => (this.refilling = null));
    }
    return id;
  }

  private async reserve(): Promise<{ next: number; end: number }> {
    const top = await this.redis.incrby(this.key, BLOCK);
    return { next: top - BLOCK + 1, end: top + 1 };
  }
}

/**
 * Ids that are never handed out twice — across restarts, and across the nodes of a cluster (room
 * ids, guest ids, task ids): each name is a counter row in the shared store, and a caller reserves
 * a block of it in one atomic statement. The SQLite table is the SDK's `sdk_counters`
 * (migration sdk:003); PostgreSQL gets the same table (store:001).
 */
import type { PgMigration } from './sql/postgresMigrations';
import type { SqlClient } from './sql/SqlClient';

export const idCounterPgMigrations: PgMigration[] = [
  { id: 'store:001_id_counters', sql: 'CREATE TABLE sdk_counters (name TEXT PRIMARY KEY, next BIGINT NOT NULL)' },
];

export interface IdAllocator {
  /** Reserves `count` consecutive ids of `name`, none below `first`; returns the first of them. */
  reserve(name: string, count: number, first: number): Promise<number>;
}

export class SqlIdAllocator implements IdAllocator {
  constructor(private readonly db: SqlClient) {}

  async reserve(name: string, count: number, first: number): Promise<number> {
    const max = this.db.dialect === 'postgres' ? 'GREATEST' : 'MAX';
    const row = await this.db.get<{ next: number }>(
      `INSERT INTO sdk_counters (name, next) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET next = ${max}(sdk_counters.next, ?) + ? RETURNING next`,
      [name, first + count, first, count],
    );
    return Number(row!.next) - count;
  }
}

/**
 * Hands out ids one at a time from reserved blocks: `allocate()` stays synchronous, the next
 * block is fetched while half of the current one is left. After a crash the rest of a block is
 * skipped, never reused.
 */
export class IdCounter {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | null = null;
  private queued: { next: number; end: number } | null = null;

  private constructor(
    private readonly ids: IdAllocator,
    private readonly name: string,
    private readonly first: number,
    private readonly block: number,
  ) {}

  static async create(ids: IdAllocator, name: string, first: number, block = 100): Promise<IdCounter> {
    const c = new IdCounter(ids, name, first, block);
    c.next = await ids.reserve(name, block, first);
    c.end = c.next + block;
    return c;
  }

  allocate(): number {
    if (this.next >= this.end) {
      if (!this.queued) throw new Error(`id block of ${this.name} exhausted before the next one arrived`);
      ({ next: this.next, end: this.end } = this.queued);
      this.queued = null;
    }
    const id = this.next++;
    if (this.end - this.next <= this.block / 2 && !this.queued && !this.refill) this.fetchNext();
    return id;
  }

  private fetchNext(): void {
    this.refill = this.ids.reserve(this.name, this.block, this.first).then(
      (start) => {
        this.queued = { next: start, end: start + this.block };
        this.refill = null;
      },
      () => {
        this.refill = null;
      },
    );
  }
}

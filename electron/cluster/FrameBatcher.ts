/**
 * Notification frames bound for other nodes, gathered per node until the current task ends (or
 * until something else is published, to keep the order): a room's frame to ten users on one node
 * is one bus message naming the ten.
 */
export type FrameBatch = [userIds: number[], frame: string][];

export class FrameBatcher {
  private pending = new Map<string, FrameBatch>();
  private scheduled = false;

  constructor(private readonly sendBatch: (node: string, items: FrameBatch) => void) {}

  add(node: string, userId: number, frame: string): void {
    let items = this.pending.get(node);
    if (!items) this.pending.set(node, (items = []));
    const last = items[items.length - 1];
    if (last && last[1] === frame) last[0].push(userId);
    else items.push([[userId], frame]);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.size === 0) return;
    const batches = this.pending;
    this.pending = new Map();
    for (const [node, items] of batches) this.sendBatch(node, items);
  }
}

/**
 * Downloads other nodes send to this node's users (`transferBegin` … `transferEnd` frames passing
 * through the bus): the task lives on the sending node, so this node knows where to send the
 * user's `transferAck`, `transferResume`, `transferCancel` and `transferStatus` (which come after
 * `transferEnd` too), and, when that node dies, which users to tell an unfinished one ended.
 */
const BEGIN = '{"notification":"transferBegin"';
const END = '{"notification":"transferEnd"';
/** How long a task's node is remembered (its status may be asked after the ack). */
const KEEP_MS = 10 * 60_000;

interface RemoteTask {
  node: string;
  userIds: number[];
  ended: boolean;
  at: number;
}

export class RemoteTransfers {
  private readonly tasks = new Map<number, RemoteTask>();

  /** A frame from `node` delivered to this node's `userIds`. */
  seen(node: string, frame: string, userIds: readonly number[]): void {
    const begin = frame.startsWith(BEGIN);
    if (!begin && !frame.startsWith(END)) return;
    const { data } = JSON.parse(frame) as { data: { taskId: number } };
    if (!begin) {
      const t = this.tasks.get(data.taskId);
      if (t) t.ended = true;
      return;
    }
    const now = Date.now();
    for (const [taskId, t] of this.tasks) if (now - t.at > KEEP_MS) this.tasks.delete(taskId);
    this.tasks.set(data.taskId, { node, userIds: [...userIds], ended: false, at: now });
  }

  /** The node sending this download to a user here, if it is another node's. */
  nodeOf(taskId: number): string | undefined {
    return this.tasks.get(taskId)?.node;
  }

  /** Forgets a dead node's downloads; returns the `transferEnd` frames owed (unfinished ones) and to whom. */
  dropNode(node: string, errorCode: number): { frame: string; userIds: number[] }[] {
    const owed: { frame: string; userIds: number[] }[] = [];
    for (const [taskId, t] of this.tasks) {
      if (t.node !== node) continue;
      this.tasks.delete(taskId);
      if (!t.ended) owed.push({ frame: JSON.stringify({ notification: 'transferEnd', data: { taskId, errorCode } }), userIds: t.userIds });
    }
    return owed;
  }
}

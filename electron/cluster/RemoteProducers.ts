/**
 * The producers other nodes announced to this node's users (`newProducer` frames passing through
 * the bus), so that when a node dies its producers can be closed here (`producerClosed`) for
 * every local user that was told about them.
 */
interface Announced {
  userId: number;
  kind: string;
  /** This node's users that were told. */
  told: Set<number>;
}

const NEW_PRODUCER = '{"notification":"newProducer"';
const PRODUCER_CLOSED = '{"notification":"producerClosed"';

export class RemoteProducers {
  private readonly byNode = new Map<string, Map<string, Announced>>();

  /** A frame from `node` delivered to this node's `userIds`. */
  seen(node: string, frame: string, userIds: readonly number[]): void {
    const opened = frame.startsWith(NEW_PRODUCER);
    if (!opened && !frame.startsWith(PRODUCER_CLOSED)) return;
    const { data } = JSON.parse(frame) as { data: { producerId: string; userId: number; kind: string } };
    let producers = this.byNode.get(node);
    if (!producers) this.byNode.set(node, (producers = new Map()));
    if (!opened) {
      producers.delete(data.producerId);
      return;
    }
    let p = producers.get(data.producerId);
    if (!p) producers.set(data.producerId, (p = { userId: data.userId, kind: data.kind, told: new Set() }));
    for (const id of userIds) p.told.add(id);
  }

  /** Forgets a node's producers; returns the `producerClosed` frames owed and to whom. */
  dropNode(node: string): { frame: string; userIds: number[] }[] {
    const producers = this.byNode.get(node);
    this.byNode.delete(node);
    return [...(producers ?? [])].map(([producerId, p]) => ({
      frame: JSON.stringify({ notification: 'producerClosed', data: { producerId, userId: p.userId, kind: p.kind } }),
      userIds: [...p.told],
    }));
  }
}

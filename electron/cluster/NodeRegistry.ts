/**
 * The cluster's nodes in Redis: each node beats every 2 s (a key that lives 8 s, and its figures
 * in the `anychat:nodes` hash); every node checks the others at each beat and reports a node
 * whose key has been missing at two checks in a row while it was up. Reporting is a race that one
 * node wins (see ClusterNode).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export const NODES_KEY = 'anychat:nodes';
const aliveKey = (nodeId: string) => `anychat:alive:${nodeId}`;
export const HEARTBEAT_MS = 2000;
export const HEARTBEAT_TTL_MS = 8000;

export type NodeStatus = 'up' | 'down' | 'stopped';

export interface NodeFigures {
  /** The node's public URL (console, /ws, gateway). */
  url: string;
  /** Users logged in through this node. */
  users: number;
  /** Rooms with at least one of this node's users. */
  rooms: number;
  /** Media load: producers on this node's media node. */
  mediaLoad: number;
}

export interface NodeInfo extends NodeFigures {
  nodeId: string;
  status: NodeStatus;
  startedAt: number;
  lastSeen: number;
}

export class NodeRegistry {
  private timer: NodeJS.Timeout | null = null;
  private readonly startedAt = Date.now();
  private beating: Promise<void> | null = null;
  /** Nodes found without a heartbeat at the last check. */
  private readonly silent = new Set<string>();
  /** The nodes as last listed (at least every beat). */
  private known = new Map<string, NodeInfo>();

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly figures: () => NodeFigures,
    /** A node stopped beating while it was up. */
    private readonly onSilent: (nodeId: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.beat();
    await this.list();
    this.timer = setInterval(() => {
      if (this.beating) return;
      this.beating = this.beat()
        .then(() => this.checkOthers())
        .catch((err: Error) => this.logger.warn({ err: err.message }, 'cluster heartbeat failed'))
        .finally(() => (this.beating = null));
    }, HEARTBEAT_MS);
    this.timer.unref();
  }

  async list(): Promise<NodeInfo[]> {
    const all = await this.redis.hgetall(NODES_KEY);
    const nodes = Object.values(all)
      .map((v) => JSON.parse(v) as NodeInfo)
      .sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    this.known = new Map(nodes.map((n) => [n.nodeId, n]));
    return nodes;
  }

  /** A node's public URL while it is up, as last listed (read synchronously, e.g. for download links). */
  urlOf(nodeId: string): string | undefined {
    const n = this.known.get(nodeId);
    return n?.status === 'up' ? n.url : undefined;
  }

  /** Marks another node down (the one that won the report does). */
  async markDown(nodeId: string): Promise<void> {
    const raw = await this.redis.hget(NODES_KEY, nodeId);
    if (!raw) return;
    await this.redis.hset(NODES_KEY, nodeId, JSON.stringify({ ...(JSON.parse(raw) as NodeInfo), status: 'down', users: 0, rooms: 0, mediaLoad: 0 }));
  }

  /** Graceful stop: the node says so, so nobody reports it. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    await this.redis.del(aliveKey(this.nodeId));
    await this.write('stopped');
  }

  private async beat(): Promise<void> {
    await this.redis.set(aliveKey(this.nodeId), String(Date.now()), 'PX', HEARTBEAT_TTL_MS);
    await this.write('up');
  }

  private write(status: NodeStatus): Promise<unknown> {
    const info: NodeInfo = { nodeId: this.nodeId, status, startedAt: this.startedAt, lastSeen: Date.now(), ...this.figures() };
    return this.redis.hset(NODES_KEY, this.nodeId, JSON.stringify(info));
  }

  private async checkOthers(): Promise<void> {
    for (const n of await this.list()) {
      if (n.nodeId === this.nodeId || n.status !== 'up') continue;
      if ((await this.redis.exists(aliveKey(n.nodeId))) > 0) {
        this.silent.delete(n.nodeId);
        continue;
      }
      // Silent at two checks in a row: after a Redis outage every node gets one beat in first.
      if (!this.silent.has(n.nodeId)) {
        this.silent.add(n.nodeId);
        continue;
      }
      this.silent.delete(n.nodeId);
      await this.onSilent(n.nodeId);
    }
  }
}

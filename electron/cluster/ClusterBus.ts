/**
 * The cluster's message bus over Redis pub/sub: one broadcast channel every node hears, one
 * channel per node for what is addressed to it, and request/reply on top (kick, room removal).
 * Messages from one node arrive in the order it published them (one subscriber connection per node).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { CodedError, Codes } from '../../shared/codes';

export const BROADCAST_CHANNEL = 'anychat:bcast';
export const nodeChannel = (nodeId: string) => `anychat:node:${nodeId}`;

export interface BusMessage {
  /** message type */
  t: string;
  /** sending node */
  from: string;
  [key: string]: unknown;
}

type Handler = (msg: BusMessage) => unknown;

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export class ClusterBus {
  private readonly handlers = new Map<string, Handler>();
  private readonly pending = new Map<number, Pending>();
  /** Runs before every publish (the node flushes the frames it gathered, so nothing overtakes them). */
  beforePublish: () => void = () => {};
  private nextRequestId = 1;
  private closed = false;
  /** `caughtUp` markers on their way back to this node. */
  private readonly markers = new Map<number, Pending>();
  private nextMarker = 1;

  private constructor(
    readonly nodeId: string,
    /** Commands and publishing. */
    readonly redis: Redis,
    private readonly sub: Redis,
    private readonly logger: Logger,
  ) {
    sub.on('message', (_channel: string, raw: string) => this.dispatch(raw));
  }

  static async connect(redisUrl: string, nodeId: string, logger: Logger): Promise<ClusterBus> {
    // ioredis: reconnects by itself and queues commands meanwhile; a connection that never comes
    // up fails the start instead of hanging it.
    const open = (name: string) => {
      const r = new Redis(redisUrl, { lazyConnect: true, connectionName: `anychat-${nodeId}-${name}`, maxRetriesPerRequest: 3 });
      r.on('error', (err) => logger.warn({ err: err.message, connection: name }, 'redis connection error'));
      return r;
    };
    const redis = open('cmd');
    const sub = open('sub');
    await Promise.all([redis.connect(), sub.connect()]);
    const bus = new ClusterBus(nodeId, redis, sub, logger);
    await sub.subscribe(BROADCAST_CHANNEL, nodeChannel(nodeId));
    return bus;
  }

  /**
   * Calls `fn` each time both connections are back after Redis went away (a restart may have
   * emptied it, and what was published meanwhile is lost), once the subscriber listens again.
   */
  onReconnect(fn: () => void): void {
    let lost = false;
    this.redis.on('close', () => (lost = true));
    this.redis.on('ready', () => {
      if (!lost) return;
      lost = false;
      void (async () => {
        for (let i = 0; i < 100 && this.sub.status !== 'ready' && !this.closed; i++) await new Promise((r) => setTimeout(r, 50));
        if (!this.closed) fn();
      })();
    });
  }

  /** Handles messages of a type; for requests, what it returns (or resolves to) is the reply. */
  on(type: string, handler: Handler): void {
    this.handlers.set(type, handler);
  }

  /** To every other node. */
  broadcast(type: string, body: Record<string, unknown> = {}): Promise<unknown> {
    this.beforePublish();
    return this.redis.publish(BROADCAST_CHANNEL, JSON.stringify({ ...body, t: type, from: this.nodeId }));
  }

  /** To one node. */
  send(nodeId: string, type: string, body: Record<string, unknown> = {}): Promise<unknown> {
    this.beforePublish();
    return this.redis.publish(nodeChannel(nodeId), JSON.stringify({ ...body, t: type, from: this.nodeId }));
  }

  /** Asks one node and waits for its reply (rejects after `timeoutMs` or when it answers with an error). */
  request(nodeId: string, type: string, body: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
    const rid = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(rid);
        reject(new Error(`node ${nodeId} did not answer ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(rid, { resolve, reject, timer });
      this.send(nodeId, type, { ...body, rid }).catch((err: Error) => {
        clearTimeout(timer);
        this.pending.delete(rid);
        reject(err);
      });
    });
  }

  /**
   * Resolves once every message published (by any node) before this call has been handled here:
   * Redis delivers a subscriber's messages in the order it executed the publishes, so a marker
   * this node publishes to itself comes back after all of them.
   */
  caughtUp(timeoutMs = 5000): Promise<void> {
    const marker = this.nextMarker++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.markers.delete(marker);
        reject(new Error(`the cluster bus did not catch up within ${timeoutMs} ms`));
      }, timeoutMs);
      this.markers.set(marker, { resolve, reject, timer });
      this.redis.publish(nodeChannel(this.nodeId), JSON.stringify({ t: 'caughtUp', from: this.nodeId, marker })).catch((err: Error) => {
        clearTimeout(timer);
        this.markers.delete(marker);
        reject(err);
      });
    });
  }

  /** A publish nobody waits for: a failure (Redis away) is logged, never an unhandled rejection. */
  background(p: Promise<unknown>, what: string): void {
    p.catch((err: Error) => this.logger.warn({ err: err.message, what }, 'cluster bus: publish failed'));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const p of [...this.pending.values(), ...this.markers.values()]) {
      clearTimeout(p.timer);
      p.reject(new Error('cluster bus closed'));
    }
    this.pending.clear();
    this.markers.clear();
    await Promise.allSettled([this.sub.quit(), this.redis.quit()]);
  }

  private dispatch(raw: string): void {
    let msg: BusMessage;
    try {
      msg = JSON.parse(raw) as BusMessage;
    } catch {
      this.logger.warn({ raw: raw.slice(0, 200) }, 'cluster bus: unreadable message dropped');
      return;
    }
    if (msg.from === this.nodeId) {
      if (msg.t === 'caughtUp') this.reachedMarker(msg.marker as number);
      return;
    }
    if (msg.t === 'reply') return this.settle(msg);
    const handler = this.handlers.get(msg.t);
    if (!handler) {
      this.logger.warn({ type: msg.t, from: msg.from }, 'cluster bus: no handler for message');
      return;
    }
    const rid = typeof msg.rid === 'number' ? msg.rid : null;
    Promise.resolve()
      .then(() => handler(msg))
      .then(
        (result) => {
          if (rid !== null) this.background(this.send(msg.from, 'reply', { rid, ok: true, result: result ?? null }), 'reply');
        },
        (err: Error) => {
          const code = err instanceof CodedError ? err.code : Codes.INTERNAL;
          if (code === Codes.INTERNAL) this.logger.warn({ err: err.message, type: msg.t, from: msg.from }, 'cluster bus: handler failed');
          if (rid !== null) this.background(this.send(msg.from, 'reply', { rid, ok: false, code, error: err.message }), 'reply');
        },
      );
  }

  private reachedMarker(marker: number): void {
    const p = this.markers.get(marker);
    if (!p) return;
    this.markers.delete(marker);
    clearTimeout(p.timer);
    // After the handlers of the messages before it, which run a microtask after their dispatch.
    void Promise.resolve().then(() => p.resolve(undefined));
  }

  private settle(msg: BusMessage): void {
    const p = this.pending.get(msg.rid as number);
    if (!p) return;
    this.pending.delete(msg.rid as number);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    // The answering node's error code travels with it (a refused produce stays a refusal).
    else p.reject(new CodedError(typeof msg.code === 'number' ? msg.code : Codes.INTERNAL, String(msg.error)));
  }
}

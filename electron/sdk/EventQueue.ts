/**
 * Ordered, one-at-a-time event delivery (seed guarantee: business code needs no locks).
 * Every event waits until every handler of the previous event has finished, async ones included.
 */
import type { Logger } from 'pino';
import type { SdkEventHandler, SdkEventName, SdkEvents } from './types';

export class EventQueue {
  private readonly handlers = new Map<SdkEventName, SdkEventHandler<SdkEventName>[]>();
  private readonly queue: { name: SdkEventName; payload: unknown }[] = [];
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  private timer: NodeJS.Timeout | null = null;

  /** A handler still running after `handlerTimeoutMs` is logged and the queue moves on. */
  constructor(
    private readonly logger: Logger,
    private readonly handlerTimeoutMs = 30_000,
  ) {}

  on<K extends SdkEventName>(name: K, handler: SdkEventHandler<K>): () => void {
    const list = this.handlers.get(name) ?? [];
    list.push(handler as unknown as SdkEventHandler<SdkEventName>);
    this.handlers.set(name, list);
    return () => {
      const l = this.handlers.get(name);
      if (!l) return;
      const i = l.indexOf(handler as unknown as SdkEventHandler<SdkEventName>);
      if (i >= 0) l.splice(i, 1);
    };
  }

  emit<K extends SdkEventName>(name: K, payload: SdkEvents[K]): void {
    if (this.closed) return;
    if (!this.handlers.get(name)?.length) return;
    this.queue.push({ name, payload });
    if (!this.draining) void this.drain();
  }

  /** Resolves once every queued event has been delivered. */
  idle(): Promise<void> {
    if (!this.draining && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** seed §2.2: a `timer` event every `intervalMs` (0 stops it). */
  setTimer(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = intervalMs > 0 ? setInterval(() => this.emit('timer', { at: Date.now() }), intervalMs) : null;
    this.timer?.unref();
  }

  close(): void {
    this.setTimer(0);
    this.closed = true;
    this.queue.length = 0;
    this.handlers.clear();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queue.length > 0) {
      const ev = this.queue.shift()!;
      for (const h of [...(this.handlers.get(ev.name) ?? [])]) {
        let timer: NodeJS.Timeout | undefined;
        try {
          const slow = new Promise<'slow'>((resolve) => {
            timer = setTimeout(() => resolve('slow'), this.handlerTimeoutMs);
          });
          const r = await Promise.race([Promise.resolve().then(() => h(ev.payload as never)), slow]);
          if (r === 'slow') this.logger.warn({ event: ev.name, timeoutMs: this.handlerTimeoutMs }, 'SDK event handler too slow; delivering the next event');
        } catch (err) {
          this.logger.error({ err, event: ev.name }, 'SDK event handler failed');
        } finally {
          clearTimeout(timer);
        }
      }
    }
    this.draining = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

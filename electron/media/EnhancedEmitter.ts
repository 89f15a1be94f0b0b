import { EventEmitter } from 'node:events';

/** Where a listener's error goes: the emitter's owner logs it (with the event's name). */
export type ListenerErrorLog = (event: string, error: unknown) => void;

const toStderr: ListenerErrorLog = (event, error) =>
  console.error(JSON.stringify({ level: 'error', msg: `listener of "${event}" threw`, err: error instanceof Error ? error.stack : String(error) }));

/**
 * EventEmitter with typed events (like mediasoup's EnhancedEventEmitter). A throwing listener
 * must not break the media node's state machine: its error is contained and logged, and the
 * emitter also re-emits it as `listenererror` for whoever watches.
 */
export class EnhancedEmitter<E extends Record<string, unknown[]>> extends EventEmitter {
  constructor(private readonly logListenerError: ListenerErrorLog = toStderr) {
    super();
    this.setMaxListeners(Infinity);
  }
  override emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    try {
      return super.emit(event, ...args);
    } catch (e) {
      this.logListenerError(event, e);
      queueMicrotask(() => super.emit('listenererror', event, e));
      return true;
    }
  }
  override on<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.on(event, listener as (...a: unknown[]) => void);
  }
  override once<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.once(event, listener as (...a: unknown[]) => void);
  }
  override off<K extends keyof E & string>(event: K, listener: (...args: E[K]) => void): this {
    return super.off(event, listener as (...a: unknown[]) => void);
  }
}

import { EventEmitter } from 'node:events';

/** EventEmitter with typed events (like mediasoup's EnhancedEventEmitter). Listener errors are contained. */
export class EnhancedEmitter<E extends Record<string, unknown[]>> extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(Infinity);
  }
  override emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    try {
      return super.emit(event, ...args);
    } catch (e) {
      // a throwing listener must not break the media node's state machine
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

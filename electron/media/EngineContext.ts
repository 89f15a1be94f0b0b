/** Shared plumbing between the main-thread objects living on one engine (worker): requests and notification routing. */
import type { EngineHost } from './channel';
import type { ListenerErrorLog } from './EnhancedEmitter';
import type { EngineData, EngineMethod, EngineNotification, EngineResult } from './engine/protocol';

type Listener = (n: EngineNotification) => void;

export class EngineContext {
  private readonly listeners = new Map<string, Listener>();
  constructor(
    public host: EngineHost,
    /** how the objects on this engine log a throwing listener */
    readonly logListenerError: ListenerErrorLog,
  ) {}
  get workerId() {
    return this.host.workerId;
  }
  request<M extends EngineMethod>(method: M, data: EngineData<M>): Promise<EngineResult<M>> {
    return this.host.request(method, data);
  }
  /** Route the engine's notifications for `id` to `fn` until unregister(id). */
  register(id: string, fn: Listener) {
    this.listeners.set(id, fn);
  }
  unregister(id: string) {
    this.listeners.delete(id);
  }
  dispatch(n: EngineNotification) {
    this.listeners.get(n.targetId)?.(n);
  }
  /** fire-and-forget request (close paths): errors are ignored (the engine may be gone) */
  send<M extends EngineMethod>(method: M, data: EngineData<M>) {
    this.host.request(method, data).catch(() => {});
  }
}

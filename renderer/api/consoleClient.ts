/**
 * The one client the screens use to reach the main process. Over Electron's preload
 * (`window.anychatConsole`) or, in a browser, over the host's console WebSocket — same contract,
 * same envelope, so every screen runs the same in both shells.
 */
import type { CallArgs, CallName, CallResult, ConsoleEvents, EventName, PreloadApi } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import { Codes } from '../../shared/codes';

export interface ConsoleClient {
  readonly shell: 'electron' | 'web';
  call<K extends CallName>(name: K, args: CallArgs<K>): Promise<Result<CallResult<K>>>;
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void;
  /** Fires when the transport drops (web only) — the session may have ended. */
  onDisconnect(listener: (reason: string) => void): () => void;
  close(): void;
}

declare global {
  interface Window {
    anychatConsole?: PreloadApi;
  }
}

export function hasPreload(): boolean {
  return typeof window !== 'undefined' && window.anychatConsole !== undefined;
}

export function preloadClient(api: PreloadApi): ConsoleClient {
  return {
    shell: 'electron',
    call: (name, args) => (api[name] as (a: typeof args) => Promise<Result<CallResult<typeof name>>>)(args),
    on: (event, listener) => api.on(event, listener),
    onDisconnect: () => () => undefined,
    close: () => undefined,
  };
}

type Pending = { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> };

/** Connects to `/console/ws` on the page's own origin; resolves once the socket is open. */
export function webSocketClient(url = defaultSocketUrl(), timeoutMs = 15_000): Promise<ConsoleClient> {
  return new Promise((resolveClient, rejectClient) => {
    const ws = new WebSocket(url);
    const pending = new Map<number, Pending>();
    const listeners = new Map<string, Set<(payload: unknown) => void>>();
    const disconnectListeners = new Set<(reason: string) => void>();
    let nextId = 1;
    let opened = false;

    ws.onopen = () => {
      opened = true;
      resolveClient(client);
    };
    ws.onerror = () => {
      if (!opened) rejectClient(new Error('console connection failed'));
    };
    ws.onclose = (ev) => {
      for (const [, p] of pending) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: { code: Codes.UNAVAILABLE, message: 'console connection closed' } });
      }
      pending.clear();
      if (opened) disconnectListeners.forEach((l) => l(ev.reason || `closed (${ev.code})`));
      else rejectClient(new Error(`console connection refused (${ev.code})`));
    };
    ws.onmessage = (ev) => {
      let msg: { id?: number; ok?: boolean; event?: string; payload?: unknown };
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        listeners.get(msg.event)?.forEach((l) => l(msg.payload));
        return;
      }
      if (typeof msg.id === 'number') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        clearTimeout(p.timer);
        p.resolve(msg as Result<unknown>);
      }
    };

    const client: ConsoleClient = {
      shell: 'web',
      call(name, args) {
        const id = nextId++;
        return new Promise((resolve) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            resolve({ ok: false, error: { code: Codes.TIMEOUT, message: `${name} timed out` } });
          }, timeoutMs);
          pending.set(id, { resolve: resolve as (r: Result<unknown>) => void, timer });
          ws.send(JSON.stringify({ id, call: name, args }));
        });
      },
      on(event, listener) {
        let set = listeners.get(event);
        if (!set) listeners.set(event, (set = new Set()));
        set.add(listener as (p: unknown) => void);
        return () => set!.delete(listener as (p: unknown) => void);
      },
      onDisconnect(listener) {
        disconnectListeners.add(listener);
        return () => disconnectListeners.delete(listener);
      },
      close: () => ws.close(1000, 'bye'),
    };
  });
}

function defaultSocketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/console/ws`;
}

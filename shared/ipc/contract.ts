/**
 * The console IPC contract, declared once. Calls are request/response from the renderer to the
 * main process; events are streams from the main process to the renderer. The preload, the
 * headless host's console WebSocket and the renderer client are all derived from this file.
 *
 * Channel names follow `domain:verb` (calls) and `domain:event` (events).
 */
import type { ComponentStatus } from '../status';

export interface AppInfo {
  version: string;
  /** 'electron' in the desktop shell, 'web' on the headless host. */
  shell: 'electron' | 'web';
  operator: string | null;
  startedAt: number;
  sdkVersion: string;
}

/** Request/response calls: name → argument and result types. */
export interface ConsoleCalls {
  'app:info': { args: Record<string, never>; result: AppInfo };
  'status:snapshot': { args: Record<string, never>; result: ComponentStatus[] };
}

/** Main → renderer event streams: name → payload type. */
export interface ConsoleEvents {
  'status:changed': ComponentStatus;
}

export type CallName = keyof ConsoleCalls;
export type EventName = keyof ConsoleEvents;
export type CallArgs<K extends CallName> = ConsoleCalls[K]['args'];
export type CallResult<K extends CallName> = ConsoleCalls[K]['result'];

/** Compile-time check that a runtime list names every key of T exactly. */
type Exhaustive<T, L extends readonly (keyof T)[]> = [keyof T] extends [L[number]] ? L : never;

const callNameList = ['app:info', 'status:snapshot'] as const;
const eventNameList = ['status:changed'] as const;

export const callNames: Exhaustive<ConsoleCalls, typeof callNameList> = callNameList;
export const eventNames: Exhaustive<ConsoleEvents, typeof eventNameList> = eventNameList;

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && (callNames as readonly string[]).includes(name);
}

/** The object the preload exposes on `window.anychatConsole`: one method per call, `on` per event. */
export type PreloadApi = {
  [K in CallName]: (args: CallArgs<K>) => Promise<import('../result').Result<CallResult<K>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: ConsoleEvents[E]) => void): () => void;
};

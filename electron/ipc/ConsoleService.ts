/**
 * Implements the console IPC contract (shared/ipc/contract.ts) on the core. Both transports —
 * Electron's ipcMain (electronBridge.ts) and the host's console WebSocket (consoleSocket.ts) —
 * go through `call()` and `events`, so a screen behaves the same in either shell.
 */
import { Codes, isCodedError } from '../../shared/codes';
import type { CallArgs, CallName, CallResult, ConsoleEvents } from '../../shared/ipc/contract';
import { callArgSchemas } from '../../shared/ipc/validators';
import type { Result } from '../../shared/result';
import type { Core } from '../core/Core';
import { TypedEmitter } from '../core/TypedEmitter';
import { SDK_VERSION } from '../core/version';

/** Who is calling: the operator signed in on the web host, or the local desktop user. */
export interface CallerContext {
  operator: string;
  shell: 'electron' | 'web';
}

type Handlers = { [K in CallName]?: (args: CallArgs<K>, caller: CallerContext) => Promise<CallResult<K>> | CallResult<K> };

export class ConsoleService {
  readonly events = new TypedEmitter<ConsoleEvents>();
  private readonly handlers: Handlers;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly core: Core) {
    this.handlers = {
      'app:info': (_args, caller) => ({
        version: SDK_VERSION,
        shell: caller.shell,
        operator: caller.operator,
        startedAt: core.startedAt,
        sdkVersion: SDK_VERSION,
      }),
      'status:snapshot': () => core.status.snapshot(),
    };
    this.unsubscribers.push(core.status.on('changed', (s) => this.events.emit('status:changed', s)));
  }

  /** Validates the arguments, runs the handler and wraps the outcome in the wire envelope. */
  async call<K extends CallName>(name: K, rawArgs: unknown, caller: CallerContext): Promise<Result<CallResult<K>>> {
    const parsed = callArgSchemas[name].safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, error: { code: Codes.BAD_REQUEST, message: `${name}: ${issue.path.join('.') || 'args'}: ${issue.message}` } };
    }
    try {
      const handler = this.handlers[name] as ((a: CallArgs<K>, c: CallerContext) => Promise<CallResult<K>> | CallResult<K>) | undefined;
      if (!handler) return { ok: false, error: { code: Codes.UNAVAILABLE, message: `${name} is not available in this build` } };
      return { ok: true, value: await handler(parsed.data as CallArgs<K>, caller) };
    } catch (err) {
      if (isCodedError(err)) return { ok: false, error: { code: err.code, message: err.message } };
      this.core.logger.error({ err, call: name }, 'console call failed');
      return { ok: false, error: { code: Codes.INTERNAL, message: 'internal error' } };
    }
  }

  close(): void {
    for (const u of this.unsubscribers.splice(0)) u();
    this.events.removeAllListeners();
  }
}

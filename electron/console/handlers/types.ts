/** What every console handler module gets: the running core and the caller's identity. */
import type { CallArgs, CallName, CallResult } from '../../../shared/ipc/contract';
import type { OperatorRole } from '../../../shared/ipc/roles';
import type { Core } from '../../core/Core';

export interface CallerContext {
  operator: string;
  shell: 'electron' | 'web';
  /** The operator's role; absent means the Electron app's local operator, who is an admin. */
  role?: OperatorRole;
}

export type Handler<K extends CallName> = (args: CallArgs<K>, caller: CallerContext) => Promise<CallResult<K>> | CallResult<K>;
export type HandlerMap = { [K in CallName]?: Handler<K> };
/** Every call of the contract has its handler: the console service's map is checked against it at compile time. */
export type CompleteHandlerMap = { [K in CallName]: Handler<K> };

export interface HandlerDeps {
  core: Core;
  /** Runs an operator action and writes its audit entry (who, what, target, params, result). */
  audited<T>(caller: CallerContext, action: string, target: string, params: Record<string, unknown>, fn: () => Promise<T> | T): Promise<T>;
}

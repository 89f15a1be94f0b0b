/** Operator accounts (admin only, see shared/ipc/roles.ts) and who is signed in (everyone). */
import type { OperatorAuth } from '../../auth/OperatorAuth';
import type { HandlerDeps, HandlerMap } from './types';

export function operatorsHandlers({ audited }: HandlerDeps, auth: OperatorAuth) {
  return {
    'operators:list': () => auth.operators(),
    'operators:sessions': () => auth.sessions(),
    'operators:add': ({ username, password, role }, caller) =>
      audited(caller, 'operators:add', `operator ${username}`, { username, role }, () => auth.addOperator(username, password, role)),
    'operators:setDisabled': ({ username, disabled }, caller) =>
      audited(caller, 'operators:setDisabled', `operator ${username}`, { username, disabled }, async () => {
        await auth.setDisabled(username, disabled, caller.operator);
        return {};
      }),
    // The password itself never goes into the audit entry.
    'operators:resetPassword': ({ username, password }, caller) =>
      audited(caller, 'operators:resetPassword', `operator ${username}`, { username }, async () => {
        await auth.resetPassword(username, password);
        return {};
      }),
  } satisfies HandlerMap;
}

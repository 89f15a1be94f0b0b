import type { StateCreator } from 'zustand';
import type { ConsoleEvents, OperatorSessionView, OperatorView } from '../../shared/ipc/contract';
import { mayCall } from '../../shared/ipc/roles';
import { coalescedRead, type CoalescedRead } from './coalescedRead';
import type { ConsoleState } from './store';

/**
 * Operator accounts (admins only) and who is signed in (everyone). `operators:changed` carries no
 * data: it re-reads both, coalesced.
 */
export interface OperatorsSlice {
  operatorSessions: OperatorSessionView[];
  operatorAccounts: OperatorView[];
  operatorsChanged(change?: ConsoleEvents['operators:changed']): Promise<void>;
}

export const createOperatorsSlice: StateCreator<ConsoleState, [], [], OperatorsSlice> = (set, get) => {
  let reader: CoalescedRead | null = null;
  const read = async () => {
    const { client, role } = get();
    if (!client) return;
    const sessions = await client.call('operators:sessions', {});
    if (sessions.ok) set({ operatorSessions: sessions.value });
    if (mayCall(role, 'operators:list')) {
      const list = await client.call('operators:list', {});
      if (list.ok) set({ operatorAccounts: list.value });
    }
  };
  return {
    operatorSessions: [],
    operatorAccounts: [],
    operatorsChanged: () => (reader ??= coalescedRead(read)).request(),
  };
};

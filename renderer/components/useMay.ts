import type { CallName } from '../../shared/ipc/contract';
import { mayCall } from '../../shared/ipc/roles';
import { useConsoleStore } from '../state/store';

/** Whether the signed-in operator's role allows `call` (the server enforces it; this only hides what it would refuse). */
export function useMay(call: CallName): boolean {
  return useConsoleStore((s) => mayCall(s.role, call));
}

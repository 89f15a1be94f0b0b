import type { StateCreator } from 'zustand';
import type { ConsoleClient } from '../api/consoleClient';
import type { OperatorRole } from '../../shared/ipc/roles';
import type { ConsoleState } from './store';

export type ConnectionState = 'signed-out' | 'connecting' | 'connected' | 'lost';

/** Who is signed in and how the console reaches the main process. */
export interface SessionSlice {
  operator: string | null;
  /** The operator's role, from app:info (the server enforces it; the UI only hides what it would refuse). */
  role: OperatorRole;
  /** While the connection is lost: when the next reconnect attempt runs (ms epoch), and how many ran. */
  reconnectAt: number | null;
  reconnectAttempts: number;
  roleLoaded(role: OperatorRole): void;
  reconnectScheduled(at: number, attempts: number): void;
  connection: ConnectionState;
  connectionError: string | null;
  client: ConsoleClient | null;
  sessionStarted(operator: string, client: ConsoleClient): void;
  connectionLost(reason: string): void;
  signedOut(): void;
}

export const createSessionSlice: StateCreator<ConsoleState, [], [], SessionSlice> = (set) => ({
  operator: null,
  role: 'viewer',
  reconnectAt: null,
  reconnectAttempts: 0,
  roleLoaded: (role) => set({ role }),
  reconnectScheduled: (reconnectAt, reconnectAttempts) => set({ reconnectAt, reconnectAttempts }),
  connection: 'signed-out',
  connectionError: null,
  client: null,
  sessionStarted: (operator, client) => set({ operator, client, connection: 'connected', connectionError: null, reconnectAt: null, reconnectAttempts: 0 }),
  connectionLost: (reason) => set({ connection: 'lost', connectionError: reason }),
  signedOut: () =>
    set({ operator: null, client: null, connection: 'signed-out', connectionError: null, reconnectAt: null, reconnectAttempts: 0, role: 'viewer' }),
});

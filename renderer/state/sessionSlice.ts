import type { StateCreator } from 'zustand';
import type { ConsoleClient } from '../api/consoleClient';
import type { ConsoleState } from './store';

export type ConnectionState = 'signed-out' | 'connecting' | 'connected' | 'lost';

/** Who is signed in and how the console reaches the main process. */
export interface SessionSlice {
  operator: string | null;
  connection: ConnectionState;
  connectionError: string | null;
  client: ConsoleClient | null;
  sessionStarted(operator: string, client: ConsoleClient): void;
  connectionLost(reason: string): void;
  signedOut(): void;
}

export const createSessionSlice: StateCreator<ConsoleState, [], [], SessionSlice> = (set) => ({
  operator: null,
  connection: 'signed-out',
  connectionError: null,
  client: null,
  sessionStarted: (operator, client) => set({ operator, client, connection: 'connected', connectionError: null }),
  connectionLost: (reason) => set({ connection: 'lost', connectionError: reason }),
  signedOut: () => set({ operator: null, client: null, connection: 'signed-out', connectionError: null }),
});

import type { StateCreator } from 'zustand';
import type { ActiveCall, ConsoleEvents } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

/** Active 1:1 calls by callId; `calls:changed` carries the whole (small) set. */
export interface CallsSlice {
  calls: Map<string, ActiveCall>;
  callsVersion: number;
  callsSnapshotLoaded(list: ActiveCall[]): void;
  callsChanged(change: ConsoleEvents['calls:changed']): void;
}

export const createCallsSlice: StateCreator<ConsoleState, [], [], CallsSlice> = (set) => ({
  calls: new Map(),
  callsVersion: 0,
  callsSnapshotLoaded: (list) => set((s) => ({ calls: new Map(list.map((c) => [c.callId, c])), callsVersion: s.callsVersion + 1 })),
  callsChanged: ({ calls }) =>
    set((s) => {
      // Keep the previous object for an unchanged call so its row does not re-render.
      const next = new Map<string, ActiveCall>();
      for (const c of calls) {
        const prev = s.calls.get(c.callId);
        next.set(c.callId, prev && sameCall(prev, c) ? prev : c);
      }
      return { calls: next, callsVersion: s.callsVersion + 1, activeCalls: calls.length };
    }),
});

function sameCall(a: ActiveCall, b: ActiveCall): boolean {
  return a.state === b.state && a.roomId === b.roomId && a.answeredAt === b.answeredAt && a.startedAt === b.startedAt;
}

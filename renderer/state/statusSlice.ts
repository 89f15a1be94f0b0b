import type { StateCreator } from 'zustand';
import type { ComponentName, ComponentStatus } from '../../shared/status';
import type { ConsoleState } from './store';

/** Live component states: a snapshot on connect, then `status:changed` events. */
export interface StatusSlice {
  components: Partial<Record<ComponentName, ComponentStatus>>;
  statusSnapshotLoaded(list: ComponentStatus[]): void;
  componentStatusChanged(status: ComponentStatus): void;
}

export const createStatusSlice: StateCreator<ConsoleState, [], [], StatusSlice> = (set) => ({
  components: {},
  statusSnapshotLoaded: (list) => set({ components: Object.fromEntries(list.map((s) => [s.component, s])) }),
  componentStatusChanged: (status) =>
    set((state) => {
      const prev = state.components[status.component];
      // Events can race the snapshot; keep the newest.
      if (prev && prev.since > status.since) return {};
      return { components: { ...state.components, [status.component]: status } };
    }),
});

import type { StateCreator } from 'zustand';
import type { BanEntry, ConsoleEvents } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

/** Active bans by userId; `bans:changed` carries the whole set. */
export interface BansSlice {
  bans: Map<number, BanEntry>;
  bansVersion: number;
  bansSnapshotLoaded(list: BanEntry[]): void;
  bansChanged(change: ConsoleEvents['bans:changed']): void;
}

export const createBansSlice: StateCreator<ConsoleState, [], [], BansSlice> = (set) => ({
  bans: new Map(),
  bansVersion: 0,
  bansSnapshotLoaded: (list) => set((s) => ({ bans: new Map(list.map((b) => [b.userId, b])), bansVersion: s.bansVersion + 1 })),
  bansChanged: ({ bans }) => set((s) => ({ bans: new Map(bans.map((b) => [b.userId, b])), bansVersion: s.bansVersion + 1 })),
});

import type { StateCreator } from 'zustand';
import type { MicStateView } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

/** Mic seats and queue per room, replaced per room on `mic:changed` (O(1) per event). */
export interface MicsSlice {
  mics: Map<number, MicStateView>;
  micsVersion: number;
  micChanged(view: MicStateView): void;
}

export const createMicsSlice: StateCreator<ConsoleState, [], [], MicsSlice> = (set) => ({
  mics: new Map(),
  micsVersion: 0,
  micChanged: (view) =>
    set((s) => {
      s.mics.set(view.roomId, view);
      return { micsVersion: s.micsVersion + 1 };
    }),
});

/** The queue with the item at `from` moved to `to` (both clamped); a new array. */
export function moveInQueue(queue: readonly number[], from: number, to: number): number[] {
  const next = queue.slice();
  if (from < 0 || from >= next.length) return next;
  const target = Math.max(0, Math.min(next.length - 1, to));
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item);
  return next;
}

/**
 * The console's one zustand store, built from slices. The main process is the source of truth;
 * the store is its projection (snapshot on connect, then event streams). Actions are named after
 * the events they apply.
 *
 * Shape: { components (status), operator/connection/client (session), page/language (ui) }
 */
import { create } from 'zustand';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createStatusSlice, type StatusSlice } from './statusSlice';
import { createUiSlice, type UiSlice } from './uiSlice';

export type ConsoleState = StatusSlice & SessionSlice & UiSlice;

export const useConsoleStore = create<ConsoleState>()((...a) => ({
  ...createStatusSlice(...a),
  ...createSessionSlice(...a),
  ...createUiSlice(...a),
}));

import type { StateCreator } from 'zustand';
import type { ConsoleEvents, RecordingEntry, RecordingPage, RecordingQuery } from '../../shared/ipc/contract';
import { readTickets, type CallError } from './detailRead';
import type { ConsoleState } from './store';

/**
 * Recordings in progress (by recordingId, from `recordings:changed`) and the page of finished
 * files the Recordings screen shows for its query. A finished recording bumps
 * `recordingsListVersion` so the open page re-queries once (an event, not a poll).
 */
export interface RecordingsSlice {
  activeRecordings: Map<string, RecordingEntry>;
  activeRecordingsVersion: number;
  recordingQuery: RecordingQuery;
  recordingPage: RecordingPage | null;
  recordingsListVersion: number;
  /** Why the last page read failed (null after a good one). */
  recordingPageError: CallError | null;
  recordingsChanged(change: ConsoleEvents['recordings:changed']): void;
  recordingQueryChanged(query: RecordingQuery): void;
  recordingPageLoaded(page: RecordingPage): void;
  recordingRenamed(entry: RecordingEntry): void;
  recordingDeleted(fileId: string): void;
  /** Reads the page for the current query (after the query changes or a recording finishes). */
  fetchRecordingPage(): Promise<void>;
}

export const createRecordingsSlice: StateCreator<ConsoleState, [], [], RecordingsSlice> = (set, get) => {
  // Per store (tests build several).
  const recordingPageTickets = readTickets();
  return {
    activeRecordings: new Map(),
    activeRecordingsVersion: 0,
    recordingQuery: { page: 1, pageSize: 20 },
    recordingPage: null,
    recordingsListVersion: 0,
    recordingPageError: null,
    recordingsChanged: ({ active, finished }) =>
      set((s) => ({
        activeRecordings: new Map(active.map((r) => [r.recordingId, r])),
        activeRecordingsVersion: s.activeRecordingsVersion + 1,
        ...(finished
          ? { recordingsListVersion: s.recordingsListVersion + 1, recordingsToday: s.recordingsToday + (finished.state === 'finished' ? 1 : 0) }
          : {}),
      })),
    recordingQueryChanged: (query) => set({ recordingQuery: query }),
    recordingPageLoaded: (page) => set({ recordingPage: page }),
    recordingRenamed: (entry) =>
      set((s) =>
        s.recordingPage ? { recordingPage: { ...s.recordingPage, items: s.recordingPage.items.map((r) => (r.fileId === entry.fileId ? entry : r)) } } : {},
      ),
    recordingDeleted: (fileId) =>
      set((s) =>
        s.recordingPage
          ? {
              recordingPage: {
                ...s.recordingPage,
                items: s.recordingPage.items.filter((r) => r.fileId !== fileId),
                total: Math.max(0, s.recordingPage.total - 1),
              },
              recordingsListVersion: s.recordingsListVersion + 1,
            }
          : {},
      ),
    fetchRecordingPage: async () => {
      const { client, recordingQuery } = get();
      if (!client) return;
      const ticket = recordingPageTickets.take();
      const r = await client.call('recordings:list', recordingQuery);
      if (!recordingPageTickets.isLatest(ticket)) return;
      set(r.ok ? { recordingPage: r.value, recordingPageError: null } : { recordingPageError: r.error });
    },
  };
};

export const RecordFlags = { video: 0x1, audio: 0x2, both: 0x3 } as const;

import type { StateCreator } from 'zustand';
import type { AuditEntry } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

/** Newest first; the console keeps at most this many entries in memory (older ones page in). */
export const AUDIT_KEEP = 2000;

/** Entries per `audit:list` read. */
export const AUDIT_PAGE = 100;

/**
 * The operator audit log: entries by id plus ids newest first. `audit:appended` touches one entry
 * and copies the bounded id list (≤ AUDIT_KEEP), never the whole history.
 */
export interface AuditSlice {
  audit: Map<number, AuditEntry>;
  auditIds: number[];
  auditHasMore: boolean;
  /** True while an older page is being read. */
  auditOlderLoading: boolean;
  auditLoaded(entries: AuditEntry[], older: boolean, pageSize: number): void;
  auditAppended(entry: AuditEntry): void;
  /** Reads the page before the oldest loaded entry. */
  fetchOlderAudit(): Promise<void>;
}

export const createAuditSlice: StateCreator<ConsoleState, [], [], AuditSlice> = (set, get) => ({
  audit: new Map(),
  auditIds: [],
  auditHasMore: true,
  auditOlderLoading: false,
  auditLoaded: (entries, older, pageSize) =>
    set((s) => {
      const audit = older ? s.audit : new Map<number, AuditEntry>();
      for (const e of entries) audit.set(e.id, e);
      const ids = [...audit.keys()].sort((a, b) => b - a);
      return { audit, auditIds: ids, auditHasMore: entries.length >= pageSize };
    }),
  auditAppended: (entry) =>
    set((s) => {
      if (s.audit.has(entry.id)) return {};
      s.audit.set(entry.id, entry);
      let ids = [entry.id, ...s.auditIds];
      if (ids.length > AUDIT_KEEP) {
        for (const id of ids.slice(AUDIT_KEEP)) s.audit.delete(id);
        ids = ids.slice(0, AUDIT_KEEP);
      }
      return { auditIds: ids };
    }),
  fetchOlderAudit: async () => {
    const { client, auditIds, auditOlderLoading } = get();
    const beforeId = auditIds.at(-1);
    if (!client || beforeId === undefined || auditOlderLoading) return;
    set({ auditOlderLoading: true });
    try {
      const r = await client.call('audit:list', { limit: AUDIT_PAGE, beforeId });
      if (r.ok) get().auditLoaded(r.value, true, AUDIT_PAGE);
    } finally {
      set({ auditOlderLoading: false });
    }
  },
});

import type { StateCreator } from 'zustand';
import type { ConsoleEvents, QueuesView } from '../../shared/ipc/contract';
import { coalescedRead } from './coalescedRead';
import type { ConsoleState } from './store';

export type QueueAgent = QueuesView['agents'][number];
export type QueueWithWaiting = QueuesView['queues'][number];
export type QueueArea = QueuesView['areas'][number];

/** Agent status as the server counts it (`queueAgentStatus`, 601). */
export const agentStatusNames = { 0: 'notReady', 1: 'idle', 2: 'busy', 3: 'away' } as const;
export type AgentStatusName = (typeof agentStatusNames)[keyof typeof agentStatusNames] | 'unknown';

export function agentStatusName(status: number): AgentStatusName {
  return (agentStatusNames as Record<number, AgentStatusName>)[status] ?? 'unknown';
}

/**
 * Smart-queue state: areas with counts, queues with waiting customers, agents, skills, queue
 * groups. Snapshot on connect; every `queues:changed` re-reads it (coalesced). Agents and queues
 * are kept by id and a row keeps its object while its content is unchanged, so a status change
 * re-renders one agent row, not the table.
 */
export interface QueuesSlice {
  queuesLoaded: boolean;
  queueAreas: QueueArea[];
  queueList: Map<string, QueueWithWaiting>;
  queueAgents: Map<number, QueueAgent>;
  queueSkills: QueuesView['skills'];
  queueGroups: QueuesView['queueGroups'];
  queueUserObjects: QueuesView['userObjects'];
  queuesVersion: number;
  queuesSnapshotLoaded(view: QueuesView): void;
  /** Queue state changed: re-read (resolves when the re-read is done). */
  queuesChanged(change: ConsoleEvents['queues:changed']): Promise<void>;
}

/** Structural equality of two plain JSON values (small objects: rows of the snapshot). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function keepUnchanged<K, V>(prev: Map<K, V>, list: V[], key: (v: V) => K): Map<K, V> {
  const next = new Map<K, V>();
  for (const v of list) {
    const old = prev.get(key(v));
    next.set(key(v), old !== undefined && sameJson(old, v) ? old : v);
  }
  return next;
}

function keepArray<T>(prev: T[], next: T[]): T[] {
  return sameJson(prev, next) ? prev : next;
}

export const createQueuesSlice: StateCreator<ConsoleState, [], [], QueuesSlice> = (set, get) => {
  const reread = coalescedRead(async () => {
    const client = get().client;
    if (!client) return;
    const r = await client.call('queues:snapshot', {});
    if (r.ok) get().queuesSnapshotLoaded(r.value);
  });
  return {
    queuesLoaded: false,
    queueAreas: [],
    queueList: new Map(),
    queueAgents: new Map(),
    queueSkills: [],
    queueGroups: [],
    queueUserObjects: [],
    queuesVersion: 0,
    queuesSnapshotLoaded: (view) =>
      set((s) => ({
        queuesLoaded: true,
        queueAreas: keepArray(s.queueAreas, view.areas),
        queueList: keepUnchanged(s.queueList, view.queues, (q) => q.objectguid),
        queueAgents: keepUnchanged(s.queueAgents, view.agents, (a) => a.userId),
        queueSkills: keepArray(s.queueSkills, view.skills),
        queueGroups: keepArray(s.queueGroups, view.queueGroups),
        queueUserObjects: keepArray(s.queueUserObjects, view.userObjects),
        queuesVersion: s.queuesVersion + 1,
      })),
    queuesChanged: () => reread.request(),
  };
};

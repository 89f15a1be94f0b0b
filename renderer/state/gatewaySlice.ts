import type { StateCreator } from 'zustand';
import type { ConsoleEvents, DeliveryLogView, GatewayOverview, OutboxEntryView } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { ConsoleClient } from '../api/consoleClient';
import { coalescedRead } from './coalescedRead';
import type { ConsoleState } from './store';

/** How many dead notices / delivery-log rows the screen reads. */
const DEAD_LIMIT = 200;
const DELIVERY_LOG_LIMIT = 200;

/** What the Gateway screen shows, read in one go (`gateway:changed` says only "re-read"). */
export interface GatewaySnapshot {
  overview: GatewayOverview;
  dead: OutboxEntryView[];
  /** Newest first. */
  log: DeliveryLogView[];
  /** The app filter the log was read with (null = every app). */
  logAppId: string | null;
  /** When it was read (epoch ms): ages like `oldestPendingMs` are relative to this. */
  readAt: number;
}

/** Reads overview, dead notices and the delivery log in parallel; the first failure is returned. */
export async function readGatewaySnapshot(client: ConsoleClient, logAppId: string | null, now: () => number = Date.now): Promise<Result<GatewaySnapshot>> {
  const appFilter = logAppId === null ? {} : { appId: logAppId };
  const [overview, dead, log] = await Promise.all([
    client.call('gateway:overview', {}),
    client.call('gateway:outbox', { state: 'dead', limit: DEAD_LIMIT }),
    client.call('gateway:deliveryLog', { ...appFilter, limit: DELIVERY_LOG_LIMIT }),
  ]);
  if (!overview.ok) return overview;
  if (!dead.ok) return dead;
  if (!log.ok) return log;
  const newestFirst = [...log.value].sort((a, b) => b.at - a.at || b.id - a.id);
  return { ok: true, value: { overview: overview.value, dead: dead.value, log: newestFirst, logAppId, readAt: now() } };
}

/**
 * Gateway apps, outbox depth, dead notices, delivery log and request counters. Snapshot on
 * connect; every `gateway:changed` re-reads it (coalesced: one read in flight plus one pending).
 */
export interface GatewaySlice {
  gateway: GatewaySnapshot | null;
  /** App filter of the delivery log (null = all apps). */
  deliveryLogAppId: string | null;
  gatewaySnapshotLoaded(snapshot: GatewaySnapshot): void;
  /** The outbox of an app changed: re-read (resolves when the re-read is done). */
  gatewayChanged(change: ConsoleEvents['gateway:changed']): Promise<void>;
  deliveryLogFiltered(appId: string | null): Promise<void>;
}

export const createGatewaySlice: StateCreator<ConsoleState, [], [], GatewaySlice> = (set, get) => {
  const reread = coalescedRead(async () => {
    const client = get().client;
    if (!client) return;
    const r = await readGatewaySnapshot(client, get().deliveryLogAppId);
    if (r.ok) get().gatewaySnapshotLoaded(r.value);
  });
  return {
    gateway: null,
    deliveryLogAppId: null,
    gatewaySnapshotLoaded: (snapshot) =>
      set((s) => {
        // A read that raced a filter change keeps the log on screen; the pending re-read brings the right one.
        if (s.gateway && snapshot.logAppId !== s.deliveryLogAppId) return { gateway: { ...snapshot, log: s.gateway.log, logAppId: s.gateway.logAppId } };
        return { gateway: snapshot };
      }),
    gatewayChanged: () => reread.request(),
    deliveryLogFiltered: (appId) => {
      set({ deliveryLogAppId: appId });
      return reread.request();
    },
  };
};

/**
 * Connects the store to the main process: picks the transport (preload or web socket), loads
 * snapshots, then keeps the store live from event streams. Never polls.
 *
 * Order: subscribe to every event first and hold what arrives, load every snapshot, then apply the
 * held events — so nothing falls between snapshot and stream. Events are applied in batches of one
 * animation frame (app/eventBatcher.ts).
 */
import type { ConsoleEvents, EventName } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import { hasPreload, preloadClient, webSocketClient, type ConsoleClient } from '../api/consoleClient';
import { currentSession } from '../api/webSession';
import { AUDIT_PAGE } from '../state/auditSlice';
import { readGatewaySnapshot } from '../state/gatewaySlice';
import { useConsoleStore, type ConsoleState } from '../state/store';
import { createEventBatcher, type EventBatcher } from './eventBatcher';

let unsubscribe: (() => void)[] = [];
let batcher: EventBatcher | null = null;

/** Which store action applies which event stream (actions are named after their events). */
// 'alerts:raised' is followed by the bell itself (screens/Alerts), not the store.
// 'rooms:chat' is followed by the open room's chat panel (screens/Rooms/RoomChat.tsx).
const eventActions: { [E in Exclude<EventName, 'preview:producers' | 'alerts:raised' | 'rooms:chat'>]: (s: ConsoleState, p: ConsoleEvents[E]) => void } = {
  'status:changed': (s, p) => s.componentStatusChanged(p),
  'users:changed': (s, p) => s.usersChanged(p),
  'rooms:changed': (s, p) => s.roomsChanged(p),
  'rooms:members': (s, p) => s.roomsMembers(p),
  'mic:changed': (s, p) => s.micChanged(p),
  'calls:changed': (s, p) => s.callsChanged(p),
  'recordings:changed': (s, p) => s.recordingsChanged(p),
  'bans:changed': (s, p) => s.bansChanged(p),
  'audit:appended': (s, p) => s.auditAppended(p),
  'stats:tick': (s, p) => s.statsTick(p),
  // These two carry no data: their actions re-read the snapshot (coalesced in the slice).
  'gateway:changed': (s, p) => void s.gatewayChanged(p),
  'queues:changed': (s, p) => void s.queuesChanged(p),
  'operators:changed': (s, p) => s.operatorsChanged(p),
};

/** The snapshot domain each event stream belongs to (held until that snapshot is loaded). */
const eventDomain: Record<keyof typeof eventActions, SnapshotDomain> = {
  'status:changed': 'status',
  'users:changed': 'users',
  'rooms:changed': 'rooms',
  'rooms:members': 'rooms',
  'mic:changed': 'rooms',
  'calls:changed': 'calls',
  'recordings:changed': 'dashboard',
  'bans:changed': 'bans',
  'audit:appended': 'audit',
  'stats:tick': 'dashboard',
  'gateway:changed': 'gateway',
  'queues:changed': 'queues',
  'operators:changed': 'status',
};

type SnapshotDomain = 'status' | 'dashboard' | 'rooms' | 'users' | 'calls' | 'bans' | 'audit' | 'gateway' | 'queues';

async function attachClient(client: ConsoleClient, operator: string): Promise<void> {
  unsubscribe.forEach((u) => u());
  batcher?.close();
  const events = createEventBatcher();
  batcher = events;
  const domains: SnapshotDomain[] = ['status', 'dashboard', 'rooms', 'users', 'calls', 'bans', 'audit', 'gateway', 'queues'];
  domains.forEach((d) => events.hold(d));
  unsubscribe = [
    // Subscribe before taking the snapshots so no change falls between the two.
    ...(Object.keys(eventActions) as (keyof typeof eventActions)[]).map((name) =>
      client.on(name, (payload) =>
        events.push(eventDomain[name], () => (eventActions[name] as (s: ConsoleState, p: unknown) => void)(useConsoleStore.getState(), payload)),
      ),
    ),
    client.onDisconnect((reason) => {
      useConsoleStore.getState().connectionLost(reason);
      // The web console retries on its own (the host may be restarting); Electron's preload cannot drop.
      if (client.shell === 'web') scheduleReconnect(0);
    }),
    () => events.close(),
  ];
  useConsoleStore.getState().sessionStarted(operator, client);
  const info = await client.call('app:info', {});
  if (info.ok) useConsoleStore.getState().roleLoaded(info.value.role);
  await loadSnapshots(client, (domain) => events.release(domain));
  void useConsoleStore.getState().operatorsChanged();
}

let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

/** Backoff between reconnect attempts: 1 s, 2 s, 4 s, 8 s, then every 10 s, each ±20 %. */
function reconnectDelayMs(attempt: number): number {
  const base = Math.min(10_000, 1000 * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

function scheduleReconnect(attempt: number): void {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  const delay = reconnectDelayMs(attempt);
  useConsoleStore.getState().reconnectScheduled(Date.now() + delay, attempt);
  reconnectTimer = setTimeout(() => {
    reconnectTimer = null;
    void reconnectOnce(attempt);
  }, delay);
}

/**
 * One attempt: the session must still be valid (sessions survive a host restart), then a new
 * socket, and every snapshot is read again so the console shows the host's state after the gap.
 */
async function reconnectOnce(attempt: number): Promise<void> {
  if (useConsoleStore.getState().connection !== 'lost') return;
  let operator: string | null;
  try {
    operator = await currentSession();
  } catch {
    scheduleReconnect(attempt + 1); // host still down
    return;
  }
  if (useConsoleStore.getState().connection !== 'lost') return;
  if (!operator) {
    detachClient(); // the session ended (signed out elsewhere, expired, disabled): sign in again
    return;
  }
  try {
    await attachClient(await webSocketClient(), operator);
  } catch {
    scheduleReconnect(attempt + 1);
  }
}

/** Retry now (the banner's button); resets the backoff. */
export function reconnectNow(): void {
  if (useConsoleStore.getState().connection !== 'lost') return;
  if (reconnectTimer) clearTimeout(reconnectTimer);
  reconnectTimer = null;
  useConsoleStore.getState().reconnectScheduled(Date.now(), 0);
  void reconnectOnce(0);
}

/**
 * Every slice's snapshot, in parallel; each domain's held events are released as soon as its
 * snapshot is applied. A failed snapshot leaves its slice to its events.
 */
async function loadSnapshots(client: ConsoleClient, loaded: (domain: SnapshotDomain) => void = () => undefined): Promise<void> {
  const s = () => useConsoleStore.getState();
  const load = async <T>(domain: SnapshotDomain, call: Promise<Result<T>>, apply: (v: T) => void) => {
    const r = await call;
    if (r.ok) apply(r.value);
    loaded(domain);
  };
  await Promise.all([
    load('status', client.call('status:snapshot', {}), (v) => s().statusSnapshotLoaded(v)),
    load('dashboard', client.call('dashboard:snapshot', {}), (v) => s().dashboardSnapshotLoaded(v)),
    load('rooms', client.call('rooms:list', {}), (v) => s().roomsSnapshotLoaded(v)),
    load('users', client.call('users:list', {}), (v) => s().usersSnapshotLoaded(v)),
    load('calls', client.call('calls:list', {}), (v) => s().callsSnapshotLoaded(v)),
    load('bans', client.call('bans:list', {}), (v) => s().bansSnapshotLoaded(v)),
    load('audit', client.call('audit:list', { limit: AUDIT_PAGE }), (v) => s().auditLoaded(v, false, AUDIT_PAGE)),
    load('gateway', readGatewaySnapshot(client, s().deliveryLogAppId), (v) => s().gatewaySnapshotLoaded(v)),
    load('queues', client.call('queues:snapshot', {}), (v) => s().queuesSnapshotLoaded(v)),
  ]);
  // Recordings already running at connect time, before the first `recordings:changed`.
  const active = await client.call('recordings:active', {});
  if (active.ok) s().recordingsChanged({ active: active.value });
}

/** On page load: Electron → connect at once; web → resume a cookie session if there is one. */
export async function connectOnLoad(): Promise<void> {
  if (hasPreload()) {
    const client = preloadClient(window.anychatConsole!);
    const info = await client.call('app:info', {});
    await attachClient(client, info.ok ? (info.value.operator ?? 'local') : 'local');
    return;
  }
  const operator = await currentSession();
  if (operator) await connectWeb(operator);
}

export async function connectWeb(operator: string): Promise<void> {
  useConsoleStore.setState({ connection: 'connecting' });
  const client = await webSocketClient();
  await attachClient(client, operator);
}

export function detachClient(): void {
  if (reconnectTimer) clearTimeout(reconnectTimer);
  reconnectTimer = null;
  unsubscribe.forEach((u) => u());
  unsubscribe = [];
  batcher = null;
  useConsoleStore.getState().client?.close();
  useConsoleStore.getState().signedOut();
}

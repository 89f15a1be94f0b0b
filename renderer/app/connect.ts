/**
 * Connects the store to the main process: picks the transport (preload or web socket), loads
 * snapshots, then keeps the store live from event streams. Never polls.
 */
import { hasPreload, preloadClient, webSocketClient, type ConsoleClient } from '../api/consoleClient';
import { currentSession } from '../api/webSession';
import { useConsoleStore } from '../state/store';

let unsubscribe: (() => void)[] = [];

export async function attachClient(client: ConsoleClient, operator: string): Promise<void> {
  const store = useConsoleStore.getState();
  unsubscribe.forEach((u) => u());
  unsubscribe = [
    // Subscribe before taking the snapshot so no change falls between the two.
    client.on('status:changed', (s) => useConsoleStore.getState().componentStatusChanged(s)),
    client.onDisconnect((reason) => useConsoleStore.getState().connectionLost(reason)),
  ];
  store.sessionStarted(operator, client);
  const snapshot = await client.call('status:snapshot', {});
  if (snapshot.ok) useConsoleStore.getState().statusSnapshotLoaded(snapshot.value);
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
  unsubscribe.forEach((u) => u());
  unsubscribe = [];
  useConsoleStore.getState().client?.close();
  useConsoleStore.getState().signedOut();
}

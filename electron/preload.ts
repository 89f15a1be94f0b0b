/**
 * The preload: exposes exactly the console contract on `window.anychatConsole` — one method per
 * call and `on` for the declared event streams. No generic ipcRenderer passthrough.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames, type EventName, type PreloadApi } from '../shared/ipc/contract';

const api: Record<string, unknown> = {};
for (const name of callNames) {
  api[name] = (args: unknown) => ipcRenderer.invoke(name, args ?? {});
}
api.on = (event: EventName, listener: (payload: unknown) => void) => {
  if (!(eventNames as readonly string[]).includes(event)) throw new Error(`unknown event ${String(event)}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => ipcRenderer.removeListener(event, wrapped);
};

contextBridge.exposeInMainWorld('anychatConsole', api as PreloadApi);

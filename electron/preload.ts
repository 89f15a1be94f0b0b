/**
 * The preload: exposes exactly the console contract on `window.anychatConsole` — one method per
 * call, `on` for the declared event streams and `onShell` for the desktop shell's own events
 * (menu navigation). No generic ipcRenderer passthrough.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { callNames, eventNames, shellEventNames, type EventName, type PreloadApi, type ShellEventName } from '../shared/ipc/contract';

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

api.onShell = (event: ShellEventName, listener: (payload: unknown) => void) => {
  if (!(shellEventNames as readonly string[]).includes(event)) throw new Error(`unknown shell event ${String(event)}`);
  const wrapped = (_e: unknown, payload: unknown) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => ipcRenderer.removeListener(event, wrapped);
};

contextBridge.exposeInMainWorld('anychatConsole', api as PreloadApi);

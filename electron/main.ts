/**
 * The Electron shell: one window on the same core the headless host runs. Security defaults:
 * context isolation, sandboxed renderer, no Node integration, a strict CSP, navigation and new
 * windows blocked, every IPC handler checks its sender frame. Single instance; graceful shutdown.
 */
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { callNames, eventNames } from '../shared/ipc/contract';
import { ConfigError } from './config/loadConfig';
import { bootstrap, type RunningApp } from './core/bootstrap';
import { CONTENT_SECURITY_POLICY } from './http/staticFiles';
import { Codes } from '../shared/codes';

const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const rendererIndex = fileURLToPath(new URL('../renderer/index.html', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const rendererUrlPrefix = pathToFileURL(rendererDir).href;

let running: RunningApp | null = null;
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(rendererUrlPrefix)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!running) return;
    event.preventDefault();
    const r = running;
    running = null;
    void r.stop().finally(() => app.exit(0));
  });
}

async function start(): Promise<void> {
  try {
    running = await bootstrap({ argv: process.argv.slice(1), rendererDir });
  } catch (err) {
    const message = err instanceof ConfigError ? `Invalid configuration: ${err.message}` : `Failed to start: ${(err as Error).message}`;
    dialog.showErrorBox('AnyChat Console', message);
    app.exit(2);
    return;
  }
  process.stdout.write(`listening ${running.url}\n`);
  // The window is a file:// page; recordings play from the core's own HTTP port, so that one
  // origin is added to media-src and nothing else.
  const csp = CONTENT_SECURITY_POLICY.replace("media-src 'self' blob:", `media-src 'self' blob: ${running.url}`);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerIpc(running);
  createWindow();
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(rendererUrlPrefix);
}

function registerIpc(r: RunningApp): void {
  const operator = os.userInfo().username;
  for (const name of callNames) {
    ipcMain.handle(name, async (event, args: unknown) => {
      if (!isTrustedSender(event)) {
        r.logger.warn({ call: name, url: event.senderFrame?.url }, 'ipc call from an untrusted frame refused');
        return { ok: false, error: { code: Codes.FORBIDDEN, message: 'untrusted sender' } };
      }
      return r.service.call(name, args, { operator, shell: 'electron' });
    });
  }
  for (const event of eventNames) {
    r.service.events.on(event, (payload) => {
      if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
    });
  }
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'AnyChat Console',
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = null));
  void mainWindow.loadFile(rendererIndex);
}

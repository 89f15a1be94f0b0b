/**
 * The Electron shell: one window on the same core the headless host runs, and a tray icon that
 * keeps the platform serving when the window is closed. Security defaults: context isolation,
 * sandboxed renderer, no Node integration, the console served from `app://console` with a strict
 * CSP (never file://), navigation and new windows blocked, every IPC handler checks its sender
 * frame. Single instance; Quit asks first while rooms or calls are live, then stops gracefully.
 *
 * Files live under app.getPath('userData') unless --config / --data-dir say otherwise
 * (config/desktopPaths.ts). The pure decisions (paths, quit prompt, menus, window state,
 * alerts) live in electron/shell/ with their tests; this file wires them to Electron.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  screen,
  session,
  shell,
  Tray,
  type IpcMainInvokeEvent,
} from 'electron';
import { callNames, eventNames, type ConsoleScreen, type ShellEvents } from '../shared/ipc/contract';
import { ConfigError } from './config/loadConfig';
import { bootstrap, type RunningApp } from './core/bootstrap';
import { CONTENT_SECURITY_POLICY } from './http/staticFiles';
import { Codes } from '../shared/codes';
import { aboutDetail, appMenuTemplate } from './shell/appMenu';
import { APP_ORIGIN, appSchemePrivileges, CONSOLE_URL, desktopContentSecurityPolicy, serveAppProtocol } from './shell/appProtocol';
import { prepareDesktopInstall, type DesktopInstall } from './shell/desktopInstall';
import type { AlertRecord } from '../shared/ipc/observability';
import { DesktopNotifier, type DesktopNotice } from './shell/desktopNotifications';
import { liveCounts } from './shell/liveCounts';
import { quitConfirmation, type LiveCounts } from './shell/quitDecision';
import { trayMenuTemplate, trayTooltip } from './shell/trayMenu';
import { fitToDisplays, loadWindowState, MIN_HEIGHT, MIN_WIDTH, saveWindowState, stateFromBounds } from './shell/windowState';

const APP_NAME = 'AnyChat Console';
const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));
const isMac = process.platform === 'darwin';
/** Stop waiting for a graceful stop after this long and exit anyway. */
const STOP_TIMEOUT_MS = 15_000;

let running: RunningApp | null = null;
let install: DesktopInstall | null = null;
let mainWindow: BrowserWindow | null = null;
let tray: Tray | null = null;
let stopAlerts: (() => void) | null = null;
let counts: Pick<LiveCounts, 'rooms' | 'users' | 'calls'> = { rooms: 0, users: 0, calls: 0 };
/** Set once Quit is confirmed: window close and before-quit then let go. */
let quitting = false;
let quitPending: Promise<void> | null = null;
let toldAboutTray = false;

// Privileged schemes must be registered before the app is ready.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);
// Windows shows notifications only for an app with a user model id (the installer's appId).
if (process.platform === 'win32') app.setAppUserModelId('com.anychat.console');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  void app.whenReady().then(start);
  // Closing the window hides it to the tray; the platform keeps serving until Quit.
  app.on('window-all-closed', () => undefined);
  // macOS: clicking the dock icon reopens the console.
  app.on('activate', () => showWindow());
  // Every way of quitting (menu, tray, Cmd+Q, dock, OS logout) goes through the confirmation.
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    void requestQuit();
  });
}

async function start(): Promise<void> {
  try {
    install = prepareDesktopInstall({ userData: app.getPath('userData'), cwd: process.cwd(), argv: process.argv.slice(1) });
    running = await bootstrap({ argv: install.argv, rendererDir });
  } catch (err) {
    const message = err instanceof ConfigError ? `Invalid configuration: ${err.message}` : `Failed to start: ${(err as Error).message}`;
    dialog.showErrorBox(APP_NAME, `${message}${install ? `\n\nConfiguration: ${install.paths.configFile}` : ''}`);
    app.exit(2);
    return;
  }
  const r = running;
  r.logger.info({ userData: app.getPath('userData'), ...install.paths, firstRun: install.createdConfig }, 'desktop paths');
  process.stdout.write(`listening ${r.url}\n`);
  const csp = desktopContentSecurityPolicy(CONTENT_SECURITY_POLICY, r.url);
  serveAppProtocol(protocol, rendererDir, csp);
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  registerIpc(r);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenu()));
  createTray(r);
  startAlerts(r);
  createWindow();
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
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

function sendShell<E extends keyof ShellEvents>(event: E, payload: ShellEvents[E]): void {
  if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(event, payload);
}

// ---------------------------------------------------------------- window

function windowStateFile(): string {
  return path.join(app.getPath('userData'), 'window-state.json');
}

function iconPath(name: string): string {
  // Packaged: copied next to app.asar (electron-builder.yml extraResources); from source: build/.
  if (app.isPackaged) return path.join(process.resourcesPath, 'icons', name);
  return fileURLToPath(new URL(`../../build/${name.startsWith('tray') ? 'tray' : 'icons'}/${name}`, import.meta.url));
}

function createWindow(): void {
  const saved = fitToDisplays(
    loadWindowState(windowStateFile()),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: saved.width,
    height: saved.height,
    ...(saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    title: APP_NAME,
    icon: isMac ? undefined : iconPath('512x512.png'),
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
  mainWindow = win;
  if (saved.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());
  let saveTimer: NodeJS.Timeout | null = null;
  const remember = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return;
    try {
      saveWindowState(windowStateFile(), stateFromBounds(win.getNormalBounds(), win.isMaximized()));
    } catch (err) {
      running?.logger.warn({ err }, 'window state not saved');
    }
  };
  const rememberSoon = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(remember, 500);
  };
  win.on('resize', rememberSoon);
  win.on('move', rememberSoon);
  win.on('close', (event) => {
    remember();
    if (quitting) return;
    // Hide to the tray: clients, rooms, calls and recordings carry on.
    event.preventDefault();
    win.hide();
    if (!toldAboutTray && tray) {
      toldAboutTray = true;
      notify({ kind: 'hiddenToTray', title: `${APP_NAME} is still running`, body: 'Clients stay connected. Open the console or quit from the tray icon.' });
    }
  });
  win.on('closed', () => {
    if (saveTimer) clearTimeout(saveTimer);
    if (mainWindow === win) mainWindow = null;
  });
  void win.loadURL(CONSOLE_URL);
}

function showWindow(): void {
  if (quitting || !running) return;
  if (!mainWindow || mainWindow.isDestroyed()) createWindow();
  const win = mainWindow!;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function navigate(screenName: ConsoleScreen): void {
  showWindow();
  sendShell('shell:navigate', { screen: screenName });
}

// ---------------------------------------------------------------- menu, About, log

function appMenu() {
  return appMenuTemplate({
    appName: APP_NAME,
    isMac,
    isDevelopment: !app.isPackaged,
    navigate,
    showAbout,
    openLogFile: () => void openPath(install?.paths.logFile),
    showLogFolder: () => void openPath(install ? path.dirname(install.paths.logFile) : undefined),
    showDataFolder: () => void openPath(install?.paths.dataDir),
    quit: () => void requestQuit(),
  });
}

async function openPath(target: string | undefined): Promise<void> {
  if (!target) return;
  const error = await shell.openPath(target);
  if (error) dialog.showErrorBox(APP_NAME, `Cannot open ${target}: ${error}`);
}

function showAbout(): void {
  if (!running || !install) return;
  const detail = aboutDetail({
    version: app.getVersion(),
    electron: process.versions.electron,
    node: process.versions.node,
    url: running.url,
    dataDir: install.paths.dataDir,
    logFile: install.paths.logFile,
    configFile: install.paths.configFile,
  });
  const options = { type: 'info' as const, title: `About ${APP_NAME}`, message: APP_NAME, detail, buttons: ['OK', 'Open log file'], defaultId: 0, cancelId: 0 };
  const shown = mainWindow && mainWindow.isVisible() ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
  void shown.then(({ response }) => {
    if (response === 1) void openPath(install?.paths.logFile);
  });
}

// ---------------------------------------------------------------- tray

function createTray(r: RunningApp): void {
  const image = nativeImage.createFromPath(iconPath(isMac ? 'trayTemplate.png' : 'tray.png'));
  if (isMac) image.setTemplateImage(true);
  try {
    tray = new Tray(image);
  } catch (err) {
    // No tray on this desktop (e.g. GNOME without an AppIndicator extension): closing the window
    // still keeps serving; launching the app again shows the window (single instance).
    r.logger.warn({ err }, 'no system tray available');
    return;
  }
  tray.on('click', () => showWindow());
  refreshTray(r);
  r.service.events.on('stats:tick', (t) => {
    const next = { rooms: t.roomCount, users: t.usersOnline, calls: t.activeCalls };
    if (next.rooms === counts.rooms && next.users === counts.users && next.calls === counts.calls) return;
    counts = next;
    refreshTray(r);
  });
}

function refreshTray(r: RunningApp): void {
  if (!tray || tray.isDestroyed()) return;
  tray.setToolTip(trayTooltip(APP_NAME, r.url, counts));
  tray.setContextMenu(
    Menu.buildFromTemplate(trayMenuTemplate(counts, { openConsole: showWindow, quit: () => void requestQuit() }, { stopping: quitPending !== null })),
  );
}

// ---------------------------------------------------------------- notifications

function notify(alert: DesktopNotice): void {
  running?.logger.info({ alert: alert.kind, title: alert.title, body: alert.body }, 'desktop notification');
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: alert.title, body: alert.body, icon: isMac ? undefined : iconPath('256x256.png') });
  n.on('click', () => showWindow());
  n.show();
}

/** The core's alerts (the console's bell) also reach the desktop as native notifications. */
function startAlerts(r: RunningApp): void {
  const notifier = new DesktopNotifier(notify);
  const observability = r.core.components.observability;
  stopAlerts = observability.on('alert', (a: AlertRecord) => void notifier.onAlert(a));
}

// ---------------------------------------------------------------- quit

/** Quit: asks first with anything live, then stops the platform (clients are told) and exits. */
function requestQuit(): Promise<void> {
  quitPending ??= (async () => {
    const r = running;
    if (r) {
      const prompt = quitConfirmation(await liveCounts(r.service, os.userInfo().username));
      if (prompt) {
        showWindow();
        const options = {
          type: 'warning' as const,
          title: APP_NAME,
          message: prompt.message,
          detail: prompt.detail,
          buttons: prompt.buttons,
          defaultId: prompt.cancelIndex,
          cancelId: prompt.cancelIndex,
          noLink: true,
        };
        const { response } = mainWindow ? await dialog.showMessageBox(mainWindow, options) : await dialog.showMessageBox(options);
        if (response !== prompt.confirmIndex) {
          r.logger.info('quit cancelled by the operator');
          quitPending = null;
          return;
        }
      }
    }
    quitting = true;
    if (r) refreshTray(r);
    await stopAndExit();
  })();
  return quitPending;
}

async function stopAndExit(): Promise<void> {
  const r = running;
  running = null;
  stopAlerts?.();
  if (r) {
    r.logger.info('quitting: stopping the platform');
    const force = setTimeout(() => {
      r.logger.error('graceful stop timed out; exiting');
      app.exit(1);
    }, STOP_TIMEOUT_MS);
    try {
      // Signaling closes every client with 1001 "server shutting down" as it stops.
      await r.stop();
    } catch (err) {
      r.logger.error({ err }, 'unclean stop');
    } finally {
      clearTimeout(force);
    }
  }
  tray?.destroy();
  app.exit(0);
}

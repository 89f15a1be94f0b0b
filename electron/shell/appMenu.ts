/**
 * The application menu as a template (Menu.buildFromTemplate): standard roles for Edit, View
 * zoom and Window, a Go menu whose Ctrl/Cmd+1…9 pick the console screens, and Help → About and
 * the log file. Reload and the developer tools exist only in development. Pure: main.ts passes
 * the actions, the test reads the template.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { consoleScreens, type ConsoleScreen } from '../../shared/ipc/contract';

export interface AppMenuOptions {
  appName: string;
  isMac: boolean;
  isDevelopment: boolean;
  navigate(screen: ConsoleScreen): void;
  showAbout(): void;
  openLogFile(): void;
  showLogFolder(): void;
  showDataFolder(): void;
  quit(): void;
}

export const screenLabels: Record<ConsoleScreen, string> = {
  dashboard: 'Dashboard',
  rooms: 'Rooms',
  users: 'Users',
  recordings: 'Recordings',
  calls: 'Calls',
  gateway: 'Gateway',
  queues: 'Queues',
  history: 'History',
  audit: 'Audit log',
  operators: 'Operators',
};

export function appMenuTemplate(o: AppMenuOptions): MenuItemConstructorOptions[] {
  const about: MenuItemConstructorOptions = { label: `About ${o.appName}`, click: () => o.showAbout() };
  // Quit goes through the app's own confirmation (live rooms/calls), not the bare role.
  const quit: MenuItemConstructorOptions = { label: o.isMac ? `Quit ${o.appName}` : 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => o.quit() };
  const menus: MenuItemConstructorOptions[] = [];
  if (o.isMac) {
    menus.push({
      label: o.appName,
      submenu: [
        about,
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        quit,
      ],
    });
  } else {
    menus.push({ label: '&File', submenu: [{ role: 'close', label: 'Close window (keep serving)' }, { type: 'separator' }, quit] });
  }
  menus.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(o.isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  });
  const devItems: MenuItemConstructorOptions[] = o.isDevelopment
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  menus.push({
    label: '&View',
    submenu: [...devItems, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  });
  menus.push({
    label: '&Go',
    // Every screen is listed; the first nine get Ctrl/Cmd+1…9.
    submenu: consoleScreens.map((screen, i) => ({
      label: screenLabels[screen],
      ...(i < 9 ? { accelerator: `CmdOrCtrl+${i + 1}` } : {}),
      click: () => o.navigate(screen),
    })),
  });
  menus.push({
    label: '&Window',
    role: 'windowMenu',
    submenu: o.isMac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  });
  menus.push({
    label: '&Help',
    role: 'help',
    submenu: [
      ...(o.isMac ? [] : [about, { type: 'separator' } as const]),
      { label: 'Open log file', click: () => o.openLogFile() },
      { label: 'Show log folder', click: () => o.showLogFolder() },
      { label: 'Show data folder', click: () => o.showDataFolder() },
    ],
  });
  return menus;
}

/** The About box's text: version, where clients connect, where the data and the log are. */
export function aboutDetail(info: {
  version: string;
  electron: string;
  node: string;
  url: string;
  dataDir: string;
  logFile: string;
  configFile: string;
}): string {
  return [
    `Version ${info.version} (Electron ${info.electron}, Node ${info.node})`,
    `Listening on ${info.url}`,
    `Data directory: ${info.dataDir}`,
    `Log file: ${info.logFile}`,
    `Configuration: ${info.configFile}`,
  ].join('\n');
}

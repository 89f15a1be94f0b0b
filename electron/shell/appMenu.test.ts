import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { consoleScreens } from '../../shared/ipc/contract';
import { aboutDetail, appMenuTemplate, type AppMenuOptions } from './appMenu';

function options(over: Partial<AppMenuOptions> = {}): AppMenuOptions & { calls: string[] } {
  const calls: string[] = [];
  return {
    appName: 'AnyChat Console',
    isMac: false,
    isDevelopment: false,
    navigate: (s) => calls.push(`navigate:${s}`),
    showAbout: () => calls.push('about'),
    openLogFile: () => calls.push('log'),
    showLogFolder: () => calls.push('logFolder'),
    showDataFolder: () => calls.push('dataFolder'),
    quit: () => calls.push('quit'),
    calls,
    ...over,
  };
}

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu as MenuItemConstructorOptions[]) : [])]);
}
const click = (i: MenuItemConstructorOptions) => (i.click as unknown as () => void)();

describe('application menu', () => {
  it('has the standard Edit, View zoom and Window roles', () => {
    const roles = flatten(appMenuTemplate(options())).map((i) => i.role);
    for (const role of ['copy', 'paste', 'cut', 'selectAll', 'undo', 'zoomIn', 'zoomOut', 'resetZoom', 'minimize', 'windowMenu']) expect(roles).toContain(role);
  });

  it('offers reload and devtools only in development', () => {
    const prod = flatten(appMenuTemplate(options())).map((i) => i.role);
    expect(prod).not.toContain('reload');
    expect(prod).not.toContain('forceReload');
    expect(prod).not.toContain('toggleDevTools');
    const dev = flatten(appMenuTemplate(options({ isDevelopment: true }))).map((i) => i.role);
    expect(dev).toContain('reload');
    expect(dev).toContain('toggleDevTools');
  });

  it('Ctrl/Cmd+1… pick the console screens in nav order', () => {
    const o = options();
    const go = flatten(appMenuTemplate(o)).filter((i) => /^CmdOrCtrl\+\d$/.test(String(i.accelerator)));
    const firstNine = consoleScreens.slice(0, 9);
    expect(go.map((i) => i.accelerator)).toEqual(firstNine.map((_, n) => `CmdOrCtrl+${n + 1}`));
    go.forEach(click);
    expect(o.calls).toEqual(firstNine.map((s) => `navigate:${s}`));
  });

  it('Help has About and the log file; Quit goes through the app (confirmation), not the bare role', () => {
    for (const isMac of [false, true]) {
      const o = options({ isMac });
      const items = flatten(appMenuTemplate(o));
      expect(items.map((i) => i.role)).not.toContain('quit');
      items.filter((i) => /^About|^Open log file$|^Quit/.test(i.label ?? '')).forEach(click);
      expect(o.calls.sort()).toEqual(['about', 'log', 'quit']);
      expect(items.find((i) => /^Quit/.test(i.label ?? ''))!.accelerator).toBe('CmdOrCtrl+Q');
    }
  });

  it('About names version, URL, data dir and log file', () => {
    const text = aboutDetail({
      version: '0.1.0',
      electron: '45.4.0',
      node: '22.20.0',
      url: 'http://127.0.0.1:8600',
      dataDir: '/u/data',
      logFile: '/u/data/logs/anychat-console.log',
      configFile: '/u/config.json',
    });
    expect(text).toContain('Version 0.1.0');
    expect(text).toContain('http://127.0.0.1:8600');
    expect(text).toContain('/u/data');
    expect(text).toContain('/u/data/logs/anychat-console.log');
  });
});

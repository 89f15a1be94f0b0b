/**
 * The tray's context menu: Open console, the live counts (a disabled line, refreshed from the
 * once-a-second stats tick), Quit. Pure template; main.ts builds the Tray around it.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { trayCountsLabel, type LiveCounts } from './quitDecision';

export function trayMenuTemplate(
  counts: Pick<LiveCounts, 'rooms' | 'users' | 'calls'>,
  actions: { openConsole(): void; quit(): void },
  state: { stopping: boolean } = { stopping: false },
): MenuItemConstructorOptions[] {
  return [
    { label: 'Open console', click: () => actions.openConsole(), enabled: !state.stopping },
    { type: 'separator' },
    { label: state.stopping ? 'Stopping…' : trayCountsLabel(counts), enabled: false },
    { type: 'separator' },
    { label: 'Quit', click: () => actions.quit(), enabled: !state.stopping },
  ];
}

export function trayTooltip(appName: string, url: string, counts: Pick<LiveCounts, 'rooms' | 'users' | 'calls'>): string {
  return `${appName} — serving ${url}\n${trayCountsLabel(counts)}`;
}

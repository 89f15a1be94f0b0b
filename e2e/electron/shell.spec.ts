/**
 * The Electron shell itself (`_electron.launch`). Runs only where the Electron runtime is
 * installed and a display exists; otherwise each test reports itself skipped with the reason.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { _electron as electron, expect, test } from '@playwright/test';
import { componentNames } from '../../shared/status';

const require = createRequire(import.meta.url);

function electronRuntime(): { binary: string | null; reason: string } {
  try {
    const binary = require('electron') as unknown;
    if (typeof binary === 'string' && existsSync(binary)) {
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
        return { binary: null, reason: 'no display (set DISPLAY, e.g. under xvfb-run) for the Electron window' };
      }
      return { binary, reason: '' };
    }
    return { binary: null, reason: 'Electron runtime binary is missing (its download is not reachable here)' };
  } catch (err) {
    return { binary: null, reason: `Electron runtime is not installed: ${(err as Error).message.split('\n')[0]}` };
  }
}

const runtime = electronRuntime();

test.describe('Electron shell', () => {
  test.skip(runtime.binary === null, runtime.reason);

  test('window opens with the hardened preload and shows live component status', async () => {
    const app = await electron.launch({ executablePath: runtime.binary!, args: ['.', '--port', '0', '--data-dir', `${process.env.TMPDIR ?? '/tmp'}/anychat-electron-e2e`] });
    const win = await app.firstWindow();
    // No Node in the page, and only the contract's API on the bridge.
    const page = await win.evaluate(() => {
      const g = globalThis as unknown as { require?: unknown; process?: unknown; anychatConsole?: Record<string, unknown> };
      return { require: typeof g.require, process: typeof g.process, api: Object.keys(g.anychatConsole ?? {}).sort() };
    });
    expect(page.require).toBe('undefined');
    expect(page.process).toBe('undefined');
    expect(page.api).toContain('status:snapshot');
    for (const name of componentNames) await expect(win.getByTestId(`status-${name}`)).toBeVisible();
    await app.close();
  });
});

/**
 * `npm start` on a machine without the Electron runtime: one clear line saying so, then the
 * headless host serves the console.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { defaultHostConfig } from '../fixtures/host';

test('npm start falls back to the headless host when Electron cannot run', async ({ page }) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-start-'));
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify(defaultHostConfig()));
  // No DISPLAY: even where the runtime exists, a window cannot open here, so the fallback must run.
  const env = { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' };
  const proc = spawn('npm', ['start', '--', '--config', config, '--data-dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in 120 s:\n${out}`)), 120_000);
      proc.stdout!.on('data', () => {
        const m = /^listening (http:\/\/\S+)$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    const notice = out.split('\n').filter((l) => l.startsWith('Electron cannot start here'));
    expect(notice).toHaveLength(1);
    expect(notice[0]).toMatch(/starting the headless host instead/);
    await page.goto(url);
    await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
  } finally {
    if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
  }
});

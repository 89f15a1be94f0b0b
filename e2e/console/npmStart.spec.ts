/**
 * `npm start` on a machine without the Electron runtime: one clear line saying so, then the
 * headless host serves the console.
 */
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
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
    const lines = out.split('\n');
    const notice = lines.filter((l) => l.startsWith('Electron cannot start here'));
    expect(notice).toHaveLength(1);
    // Regression: no download noise or stack traces before that one line (it once printed two
    // "TypeError: fetch failed" traces from the Electron package's implicit download).
    const before = lines.slice(0, lines.indexOf(notice[0]));
    expect(before.filter((l) => /TypeError|fetch failed|Downloading Electron|^\s+at /.test(l))).toEqual([]);
    expect(notice[0]).toMatch(/starting the headless host instead/);
    await page.goto(url);
    await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
  } finally {
    if (proc.pid) process.kill(-proc.pid, 'SIGTERM');
  }
});

test('a port already in use gives one line with the fix, not a stack', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-inuse-'));
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify(defaultHostConfig({ listen: { host: '127.0.0.1', port } })));
    const run = spawnSync(process.execPath, ['out/main/host.js', '--config', config, '--data-dir', dir], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter(Boolean);
    expect(lines).toEqual([expect.stringMatching(new RegExp(`127\\.0\\.0\\.1:${port} is already in use.*--port N`))]);
    expect(run.stderr).not.toMatch(/EADDRINUSE|^\s+at /m);
  } finally {
    blocker.close();
  }
});

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, LOG_FILE_NAME } from './logger';
import { fileURLToPath } from 'node:url';

/** Needs user+mount namespaces (unshare -rm) to mount a tiny tmpfs. */
const canMountTmpfs = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs /mnt'], { timeout: 5000 }).status === 0;

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'anychat-log-'));

describe('log file', () => {
  it('is created mode 0600 and rotated by size, keeping maxFiles rotated files', async () => {
    const dataDir = tmp();
    const { logger, flush } = createLogger({ dataDir, level: 'info', stdout: false, maxSizeMb: 0.05, maxFiles: 2 });
    const pad = 'x'.repeat(400);
    for (let i = 0; i < 800; i++) {
      logger.info({ i, pad }, 'line');
      if (i % 100 === 0) await new Promise((r) => setTimeout(r, 20));
    }
    await flush();
    const dir = path.join(dataDir, 'logs');
    const files = readdirSync(dir).filter((f) => f.endsWith(LOG_FILE_NAME) && f !== LOG_FILE_NAME);
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.length).toBeLessThanOrEqual(2);
    for (const f of [LOG_FILE_NAME, ...files]) {
      expect(statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
      expect(statSync(path.join(dir, f)).size).toBeLessThan(80 * 1024);
    }
    expect(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8')).toContain('"i":799');
  });

  it.skipIf(!canMountTmpfs)(
    'on a full disk (ENOSPC) the host drops lines, says so once, and still stops on SIGTERM',
    async () => {
      const mnt = tmp();
      const script = fileURLToPath(new URL('./testing/fullDiskChild.ts', import.meta.url));
      // A private mount namespace with a 256 KiB tmpfs: real ENOSPC, nothing mounted on the host.
      const child = spawn(
        'unshare',
        ['-rm', 'sh', '-c', `mount -t tmpfs -o size=256k tmpfs "$1" && exec "$2" --import tsx "$3" "$1"`, 'sh', mnt, process.execPath, script],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const deadline = Date.now() + 20_000;
      while (!/ENOSPC/.test(err) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      expect(err).toMatch(/cannot be written \(ENOSPC\); dropping log lines/);
      await new Promise((r) => setTimeout(r, 1000)); // keep logging onto the full disk a while
      const t0 = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
      if (code === 'hung') child.kill('SIGKILL');
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(out).toMatch(/stopped after \d+ lines/);
      expect(err.match(/cannot be written/g)).toHaveLength(1);
    },
    40_000,
  );
});

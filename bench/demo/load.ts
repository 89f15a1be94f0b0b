/**
 * The bots as a load generator (electron/demo/bots/loadTest.ts, the engine of `npm run bots`)
 * against a fresh built host: N rooms × (K publishers + M viewers) for S seconds, printing the
 * bots' summary and the host's CPU over the run (the bots run in this process, so the host's
 * figure is the platform's own cost: signaling, SFU forwarding, SRTP).
 *
 *   npm run build && npx tsx bench/demo/load.ts [--rooms 2] [--publishers 2] [--viewers 4] [--seconds 20]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatSummary, runLoadTest } from '../../electron/demo/bots/loadTest';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const opts = { rooms: arg('rooms', 2), publishers: arg('publishers', 2), viewers: arg('viewers', 4), seconds: arg('seconds', 20) };
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
const cpuTicks = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
};

if (!existsSync('out/main/host.js')) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-bots-load-'));
const config = path.join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, log: { level: 'warn' }, media: { rtcMinPort: 48500, rtcMaxPort: 48999 } }));
const host = spawn(process.execPath, ['out/main/host.js', '--config', config, '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
host.stdout!.on('data', (d) => (out += d));

async function main(): Promise<void> {
  const t0 = Date.now();
  while (!/^listening /m.test(out)) {
    if (host.exitCode !== null || Date.now() - t0 > 30_000) throw new Error(`host did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /^listening (\S+)$/m.exec(out)![1]!.replace(/\/$/, '').replace(/^http/, 'ws') + '/ws';
  const before = cpuTicks(host.pid!);
  const at = performance.now();
  const summary = await runLoadTest({ url, ...opts, log: (l) => console.log(l) });
  const wall = (performance.now() - at) / 1000;
  const cpu = ((cpuTicks(host.pid!) - before) / ticksPerSecond / wall) * 100;
  console.log(formatSummary(summary));
  const streams = opts.rooms * opts.publishers * 2;
  const forwarded = opts.rooms * opts.publishers * opts.viewers * 2;
  console.log(
    `host CPU: ${cpu.toFixed(1)} % of one core over ${wall.toFixed(1)} s (set-up included) for ${streams} incoming and ${forwarded} outgoing streams; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  host.kill('SIGTERM');
  process.exit(summary.allViewersReceivedAll ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  host.kill('SIGTERM');
  process.exit(1);
});

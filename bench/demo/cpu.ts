/**
 * CPU of a demo install: starts the built headless host with `--demo` (own temp data dir), lets
 * the sample content come alive, then reads the host process's CPU time (utime + stime, every
 * thread: main, media workers, bots) from /proc/<pid>/stat over a window and prints the share of
 * one core. The goal (shared/docs/protocol.md §4) is under 25 %.
 *
 *   npm run build && npx tsx bench/demo/cpu.ts [--warmup 20] [--seconds 30]
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const warmup = arg('warmup', 20);
const seconds = arg('seconds', 30);
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

if (!existsSync('out/main/host.js')) {
  console.error('bench: build first (npm run build)');
  process.exit(2);
}
const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-demo-cpu-'));
const config = path.join(dir, 'config.json');
const OPERATOR = { username: 'bench', password: 'bench-demo-cpu' };
writeFileSync(
  config,
  JSON.stringify({
    listen: { host: '127.0.0.1', port: 0 },
    demo: true,
    operators: [OPERATOR],
    log: { level: 'warn' },
    media: { rtcMinPort: 48000, rtcMaxPort: 48499 },
  }),
);
const host = spawn(process.execPath, ['out/main/host.js', '--config', config, '--data-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
host.stdout!.on('data', (d) => (out += d));

function cpuTicks(pid: number): number {
  // Fields after the command name (which may contain spaces): utime is the 14th, stime the 15th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The console's media bitrate samples (one per second), to show the demo ran at full rate while measured. */
async function bitrateSamples(base: string): Promise<{ at: number; bitrate: number }[]> {
  const res = await fetch(`${base}/console/api/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OPERATOR) });
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/console/ws`, { headers: { cookie } });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const reply = new Promise<{ value?: { history?: { at: number; bitrate: number }[] } }>((resolve) =>
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { id?: number; value?: { history?: { at: number; bitrate: number }[] } };
      if (m.id === 1) resolve(m);
    }),
  );
  ws.send(JSON.stringify({ id: 1, call: 'dashboard:snapshot', args: {} }));
  const history = (await reply).value?.history ?? [];
  ws.close();
  return history;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  while (!/^listening /m.test(out)) {
    if (host.exitCode !== null || Date.now() - t0 > 30_000) throw new Error(`host did not start:\n${out}`);
    await sleep(100);
  }
  const pid = host.pid!;
  console.log(
    `demo host pid ${pid} ${/^listening .*$/m.exec(out)![0]}; warm-up ${warmup} s, then ${seconds} s measured (clock ${ticksPerSecond} ticks/s, ${os.availableParallelism()} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
  await sleep(warmup * 1000);
  const start = cpuTicks(pid);
  const startAt = performance.now();
  const perWindow: number[] = [];
  let last = start;
  for (let s = 0; s < seconds; s += 5) {
    await sleep(Math.min(5, seconds - s) * 1000);
    const now = cpuTicks(pid);
    perWindow.push(((now - last) / ticksPerSecond / Math.min(5, seconds - s)) * 100);
    last = now;
  }
  const wall = (performance.now() - startAt) / 1000;
  const base = /^listening (\S+)$/m.exec(out)![1]!.replace(/\/$/, '');
  const window = (await bitrateSamples(base)).slice(-seconds);
  const kbps = window.length ? window.reduce((s, p) => s + p.bitrate, 0) / window.length / 1000 : 0;
  const total = ((last - start) / ticksPerSecond / wall) * 100;
  console.log(`5 s windows (% of one core): ${perWindow.map((p) => p.toFixed(1)).join(' ')}`);
  console.log(
    `media through the node meanwhile: ${kbps.toFixed(0)} kbit/s on average (console samples; 6 publishing bots at full rate ≈ 1,300 kbit/s: 6 × ~200 video + ~16 audio)`,
  );
  console.log(
    `demo host CPU: ${total.toFixed(1)} % of one core over ${wall.toFixed(1)} s (goal < 25 %); RSS ${rssMb(pid).toFixed(0)} MB; load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const exited = new Promise<number | null>((r) => host.once('exit', (code) => r(code)));
  const stopAt = Date.now();
  host.kill('SIGTERM');
  console.log(`SIGTERM → exit ${await exited} in ${Date.now() - stopAt} ms`);
}

main().catch((err) => {
  console.error(err);
  host.kill('SIGTERM');
  process.exit(1);
});

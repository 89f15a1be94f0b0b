/**
 * What history costs the signaling path: the signaling bench (bench.ts) against the full
 * headless host with `history.enabled` false and true, side by side in one run, alternating the
 * order each round so machine drift hits both. Prints logins/s (each login writes a session and
 * a room join; each disconnect a session row) and text latency, then the overhead in percent.
 *
 *   npm run build && npx tsx bench/signaling/history.ts [--rounds 3] [--clients 2000] [--rate 500] [--seconds 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const num = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROUNDS = num('rounds', 3);
const CLIENTS = num('clients', 2000);
const RATE = num('rate', 500);
const SECONDS = num('seconds', 5);

interface Figures {
  loginsPerSecond: number;
  loginP50: number;
  loginP99: number;
  textP50: number;
  textP99: number;
  /** Server CPU (user + system) over the whole bench run, ms: robust to other load on the machine. */
  serverCpuMs: number;
}

/** utime + stime of a process in ms (Linux /proc). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ = 100
}

async function startHost(history: boolean): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-bench-history-'));
  const config = path.join(dir, 'config.json');
  const rtc = 44000 + Math.floor(Math.random() * 1500);
  writeFileSync(
    config,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      history: { enabled: history },
      media: { numWorkers: 1, rtcMinPort: rtc, rtcMaxPort: rtc + 100 },
      operators: [{ username: 'admin', password: 'bench-admin-pw' }],
      signaling: { maxRequestsPerSecond: 100_000 },
      rooms: { maxRoomUsers: 100_000 },
      log: { level: 'warn' },
    }),
  );
  const child = spawn(process.execPath, ['out/main/host.js', '--config', config, '--data-dir', dir], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace('http://', 'ws://') + '/ws');
    });
    child.on('exit', (code) => reject(new Error(`host exited ${code}: ${out}`)));
  });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function runBench(url: string, pid: number): Promise<Figures> {
  const cpu0 = cpuMs(pid);
  const f = await runBenchChild(url, pid);
  return { ...f, serverCpuMs: cpuMs(pid) - cpu0 };
}

function runBenchChild(url: string, pid: number): Promise<Omit<Figures, 'serverCpuMs'>> {
  const script = fileURLToPath(new URL('./bench.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script, '--clients', String(CLIENTS), '--rate', String(RATE), '--seconds', String(SECONDS)], {
    cwd: repo,
    env: { ...process.env, ANYCHAT_WS_URL: url, ANYCHAT_SERVER_PID: String(pid) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      const logins = /= (\d+) logins\/s.*login p50 ([\d.]+) ms p99 ([\d.]+) ms/.exec(out);
      const lat = /latency: p50 ([\d.]+) ms, p99 ([\d.]+) ms/.exec(out);
      if (code !== 0 || !logins || !lat) return reject(new Error(`bench failed (${code}):\n${out}`));
      resolve({
        loginsPerSecond: Number(logins[1]),
        loginP50: Number(logins[2]),
        loginP99: Number(logins[3]),
        textP50: Number(lat[1]),
        textP99: Number(lat[2]),
      });
    }),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * In-process, free of the machine's noise: CPU to store what one client's visit writes (a
 * session row, a join and a leave event), batched as the host batches (a flush per 250 logins).
 */
async function writeCostPerLoginUs(n = 20_000): Promise<number> {
  const { openDatabase, runMigrations } = await import('../../electron/store/Database');
  const { historyMigrations } = await import('../../electron/observability/historyMigrations');
  const { HistoryStore } = await import('../../electron/observability/HistoryStore');
  const db = openDatabase(mkdtempSync(path.join(os.tmpdir(), 'anychat-bench-hist-')));
  runMigrations(db, historyMigrations);
  const h = new HistoryStore(db, { retentionDays: 30, qualityRetentionHours: 24, flushMs: 3_600_000 });
  const t0 = process.cpuUsage();
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    h.addSession({
      userId: i + 1,
      userName: `guest${i}`,
      nickName: `guest${i}`,
      loginAt: now,
      logoutAt: now + 1000,
      reason: 0,
      address: '127.0.0.1',
      client: 'bench',
    });
    h.addEvent(1 + (i % 200), 'join', i + 1, 'interactive');
    h.addEvent(1 + (i % 200), 'leave', i + 1, '');
    if (i % 250 === 249) h.flush();
  }
  h.flush();
  const used = process.cpuUsage(t0);
  h.close();
  db.close();
  return (used.user + used.system) / n;
}

async function main(): Promise<void> {
  console.log(`signaling bench with and without history: ${ROUNDS} round(s), ${CLIENTS} clients, ${RATE} text/s for ${SECONDS} s`);
  const writeUs = await writeCostPerLoginUs();
  console.log(`history writes per client visit (session + join + leave, batched): ${writeUs.toFixed(1)} µs CPU`);
  const results: Record<'off' | 'on', Figures[]> = { off: [], on: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order: ('off' | 'on')[] = round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
    for (const mode of order) {
      const host = await startHost(mode === 'on');
      try {
        const f = await runBench(host.url, host.pid);
        results[mode].push(f);
        console.log(
          `round ${round + 1} history ${mode.padEnd(3)}: ${f.loginsPerSecond} logins/s (p50 ${f.loginP50} ms, p99 ${f.loginP99} ms), text p50 ${f.textP50} ms p99 ${f.textP99} ms, server CPU ${f.serverCpuMs.toFixed(0)} ms`,
        );
      } finally {
        await host.stop();
      }
    }
  }
  const off = mean(results.off.map((f) => f.loginsPerSecond));
  const on = mean(results.on.map((f) => f.loginsPerSecond));
  console.log('');
  console.log('| history | logins/s (mean) | login p50 ms | login p99 ms | text p50 ms | text p99 ms | server CPU ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const mode of ['off', 'on'] as const) {
    const r = results[mode];
    console.log(
      `| ${mode} | ${mean(r.map((f) => f.loginsPerSecond)).toFixed(0)} | ${mean(r.map((f) => f.loginP50)).toFixed(1)} | ${mean(r.map((f) => f.loginP99)).toFixed(1)} | ${mean(r.map((f) => f.textP50)).toFixed(2)} | ${mean(r.map((f) => f.textP99)).toFixed(2)} | ${mean(r.map((f) => f.serverCpuMs)).toFixed(0)} |`,
    );
  }
  const cpuOff = mean(results.off.map((f) => f.serverCpuMs));
  const cpuOn = mean(results.on.map((f) => f.serverCpuMs));
  console.log(
    `history cost: ${(((off - on) / off) * 100).toFixed(1)} % of login throughput, ${(((cpuOn - cpuOff) / cpuOff) * 100).toFixed(1)} % more server CPU for the same work (negative = within noise)`,
  );
  const perClientUs = (cpuOff * 1000) / CLIENTS;
  console.log(
    `server CPU per client without history (login, enter, ${((RATE * SECONDS) / CLIENTS).toFixed(1)} texts, leave): ${perClientUs.toFixed(0)} µs; history writes add ${writeUs.toFixed(1)} µs = ${((writeUs / perClientUs) * 100).toFixed(1)} %`,
  );
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Signaling benchmark (a script, not a test). Starts the standalone signaling host as a child
 * process (so RSS is the server's alone) — or uses ANYCHAT_WS_URL plus ANYCHAT_SERVER_PID — then
 * drives N simulated clients: connect + guest login (no scrypt: a directory login costs ~50 ms of
 * CPU by design),
 * enter rooms of R users, then text at a fixed total rate for D seconds. Prints logins/s,
 * p50/p99 request latency and the server's RSS.
 *
 *   npx tsx bench/signaling/bench.ts [--clients 5000] [--rate 1000] [--seconds 20] [--room-size 10]
 *                                    [--concurrency 200] [--whisper]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../shared/client';

function num(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const N = num('clients', 5000);
const RATE = num('rate', 1000);
const SECONDS = num('seconds', 20);
const ROOM_SIZE = num('room-size', 10);
const CONCURRENCY = num('concurrency', 200);
const WHISPER = process.argv.includes('--whisper');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function startServer(): Promise<{ url: string; pid: number; stop: () => void }> {
  if (process.env.ANYCHAT_WS_URL) {
    return { url: process.env.ANYCHAT_WS_URL, pid: Number(process.env.ANYCHAT_SERVER_PID ?? 0), stop: () => undefined };
  }
  const script = fileURLToPath(new URL('./standaloneHost.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1].replace('http://', 'ws://') + '/ws');
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { url, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const server = await startServer();
  console.log(
    `server ${server.url} (pid ${server.pid || 'unknown'}); ${N} clients, rooms of ${ROOM_SIZE}, ${RATE} text/s for ${SECONDS} s${WHISPER ? ' (whispers)' : ''}`,
  );
  const rssIdle = server.pid ? rssMb(server.pid) : NaN;
  const clients: AnyChatClient[] = new Array(N);
  const factory = (u: string) => new WebSocket(u, { perMessageDeflate: false }) as unknown as SocketLike;

  // Phase 1: connect + login + enter room.
  const t0 = performance.now();
  let next = 0;
  let failures = 0;
  const loginLat: number[] = [];
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < N) {
        const i = next++;
        try {
          const c = await AnyChatClient.connect(server.url, factory);
          const s = performance.now();
          await c.login(`bench${i}`, '');
          loginLat.push(performance.now() - s);
          await c.enterRoom({ roomId: 100 + Math.floor(i / ROOM_SIZE) });
          clients[i] = c;
        } catch (err) {
          failures++;
          if (failures < 5) console.error('client failed:', (err as Error).message);
        }
      }
    }),
  );
  const loginSecs = (performance.now() - t0) / 1000;
  const live = clients.filter(Boolean);
  loginLat.sort((a, b) => a - b);
  console.log(
    `logins: ${live.length}/${N} in ${loginSecs.toFixed(1)} s = ${(live.length / loginSecs).toFixed(0)} logins/s (incl. connect + enterRoom), login p50 ${pct(loginLat, 50).toFixed(1)} ms p99 ${pct(loginLat, 99).toFixed(1)} ms, failures ${failures}`,
  );
  const rssLoggedIn = server.pid ? rssMb(server.pid) : NaN;

  // Phase 2: text at a fixed total rate; measure request → response latency.
  const lat: number[] = [];
  let errors = 0;
  let received = 0;
  for (const c of live) c.on('textMessage', () => void received++);
  const intervalMs = 10;
  const tStart = performance.now();
  let k = 0;
  const inflight: Promise<void>[] = [];
  const tEnd = performance.now() + SECONDS * 1000;
  let peakRss = rssLoggedIn;
  const rssTimer = setInterval(() => {
    if (server.pid) peakRss = Math.max(peakRss, rssMb(server.pid));
  }, 500);
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (performance.now() >= tEnd) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Catch up on time, not ticks: a late timer still yields RATE requests per second.
      const due = Math.floor(((performance.now() - tStart) * RATE) / 1000);
      while (k < due) {
        const idx = k++ % live.length;
        const c = live[idx];
        const roomBase = Math.floor(idx / ROOM_SIZE) * ROOM_SIZE;
        const peer = live[roomBase + ((idx - roomBase + 1) % ROOM_SIZE)];
        const s = performance.now();
        const p = (WHISPER && peer ? c.sendTextMessage(peer.userId, 'bench message', true) : c.sendTextMessage(-1, 'bench message'))
          .then(() => void lat.push(performance.now() - s))
          .catch(() => void errors++);
        inflight.push(p);
      }
    }, intervalMs);
  });
  await Promise.all(inflight);
  clearInterval(rssTimer);
  if (server.pid) peakRss = Math.max(peakRss, rssMb(server.pid));
  lat.sort((a, b) => a - b);
  const sent = lat.length + errors;
  console.log(`text: ${sent} requests in ${SECONDS} s = ${(sent / SECONDS).toFixed(0)} req/s, errors ${errors}, deliveries ${received}`);
  console.log(`latency: p50 ${pct(lat, 50).toFixed(2)} ms, p99 ${pct(lat, 99).toFixed(2)} ms, max ${(lat.at(-1) ?? NaN).toFixed(2)} ms`);
  console.log(`server RSS: idle ${rssIdle.toFixed(0)} MB, ${live.length} logged in ${rssLoggedIn.toFixed(0)} MB, peak under load ${peakRss.toFixed(0)} MB`);

  for (const c of live) c.close();
  await new Promise((r) => setTimeout(r, 500));
  server.stop();
  process.exit(0);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});

/**
 * Gateway benchmark: signed `online_useridlist_get` requests at concurrency 50 against a gateway
 * process pinned to one core (taskset, when available). Prints requests/s and p50/p99 latency.
 *
 *   npx tsx bench/gateway/bench.ts [seconds=10] [concurrency=50]
 *
 * Each request has a fresh MD5 signature per second and a distinct body (`seq`), so the replay
 * guard runs in its "request" mode (same method+app+timestamp+signature AND same body = replay):
 * with the default "signature" mode a backend gets one call per method per second.
 */
import { spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { md5Signature } from '../../electron/gateway/signature';
import { formatTimestamp } from '../../electron/gateway/timestamp';
import { TEST_APP_ID, TEST_MD5_KEY } from '../../electron/gateway/testHarness';

const seconds = Number(process.argv[2] ?? 10);
const concurrency = Number(process.argv[3] ?? 50);
const here = path.dirname(fileURLToPath(import.meta.url));
const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
const cmd = hasTaskset ? 'taskset' : process.execPath;
const args = [...(hasTaskset ? ['-c', '0', process.execPath] : []), '--import', 'tsx', path.join(here, 'server.ts'), 'request'];
const server = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  server.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    const m = /port (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  server.once('exit', (c) => reject(new Error(`server exited (${c})`)));
});
if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
let sigSecond = '';
let sigPath = '';
function pathFor(now: number): string {
  const ts = formatTimestamp(now, 'local');
  if (ts !== sigSecond) {
    sigSecond = ts;
    const signstr = md5Signature('online_useridlist_get', TEST_APP_ID, ts, TEST_MD5_KEY);
    sigPath = `/gateway?method=online_useridlist_get&timestamp=${ts}&appid=${TEST_APP_ID}&signtype=MD5&signstr=${signstr}`;
  }
  return sigPath;
}

let seq = 0;
function once(): Promise<{ ok: boolean; ns: bigint }> {
  return new Promise((resolve, reject) => {
    const body = `{"userflags":0,"seq":${++seq}}`;
    const t0 = process.hrtime.bigint();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: pathFor(Date.now()),
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ ok: res.statusCode === 200 && text.includes('"SUCCESS"'), ns: process.hrtime.bigint() - t0 });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function run(durationMs: number, record: boolean) {
  const lat: number[] = [];
  let ok = 0;
  let fail = 0;
  const end = Date.now() + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const r = await once();
        if (r.ok) ok++;
        else fail++;
        if (record) lat.push(Number(r.ns) / 1e6);
      }
    }),
  );
  return { lat, ok, fail };
}

await run(2000, false); // warm-up (JIT, connections)
const t0 = Date.now();
const { lat, ok, fail } = await run(seconds * 1000, true);
const elapsed = (Date.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!.toFixed(2);
console.log(
  `gateway bench: online_useridlist_get (MD5-signed, 200 users online), concurrency ${concurrency}, ${seconds}s, server pinned to one core: ${hasTaskset ? 'yes' : 'no'}`,
);
console.log(`requests/s: ${Math.round(ok / elapsed)}  (ok ${ok}, failed ${fail})`);
console.log(`latency ms: p50 ${pct(50)}  p99 ${pct(99)}  max ${lat.at(-1)!.toFixed(2)}`);
agent.destroy();
server.kill('SIGTERM');

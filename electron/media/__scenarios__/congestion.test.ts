/**
 * Transport-wide congestion control on a real (namespaced) network: the scenario runs the media
 * node, a 3-layer simulcast publisher and three viewers inside a network namespace this test
 * makes (`unshare -n`); tc htb on that namespace's loopback limits one viewer to 300 kbit/s and
 * another to 60 kbit/s (below the lowest layer). Nothing outside the namespace is touched.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from './congestionScenario';

const probe = spawnSync(
  'unshare',
  ['-n', 'sh', '-c', 'ip link set lo up && ip link add ccv0 type veth peer name ccv1 && tc qdisc add dev lo root handle 1: htb default 1'],
  {
    timeout: 10_000,
    encoding: 'utf8',
  },
);
const netnsReason =
  probe.status === 0 ? null : `network namespaces with veth + tc htb not allowed here: ${(probe.stderr || probe.error?.message || '').trim()}`;

/** A run whose own event loop stalled this long measured the machine, not the link. */
const LOOP_STALL_MS = 250;

function runScenario(seconds: number, limits: string): Promise<ScenarioResult> {
  const script = path.join(import.meta.dirname, 'congestionScenario.ts');
  const child = spawn('unshare', ['-n', '--', process.execPath, '--import', 'tsx', script, '--seconds', String(seconds), '--limits', limits], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), (seconds + 60) * 1000);
    child.on('close', (code) => {
      clearTimeout(kill);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code !== 0 || !line) reject(new Error(`scenario exited ${code}: ${err.slice(-2000)}`));
      else resolve(JSON.parse(line.slice('RESULT '.length)) as ScenarioResult);
    });
  });
}

/** Everything the run must show; throws (an expect failure) otherwise. */
function check(r: ScenarioResult): void {
  const [unlimited, limited, starved] = r.viewers;
  // what each viewer saw, in every failure message
  const seen = JSON.stringify({
    loopDelayMs: r.loopDelayMs,
    viewers: r.viewers.map((v) => ({ limit: v.limitKbit, tail: v.tail, layers: v.layerChanges, estimates: v.estimates.slice(-10) })),
  });

  // the publisher gets transport-cc feedback (~10/s) and no REMB
  expect(r.publisher.twccFeedbacks).toBeGreaterThan(100);
  expect(r.publisher.rembs).toBe(0);

  // unlimited: the high layer (a dip on a loaded machine may show), and an estimate above it
  expect(unlimited.tail.layers[2] / unlimited.tail.received, seen).toBeGreaterThan(0.9);
  expect(unlimited.estimates.at(-1)!, seen).toBeGreaterThan(700_000);

  // 300 kbit/s: mostly the low layer over the last 8 s (a probe up may show), little loss, an estimate near the link
  expect(limited.tail.received, seen).toBeGreaterThan(100);
  expect(limited.tail.layers[0] / limited.tail.received, seen).toBeGreaterThan(0.7);
  expect(limited.tail.layers[2], seen).toBe(0);
  expect(limited.tail.lost / (limited.tail.received + limited.tail.lost), seen).toBeLessThan(0.05);
  for (const e of limited.estimates.slice(-10)) {
    expect(e!, seen).toBeGreaterThan(100_000);
    expect(e!, seen).toBeLessThan(700_000);
  }

  // 60 kbit/s: not even the low layer fits — the consumer reported its video paused (layers null)
  expect(starved.layerChanges, seen).toContain(null);
  expect(starved.estimates.at(-1)!, seen).toBeLessThan(200_000);
}

describe('transport-wide congestion control in a network namespace', () => {
  it.skipIf(netnsReason !== null)(
    `a 300 kbit/s viewer ends on the low layer with little loss, an unlimited one on the high layer, a 60 kbit/s one is paused${netnsReason ? ` (skipped: ${netnsReason})` : ''}`,
    async () => {
      const first = await runScenario(30, 'none,300,60');
      try {
        check(first);
      } catch (e) {
        // Arrival times are stamped in JavaScript: when the machine starved the scenario's own event
        // loop (stalls of a quarter second and more), what the viewers measured was the stall, not
        // the link. Such a run is repeated once; a run that was not starved fails at once.
        if (first.loopDelayMs.max < LOOP_STALL_MS) throw e;
        check(await runScenario(30, 'none,300,60'));
      }
    },
    300_000,
  );
});

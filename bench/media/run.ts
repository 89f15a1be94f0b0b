/**
 * Media node bench, side by side with Janus (a script, not a test):
 *   npx tsx bench/media/run.ts [--quick] [--steps 40,80,160] [--publishers 4] [--seconds 5] [--rounds 2]
 *                              [--max-minutes 15] [--no-janus]
 *
 * Both SFUs get the same load: K paced 1 Mbit/s VP8 publishers and receivers that each take one
 * stream of every publisher over one transport (so consumers = K × receivers). Receivers complete
 * ICE + DTLS and then count packets from the clear RTP header without decrypting (ClearRtpCounter),
 * so the SFU, not its peers, is what saturates. Our node runs in a process of its own (one media
 * worker thread) and Janus 1.1 in its own; CPU is read from /proc/<pid>/stat for both. At every
 * step both are measured in turn (the order alternates), with the other one idle.
 */
import { availableParallelism, loadavg } from 'node:os';
import { janusMissing } from './janus';
import { PPS } from './load';
import { processCpuMs, threadCpuMs } from './procCpu';
import { udpDrops } from './udpDrops';
import { startJanus, startOurs, type SfuUnderTest } from './systems';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(`--${name}`);
const opt = (name: string, def: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : def;
};
const quick = flag('quick');
const K = Number(opt('publishers', '4'));
const STEPS = opt('steps', quick ? '20,40' : '40,80,120,160,240,320,400,480,560,640')
  .split(',')
  .map(Number);
const SECONDS = Number(opt('seconds', quick ? '3' : '5'));
const ROUNDS = Number(opt('rounds', quick ? '1' : '2'));
const DEADLINE = Date.now() + Number(opt('max-minutes', '15')) * 60_000;
const LOSS_LIMIT = 0.001; // "without loss": ≤ 0.1 % lost by sequence gaps
const KEEP_UP = 0.9; // … and at least 90 % of what was sent in the window arrived in it
const WARMUP_MS = 2500; // our node starts video at a keyframe (every 2 s)
const SETUP_BATCH = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  wallMs: number;
  received: number;
  expected: number;
  sent: number;
  /** Packets the publishers sent (not × receivers). */
  published: number;
  cpuMs: number;
  threadMs?: number;
  peersCpuMs: number;
  silent: number;
  skipped: number;
  socketDrops: number;
}

function total(s: SfuUnderTest) {
  return s.receivers.reduce(
    (a, r) => {
      const t = r.counter.totals();
      return { received: a.received + t.received, expected: a.expected + t.expected };
    },
    { received: 0, expected: 0 },
  );
}

/** Per receiver, packets so far of each SSRC it gets. */
const perStream = (s: SfuUnderTest) => s.receivers.map((r) => r.counter.receivedBySsrc());

/** Streams (receiver × publisher) that got nothing between two snapshots: sequence gaps cannot show those. */
function silentStreams(before: Map<number, number>[], after: Map<number, number>[], publishers: number): number {
  let silent = 0;
  after.forEach((now, i) => {
    let moving = 0;
    for (const [ssrc, n] of now) if (n > (before[i]?.get(ssrc) ?? 0)) moving++;
    silent += Math.max(0, publishers - moving);
  });
  return silent;
}

async function measure(s: SfuUnderTest): Promise<Sample> {
  for (const x of s.senders) x.start();
  await sleep(WARMUP_MS);
  const c0 = total(s);
  const streams0 = perStream(s);
  const sent0 = s.senders.reduce((a, x) => a + x.sent, 0);
  const skipped0 = s.senders.reduce((a, x) => a + x.skipped, 0);
  const drops0 = udpDrops(s.ports);
  const cpu0 = processCpuMs(s.pid);
  const thr0 = s.tid ? threadCpuMs(s.pid, s.tid) : 0;
  const peers0 = process.cpuUsage();
  const t0 = Date.now();
  await sleep(SECONDS * 1000);
  const c1 = total(s);
  const silent = silentStreams(streams0, perStream(s), s.senders.length);
  const sent1 = s.senders.reduce((a, x) => a + x.sent, 0);
  const skipped = s.senders.reduce((a, x) => a + x.skipped, 0) - skipped0;
  const socketDrops = udpDrops(s.ports) - drops0;
  const cpuMs = processCpuMs(s.pid) - cpu0;
  const threadMs = s.tid ? threadCpuMs(s.pid, s.tid) - thr0 : undefined;
  const peers = process.cpuUsage(peers0);
  const wallMs = Date.now() - t0;
  for (const x of s.senders) x.stop();
  await sleep(500); // drain before the other SFU's turn
  return {
    wallMs,
    received: c1.received - c0.received,
    expected: c1.expected - c0.expected,
    sent: (sent1 - sent0) * s.receivers.length,
    published: sent1 - sent0,
    cpuMs,
    threadMs,
    peersCpuMs: (peers.user + peers.system) / 1000,
    silent,
    skipped,
    socketDrops,
  };
}

function add(a: Sample | undefined, b: Sample): Sample {
  if (!a) return b;
  return {
    wallMs: a.wallMs + b.wallMs,
    received: a.received + b.received,
    expected: a.expected + b.expected,
    sent: a.sent + b.sent,
    published: a.published + b.published,
    cpuMs: a.cpuMs + b.cpuMs,
    threadMs: a.threadMs === undefined || b.threadMs === undefined ? undefined : a.threadMs + b.threadMs,
    peersCpuMs: a.peersCpuMs + b.peersCpuMs,
    silent: a.silent + b.silent,
    skipped: a.skipped + b.skipped,
    socketDrops: a.socketDrops + b.socketDrops,
  };
}

interface Row {
  consumers: number;
  pps: number;
  cpuShare: number;
  threadShare?: number;
  ppsPerCore: number;
  msPer1000: number;
  loss: number;
  delivered: number;
  peersShare: number;
  silent: number;
  skipped: number;
  socketDrops: number;
  lossless: boolean;
  /** The publishers kept their rate (this process was not starved): the step's load is what it says. */
  fullLoad: boolean;
}

function row(consumers: number, s: Sample): Row {
  const pps = (s.received * 1000) / s.wallMs;
  const cpuShare = s.cpuMs / s.wallMs;
  const loss = s.expected ? 1 - s.received / s.expected : 1;
  const delivered = s.sent ? s.received / s.sent : 0;
  return {
    consumers,
    pps,
    cpuShare,
    threadShare: s.threadMs === undefined ? undefined : s.threadMs / s.wallMs,
    ppsPerCore: cpuShare > 0 ? pps / cpuShare : 0,
    msPer1000: s.received ? s.cpuMs / (s.received / 1000) : 0,
    loss,
    delivered,
    peersShare: s.peersCpuMs / s.wallMs,
    silent: s.silent,
    skipped: s.skipped,
    socketDrops: s.socketDrops,
    // delivered = received / sent in the same window: in-flight packets skew it by the path's delay, so it
    // only flags an SFU that queues instead of keeping up (no gaps, but less and less gets through)
    lossless: loss <= LOSS_LIMIT && s.silent === 0 && delivered >= KEEP_UP,
    fullLoad: s.skipped <= 0.02 * (s.published + s.skipped),
  };
}

const pct = (x: number, d = 0) => `${(x * 100).toFixed(d)}%`;
const num = (x: number) => Math.round(x).toLocaleString('en-US');

function printRow(name: string, r: Row, ratio?: number) {
  const cpu = r.threadShare === undefined ? pct(r.cpuShare) : `${pct(r.cpuShare)} (worker ${pct(r.threadShare)})`;
  console.log(
    `  ${String(r.consumers).padStart(5)}  ${name.padEnd(5)} ${num(r.pps).padStart(9)}  ${cpu.padStart(19)}  ${num(r.ppsPerCore).padStart(10)}  ${r.msPer1000
      .toFixed(2)
      .padStart(9)}  ${pct(r.loss, 2).padStart(7)}  ${pct(r.delivered, 1).padStart(7)}  ${pct(r.peersShare).padStart(6)}${
      ratio === undefined ? '' : `  ours/janus CPU per packet ${ratio.toFixed(2)}×`
    }${r.silent ? `  ${r.silent} silent streams` : ''}${r.socketDrops ? `  SFU sockets dropped ${r.socketDrops}` : ''}${r.skipped ? `  (publishers stalled: ${r.skipped} packets not sent)` : ''}${r.lossless ? '' : r.loss <= LOSS_LIMIT && r.silent === 0 ? '  ← falls behind' : '  ← loss'}${r.fullLoad ? '' : '  ← publishers starved (not counted as held)'}`,
  );
}

/** ROUNDS measurements of each system, taking turns (the first alternates with the step). */
async function measureStep(systems: SfuUnderTest[], step: number): Promise<Map<string, Sample>> {
  const samples = new Map<string, Sample>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = (step + round) % 2 === 0 ? systems : [...systems].reverse();
    for (const s of order) samples.set(s.name, add(samples.get(s.name), await measure(s)));
  }
  return samples;
}

async function grow(s: SfuUnderTest, receivers: number) {
  while (s.receivers.length < receivers && Date.now() < DEADLINE) {
    const n = Math.min(SETUP_BATCH, receivers - s.receivers.length);
    await Promise.all(Array.from({ length: n }, () => s.addReceiver()));
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

function summary(name: string, rows: Row[]) {
  const measured = rows.filter((r) => r.fullLoad);
  if (!measured.length) {
    console.log(`  ${name}: no step at full load`);
    return;
  }
  // CPU per packet holds whether or not a step lost packets (only received packets are counted)
  const top = measured[measured.length - 1];
  console.log(
    `  ${name}: ${num(median(measured.map((r) => r.ppsPerCore)))} forwarded pkt/s per core, ` +
      `${median(measured.map((r) => r.msPer1000)).toFixed(2)} CPU-ms per 1,000 packets (medians over ${measured.length} steps); ` +
      `by CPU ≈ ${num(top.consumers / Math.max(top.cpuShare, 1e-3))} consumers per core (at ${top.consumers})`,
  );
  const clean = measured.filter((r) => r.lossless);
  const best = clean[clean.length - 1];
  console.log(
    best
      ? `      held ${best.consumers} consumers without loss at ${pct(best.cpuShare)} of a core${best === rows[rows.length - 1] ? ' (its last step)' : ''}`
      : '      no step without loss',
  );
}

async function main() {
  const missing = flag('no-janus') ? 'skipped (--no-janus)' : janusMissing();
  const load0 = loadavg();
  console.log(
    `media bench: ${K} publishers × 1 Mbit/s VP8 (${PPS} pkt/s each, 1100-byte payloads); each receiver takes all ${K} streams over one transport; ` +
      `receivers count clear RTP headers (no SRTP decryption); ${SECONDS} s per measurement after ${WARMUP_MS / 1000} s warm-up, ${ROUNDS} round(s) per step`,
  );
  console.log(`load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')} (${availableParallelism()} cores)`);
  const systems: SfuUnderTest[] = [await startOurs(K, [49200, 49999])];
  // stopped from outside: still stop janus and the node process (they are ours)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void Promise.allSettled(systems.map((s) => s.close())).then(() => process.exit(130));
    });
  }
  if (missing) console.log(`Janus: ${missing} — printing ours only`);
  else {
    try {
      systems.push(await startJanus(K, [31000, 31999]));
    } catch (e) {
      console.log(`Janus did not start (${String(e).split('\n')[0]}) — printing ours only`);
    }
  }
  const rows = new Map<string, Row[]>(systems.map((s) => [s.name, []]));
  const active = new Set(systems.map((s) => s.name));
  const ratios: number[] = [];
  console.log('\n  cons.  sfu   fwd pkt/s    CPU (1 core=100%)  pkt/s/core  ms/1k pkt     loss  deliv.  peers');
  try {
    for (const [i, consumers] of STEPS.entries()) {
      if (!active.size || Date.now() > DEADLINE) break;
      const receivers = Math.ceil(consumers / K);
      const here = systems.filter((s) => active.has(s.name));
      for (const s of here) await grow(s, receivers);
      if (here.some((s) => s.receivers.length < receivers)) break; // out of time while setting up
      const samples = await measureStep(here, i);
      // a lossy step is measured once more before a system is retired (the machine is shared)
      const lossy = here.filter((s) => {
        const r = row(receivers * K, samples.get(s.name)!);
        return !r.lossless || !r.fullLoad;
      });
      if (lossy.length) for (const [name, sample] of await measureStep(lossy, i + 1)) samples.set(name, sample);
      const stepRows = new Map(here.map((s) => [s.name, row(receivers * K, samples.get(s.name)!)]));
      const ours = stepRows.get('ours');
      const janus = stepRows.get('janus');
      const ratio = ours && janus && janus.msPer1000 > 0 ? ours.msPer1000 / janus.msPer1000 : undefined;
      if (ratio !== undefined) ratios.push(ratio);
      for (const [name, r] of stepRows) {
        printRow(name, r, name === 'janus' ? ratio : undefined);
        rows.get(name)!.push(r);
        if (!r.lossless) active.delete(name);
      }
    }
  } finally {
    console.log('\nsummary:');
    for (const s of systems) summary(s.name, rows.get(s.name)!);
    if (ratios.length) console.log(`  ours/janus CPU per forwarded packet: ${median(ratios).toFixed(2)}× (median over the steps where both were measured)`);
    console.log('  field anchors: mediasoup ~500 consumers per core; LiveKit ≈38k forwarded packets/s per vCPU');
    console.log(
      `load average at end: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    for (const s of systems) await s.close().catch((e: unknown) => console.error(`closing ${s.name}:`, e));
  }
  process.exit(0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

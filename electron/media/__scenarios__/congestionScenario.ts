/**
 * TEST ONLY — run inside a network namespace the caller made (`unshare -n`), as root: brings
 * `lo` up (and a veth pair, see below), limits the loopback traffic *from* each limited viewer's transport port with a tc htb
 * class (plus a 60-packet FIFO), and runs a media node (one worker thread), a 3-layer simulcast
 * publisher and one viewer per limit for `--seconds`. Prints `RESULT {json}` and exits.
 *
 *   unshare -n -- node --import tsx congestionScenario.ts --seconds 30 --limits none,300,60
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { MediaNode } from '../MediaNode';
import { EXT } from '../ortc';
import { NodePeer, sleep } from '../testing/NodePeer';
import { CcViewer, SimulcastSender, simulcastParameters } from '../testing/simulcastPeers';

const LAYER_BPS = [120_000, 400_000, 900_000];
const SSRCS = [7001, 7002, 7003];

export interface ViewerResult {
  limitKbit: number | null;
  /** last 8 s: packets per layer, received, lost */
  tail: { layers: number[]; received: number; lost: number };
  /** every layerschange the consumer emitted: spatial layer, or null for "paused, no layer fits" */
  layerChanges: (number | null)[];
  /** availableOutgoingBitrate of the viewer's transport, once a second */
  estimates: (number | null)[];
}

export interface ScenarioResult {
  publisher: { twccFeedbacks: number; rembs: number; plis: number };
  /** this process's event-loop delay (ms): peers' timers and arrival stamps are only as good as this */
  loopDelayMs: { p99: number; max: number };
  viewers: ViewerResult[];
}

function tc(...args: string[]) {
  execFileSync('tc', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

async function main() {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '30' }, limits: { type: 'string', default: 'none,300' } } });
  const seconds = Number(values.seconds);
  const limits = values.limits.split(',').map((l) => (l === 'none' ? null : Number(l)));
  execFileSync('ip', ['link', 'set', 'lo', 'up']);
  // werift gathers host candidates only where a non-loopback interface exists (it binds to the
  // listen IP either way): a veth pair with an address no traffic uses makes this namespace look
  // like a host with a network card. Everything still flows over 127.0.0.1.
  execFileSync('ip', ['link', 'add', 'ccv0', 'type', 'veth', 'peer', 'name', 'ccv1']);
  execFileSync('ip', ['addr', 'add', '10.99.0.1/24', 'dev', 'ccv0']);
  execFileSync('ip', ['link', 'set', 'ccv0', 'up']);
  execFileSync('ip', ['link', 'set', 'ccv1', 'up']);
  tc('qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '1');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit');

  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: 40000,
    rtcMaxPort: 40100,
    numWorkers: 1,
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'cc-rec-')),
    logger: pino({ level: 'warn' }),
  });
  const router = await node.createRouter();
  const sendT = await router.createWebRtcTransport({});
  const pub = await NodePeer.connect(sendT, (dtlsParameters) => sendT.connect({ dtlsParameters }));
  pub.keepPackets = false;
  const producer = await sendT.produce({ kind: 'video', rtpParameters: simulcastParameters(SSRCS) });
  const sender = new SimulcastSender(pub, SSRCS, LAYER_BPS);
  sender.start();

  const viewers = [];
  for (const [i, limit] of limits.entries()) {
    const t = await router.createWebRtcTransport({});
    if (limit !== null) {
      const classId = `1:${10 + i}`;
      tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', classId, 'htb', 'rate', `${limit}kbit`, 'ceil', `${limit}kbit`);
      tc('qdisc', 'add', 'dev', 'lo', 'parent', classId, 'pfifo', 'limit', '60');
      tc(
        'filter',
        'add',
        'dev',
        'lo',
        'parent',
        '1:',
        'protocol',
        'ip',
        'u32',
        'match',
        'ip',
        'sport',
        String(t.iceCandidates[0].port),
        '0xffff',
        'flowid',
        classId,
      );
    }
    const peer = await NodePeer.connect(t, (dtlsParameters) => t.connect({ dtlsParameters }));
    const consumer = await t.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    const twccId = consumer.rtpParameters.headerExtensions?.find((e) => e.uri === EXT.TRANSPORT_CC)?.id;
    const viewer = new CcViewer(peer, consumer.rtpParameters.encodings![0].ssrc!, twccId);
    const layerChanges: (number | null)[] = [];
    consumer.on('layerschange', (l) => layerChanges.push(l ? l.spatialLayer : null));
    viewer.start();
    await consumer.resume();
    viewers.push({ limit, t, peer, viewer, layerChanges, estimates: [] as (number | null)[] });
  }

  for (let s = 0; s < seconds; s++) {
    await sleep(1000);
    for (const v of viewers) {
      const [stats] = await v.t.getStats();
      v.estimates.push(stats.availableOutgoingBitrate ?? null);
    }
  }
  sender.stop();
  const result: ScenarioResult = {
    publisher: { twccFeedbacks: sender.twccFeedbacks, rembs: sender.rembs, plis: sender.plis },
    loopDelayMs: { p99: Math.round(loop.percentile(99) / 1e6), max: Math.round(loop.max / 1e6) },
    viewers: viewers.map((v) => ({ limitKbit: v.limit, tail: v.viewer.last(8), layerChanges: v.layerChanges, estimates: v.estimates })),
  };
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
  for (const v of viewers) v.viewer.stop();
  await node.close();
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});

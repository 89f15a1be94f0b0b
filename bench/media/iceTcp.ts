/**
 * ICE-TCP vs UDP on the forwarding path (a script, not a test):   npx tsx bench/media/iceTcp.ts [--quick]
 *
 * One media worker; one producer (werift peer over UDP) sends a paced 1 Mbit/s synthetic VP8
 * stream; N consumer streams go to receivers that reached the node over UDP (NodePeer) or over
 * ICE-TCP with RFC 4571 framing (TcpNodePeer), 10 consumers per receiving transport. Per run:
 * forwarded packets/s, the worker's busy ms per 1,000 forwarded packets (event-loop utilisation ×
 * wall time) and what the receivers got. Receivers decrypt SRTP on the main thread, which shares
 * the machine's cores: compare the two columns of one run, not runs on a busy machine.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { MediaNode, type Router, type RtpParameters, type WebRtcTransport } from '../../electron/media/index';
import { NodePeer, sleep, waitFor } from '../../electron/media/testing/NodePeer';
import { TcpNodePeer } from '../../electron/media/testing/TcpNodePeer';

const quick = process.argv.includes('--quick');
const PAYLOAD = 1100;
const PPS = Math.round(1_000_000 / 8 / (PAYLOAD + 12 + 28));
const PER_TRANSPORT = 10;
const SECONDS = quick ? 3 : 5;
const STEPS = quick ? [20, 60] : [20, 60, 120];

type Dump = { rtpOut: number; elu: { idle: number; active: number } };
const dump = async (node: MediaNode) => (await node.dump())[0] as unknown as Dump;

const vp8: RtpParameters = {
  mid: '0',
  codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] }],
  encodings: [{ ssrc: 777 }],
};

type Receiver = { rtpCount: number; keepPackets: boolean; close(): unknown };

async function receivers(router: Router, producerId: string, n: number, over: 'udp' | 'tcp'): Promise<{ peers: Receiver[]; transports: WebRtcTransport[] }> {
  const peers: Receiver[] = [];
  const transports: WebRtcTransport[] = [];
  for (let made = 0; made < n;) {
    const t = await router.createWebRtcTransport();
    transports.push(t);
    const connect = (dtlsParameters: Parameters<WebRtcTransport['connect']>[0]['dtlsParameters']) => t.connect({ dtlsParameters });
    const peer = over === 'udp' ? await NodePeer.connect(t, connect) : await TcpNodePeer.connect(t, connect);
    peer.keepPackets = false;
    peers.push(peer);
    for (let j = 0; j < PER_TRANSPORT && made < n; j++, made++) await t.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
    await waitFor(() => t.dtlsState === 'connected', 5000, 'receiver connected');
  }
  return { peers, transports };
}

async function run(node: MediaNode, router: Router, sender: NodePeer, producerId: string, n: number, over: 'udp' | 'tcp') {
  const r = await receivers(router, producerId, n, over);
  let seq = 0;
  let ts = 0;
  let due = 0;
  const body = Buffer.alloc(PAYLOAD, 0x55);
  const t0 = Date.now();
  const timer = setInterval(() => {
    const shouldHave = Math.floor(((Date.now() - t0) / 1000) * PPS);
    for (; due < shouldHave; due++) {
      const payload = Buffer.from(body);
      payload[0] = due % 4 === 0 ? 0x10 : 0x00;
      payload[1] = due % (PPS * 2) === 0 ? 0x00 : 0x01; // keyframe every 2 s
      void sender.sendRtp({ ssrc: 777, payloadType: 96, sequenceNumber: seq++ & 0xffff, timestamp: ts, marker: due % 4 === 3 }, payload);
      if (due % 4 === 3) ts = (ts + 3000) >>> 0;
    }
  }, 5);
  await sleep(1500); // keyframe gating, first PLI
  const d0 = await dump(node);
  const got0 = r.peers.reduce((a, p) => a + p.rtpCount, 0);
  const w0 = Date.now();
  await sleep(SECONDS * 1000);
  const d1 = await dump(node);
  const wall = Date.now() - w0;
  clearInterval(timer);
  await sleep(500); // in-flight packets drain
  const d2 = await dump(node);
  const got1 = r.peers.reduce((a, p) => a + p.rtpCount, 0);
  const forwarded = d2.rtpOut - d0.rtpOut;
  const active = d1.elu.active - d0.elu.active;
  const util = active / (active + (d1.elu.idle - d0.elu.idle));
  for (const t of r.transports) t.close();
  for (const p of r.peers) await p.close();
  return {
    fwdPps: Math.round((forwarded * 1000) / wall),
    util,
    msPer1k: forwarded ? (util * wall) / (forwarded / 1000) : 0,
    received: (got1 - got0) / Math.max(1, forwarded),
  };
}

async function main() {
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: 48000,
    rtcMaxPort: 48999,
    numWorkers: 1,
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-bench-tcp-')),
    logger: pino({ level: 'warn' }),
  });
  const router = await node.createRouter();
  const st = await router.createWebRtcTransport();
  const sender = await NodePeer.connect(st, (d) => st.connect({ dtlsParameters: d }));
  sender.keepPackets = false;
  const producer = await st.produce({ kind: 'video', rtpParameters: vp8 });
  console.log(
    `ICE-TCP vs UDP: 1 worker, 1 producer @1 Mbit/s (${PPS} pkt/s of ${PAYLOAD} B), ${PER_TRANSPORT} consumers per receiving transport, ${SECONDS} s per run`,
  );
  console.log('  N   over   fwd pkt/s   worker busy   ms/1k pkts   received/forwarded');
  for (const n of STEPS) {
    for (const over of ['udp', 'tcp'] as const) {
      const x = await run(node, router, sender, producer.id, n, over);
      console.log(
        `${String(n).padStart(3)}   ${over}   ${String(x.fwdPps).padStart(9)}   ${(x.util * 100).toFixed(0).padStart(10)}%   ${x.msPer1k.toFixed(2).padStart(10)}   ${(x.received * 100).toFixed(1).padStart(17)}%`,
      );
    }
  }
  await sender.close();
  await node.close();
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

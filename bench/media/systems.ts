/**
 * The two SFUs under the same load: K publishers, and receivers that each take one stream of every
 * publisher over one transport (K consumers per receiver) and count clear RTP headers.
 */
import { connectCountingReceiver, type ClearRtpCounter } from '../../electron/media/testing/ClearRtpCounter';
import { NodePeer } from '../../electron/media/testing/NodePeer';
import type { RtpParameters } from '../../electron/media/types';
import { JanusServer, JanusSession } from './janus';
import { createRoom, JanusPublisher, subscribe } from './janusPeers';
import { PacedVp8Sender } from './load';
import { NodeProcess } from './nodeProcess';
import { threadByName } from './procCpu';

export interface Receiver {
  counter: ClearRtpCounter;
  close(): Promise<void>;
}

export interface SfuUnderTest {
  readonly name: string;
  readonly pid: number;
  /** A thread worth showing on its own (our engine's worker thread). */
  readonly tid?: number;
  /** The SFU's own UDP port range (its sockets' kernel drop counters are read from it). */
  readonly ports: [number, number];
  readonly senders: PacedVp8Sender[];
  readonly receivers: Receiver[];
  /** RTP packets the SFU took in so far, where it says (ours: the engine's counter). */
  packetsIn?(): Promise<number>;
  addReceiver(): Promise<void>;
  close(): Promise<void>;
}

function vp8Params(ssrc: number): RtpParameters {
  return {
    mid: String(ssrc),
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] }],
    encodings: [{ ssrc }],
  };
}

/** close() once, however often it is called (the run's end and a signal may race). */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

export async function startOurs(publishers: number, ports: [number, number]): Promise<SfuUnderTest> {
  const node = await NodeProcess.start(ports.join('-'));
  const peers: NodePeer[] = [];
  const producerIds: string[] = [];
  const senders: PacedVp8Sender[] = [];
  for (let i = 0; i < publishers; i++) {
    const t = await node.call('createTransport', {});
    const peer = await NodePeer.connect(t, (dtlsParameters) => node.call('connect', { transportId: t.id, dtlsParameters }).then(() => {}));
    peer.keepPackets = false;
    peers.push(peer);
    const ssrc = 10_000 + i;
    producerIds.push((await node.call('produce', { transportId: t.id, rtpParameters: vp8Params(ssrc) })).producerId);
    senders.push(new PacedVp8Sender({ send: (h, payload) => void peer.sendRtp({ ...h, ssrc, payloadType: 96 }, payload) }));
  }
  const receivers: Receiver[] = [];
  return {
    name: 'ours',
    pid: node.pid,
    tid: threadByName(node.pid, 'media-worker-1'),
    ports,
    senders,
    receivers,
    packetsIn: async () => (await node.call('dump', {})).rtpIn,
    async addReceiver() {
      const t = await node.call('createTransport', {});
      const r = await connectCountingReceiver(t, (dtlsParameters) => node.call('connect', { transportId: t.id, dtlsParameters }).then(() => {}));
      for (const producerId of producerIds) await node.call('consume', { transportId: t.id, producerId });
      receivers.push(r);
    },
    close: once(async () => {
      for (const s of senders) s.stop();
      await Promise.all([...peers, ...receivers].map((p) => p.close()));
      await node.stop();
    }),
  };
}

export async function startJanus(publishers: number, rtpPorts: [number, number]): Promise<SfuUnderTest> {
  const server = await JanusServer.start(rtpPorts);
  try {
    const session = await JanusSession.create(server.url);
    const room = 4242;
    await createRoom(session, room);
    const feeds: number[] = [];
    const pubs: JanusPublisher[] = [];
    for (let i = 0; i < publishers; i++) {
      feeds.push(1000 + i);
      pubs.push(await JanusPublisher.join(session, room, 1000 + i));
    }
    const receivers: Receiver[] = [];
    return {
      name: 'janus',
      pid: server.pid,
      ports: rtpPorts,
      senders: pubs.map((p) => new PacedVp8Sender(p)),
      receivers,
      async addReceiver() {
        receivers.push(await subscribe(session, room, feeds));
      },
      close: once(async () => {
        await Promise.all([...pubs, ...receivers].map((p) => p.close()));
        await session.destroy();
        await server.stop();
      }),
    };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

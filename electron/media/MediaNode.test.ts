import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RtcpPayloadSpecificFeedback,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtcpRrPacket,
  RtcpReceiverInfo,
} from 'werift';
import { MediaNode, type Consumer, type Producer, type Router, type RtpParameters, type WebRtcTransport } from './index';
import { NodePeer, sleep, waitFor } from './testing/NodePeer';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const logger = pino({ level: 'silent' });
const VP8_PT = 96;
const RTX_PT = 97;
const VIDEO_SSRC = 11111;
const RTX_SSRC = 22222;

const videoParams: RtpParameters = {
  mid: '0',
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: VP8_PT,
      clockRate: 90000,
      parameters: {},
      rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
    },
    { mimeType: 'video/rtx', payloadType: RTX_PT, clockRate: 90000, parameters: { apt: VP8_PT }, rtcpFeedback: [] },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 3 }],
  encodings: [{ ssrc: VIDEO_SSRC, rtx: { ssrc: RTX_SSRC } }],
  rtcp: { cname: 'peerA' },
};

const KEY = () => Buffer.from([0x10, 0x00, 0x9d, 0x01, 0x2a, 1, 2, 3]); // VP8 descriptor S=1 + keyframe
const DELTA = () => Buffer.from([0x10, 0x01, 4, 5, 6]);

describe('MediaNode (in-process engine) with Node werift peers', () => {
  let node: MediaNode;
  let router: Router;
  let sendT: WebRtcTransport;
  let recvT: WebRtcTransport;
  let a: NodePeer;
  let b: NodePeer;
  let producer: Producer;
  let consumer: Consumer;
  let seq = 1000;
  let ts = 5000;

  const sendVideo = async (payload: Buffer, marker = true) => {
    await a.sendRtp({ ssrc: VIDEO_SSRC, payloadType: VP8_PT, sequenceNumber: seq++ & 0xffff, timestamp: ts, marker }, payload);
    ts += 3000;
  };

  beforeAll(async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 42000,
      rtcMaxPort: 42100,
      numWorkers: 0,
      recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-rec-')),
      logger,
    });
    router = await node.createRouter({ room: 1 });
    sendT = await router.createWebRtcTransport({ appData: { user: 'A' } });
    recvT = await router.createWebRtcTransport({ appData: { user: 'B' } });
    expect(sendT.iceCandidates[0]).toMatchObject({ ip: '127.0.0.1', protocol: 'udp', type: 'host' });
    expect(sendT.iceCandidates[0].port).toBeGreaterThanOrEqual(42000);
    expect(sendT.iceParameters.iceLite).toBe(true);
    expect(sendT.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    [a, b] = await Promise.all([
      NodePeer.connect(sendT, (dtlsParameters) => sendT.connect({ dtlsParameters })),
      NodePeer.connect(recvT, (dtlsParameters) => recvT.connect({ dtlsParameters })),
    ]);
    await waitFor(() => sendT.dtlsState === 'connected' && recvT.dtlsState === 'connected', 5000, 'transports connected');
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await node?.close();
  });

  it('produce → consume: PLI on resume, keyframe gating, SSRC/PT rewrite', async () => {
    producer = await sendT.produce({ kind: 'video', rtpParameters: videoParams, appData: { user: 'A' } });
    expect(router.canConsume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities })).toBe(true);
    expect(router.canConsume({ producerId: 'nope', rtpCapabilities: router.rtpCapabilities })).toBe(false);
    consumer = await recvT.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
    expect(consumer.kind).toBe('video');
    expect(consumer.rtpParameters.mid).toBe('0');
    const outSsrc = consumer.rtpParameters.encodings![0].ssrc!;
    const outPt = consumer.rtpParameters.codecs[0].payloadType;
    // a delta frame first: dropped (paused), then resume → PLI to A
    await sendVideo(DELTA());
    await sleep(50);
    expect(b.rtp.length).toBe(0);
    const plisBefore = a.rtcp.filter((p) => p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication).length;
    await consumer.resume();
    await waitFor(
      () => a.rtcp.filter((p) => p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication).length > plisBefore,
      3000,
      'PLI at producer',
    );
    const pli = a.rtcp.find((p) => p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication) as RtcpPayloadSpecificFeedback;
    expect((pli.feedback as PictureLossIndication).mediaSsrc).toBe(VIDEO_SSRC);
    await sendVideo(DELTA()); // still waiting for a keyframe
    await sleep(50);
    expect(b.rtp.length).toBe(0);
    await sendVideo(KEY());
    for (let i = 0; i < 5; i++) await sendVideo(DELTA());
    await waitFor(() => b.rtp.length >= 6, 3000, '6 packets at B');
    expect(b.rtp.every((p) => p.header.ssrc === outSsrc && p.header.payloadType === outPt)).toBe(true);
    const seqs = b.rtp.map((p) => p.header.sequenceNumber);
    for (let i = 1; i < seqs.length; i++) expect((seqs[i] - seqs[i - 1]) & 0xffff).toBe(1);
    const tss = b.rtp.map((p) => p.header.timestamp);
    for (let i = 1; i < tss.length; i++) expect((tss[i] - tss[i - 1]) >>> 0).toBe(3000);
    expect(b.rtp[0].payload.equals(KEY())).toBe(true);
    // mid header extension rewritten to the consumer's mid with the router's id (1)
    expect(b.rtp[0].header.extensions.find((e) => e.id === 1)?.payload.toString()).toBe('0');
  });

  it('answers NACK from the retransmission buffer with RTX', async () => {
    const rtxSsrc = consumer.rtpParameters.encodings![0].rtx!.ssrc;
    const rtxPt = consumer.rtpParameters.codecs.find((c) => c.mimeType === 'video/rtx')!.payloadType;
    const target = b.rtp[2];
    const before = b.rtp.length;
    await b.sendRtcp([
      new RtcpTransportLayerFeedback({
        feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: consumer.rtpParameters.encodings![0].ssrc!, lost: [target.header.sequenceNumber] }),
      }),
    ]);
    await waitFor(() => b.rtp.length > before, 3000, 'RTX');
    const rtx = b.rtp[b.rtp.length - 1];
    expect(rtx.header.ssrc).toBe(rtxSsrc);
    expect(rtx.header.payloadType).toBe(rtxPt);
    expect(rtx.payload.readUInt16BE(0)).toBe(target.header.sequenceNumber);
    expect(rtx.payload.subarray(2).equals(target.payload)).toBe(true);
    const [cs] = await consumer.getStats();
    expect(cs.nackCount).toBe(1);
    expect(cs.retransmittedPackets).toBe(1);
  });

  it('producer RTX from the sender is un-wrapped and forwarded', async () => {
    const before = b.rtp.length;
    const osn = Buffer.alloc(2);
    osn.writeUInt16BE(seq & 0xffff);
    const payload = DELTA();
    await a.sendRtp({ ssrc: RTX_SSRC, payloadType: RTX_PT, sequenceNumber: 7, timestamp: ts, marker: true }, Buffer.concat([osn, payload]));
    seq++;
    ts += 3000;
    await waitFor(() => b.rtp.length > before, 3000, 'forwarded RTX');
    const p = b.rtp[b.rtp.length - 1];
    expect(p.header.ssrc).toBe(consumer.rtpParameters.encodings![0].ssrc);
    expect(p.payload.equals(payload)).toBe(true);
  });

  it('NACKs producer loss and forwards the repaired packet in order of the consumer sequence', async () => {
    const nacksBefore = a.rtcp.filter((p) => p instanceof RtcpTransportLayerFeedback && p.feedback instanceof GenericNack).length;
    const before = b.rtp.length;
    const missing = seq & 0xffff;
    seq++; // skip one packet
    ts += 3000;
    await sendVideo(DELTA());
    await waitFor(
      () => a.rtcp.filter((p) => p instanceof RtcpTransportLayerFeedback && p.feedback instanceof GenericNack).length > nacksBefore,
      3000,
      'NACK at A',
    );
    const nack = a.rtcp.filter((p): p is RtcpTransportLayerFeedback => p instanceof RtcpTransportLayerFeedback && p.feedback instanceof GenericNack).at(-1)!;
    expect((nack.feedback as GenericNack).mediaSourceSsrc).toBe(VIDEO_SSRC);
    expect((nack.feedback as GenericNack).lost).toEqual([missing]);
    // A repairs with RTX
    const osn = Buffer.alloc(2);
    osn.writeUInt16BE(missing);
    await a.sendRtp({ ssrc: RTX_SSRC, payloadType: RTX_PT, sequenceNumber: 8, timestamp: ts - 6000, marker: true }, Buffer.concat([osn, DELTA()]));
    await waitFor(() => b.rtp.length >= before + 2, 3000, 'repaired + next');
    const [next, repaired] = b.rtp.slice(before, before + 2);
    expect((next.header.sequenceNumber - repaired.header.sequenceNumber) & 0xffff).toBe(1);
    const [ps] = await producer.getStats();
    expect(ps.nackPacketCount).toBeGreaterThanOrEqual(1);
  });

  it('paused producer forwards nothing; resume continues seq/ts after a keyframe', async () => {
    await producer.pause();
    expect(consumer.producerPaused).toBe(true);
    const before = b.rtp.length;
    const lastSeq = b.rtp
      .filter((p) => p.header.ssrc === consumer.rtpParameters.encodings![0].ssrc)
      .map((p) => p.header.sequenceNumber)
      .reduce((m, x) => (((x - m) & 0xffff) < 0x8000 ? x : m)); // highest (packets may arrive out of order)
    for (let i = 0; i < 5; i++) await sendVideo(DELTA());
    await sleep(100);
    expect(b.rtp.length).toBe(before);
    seq += 500; // source jumped while paused
    ts += 900_000;
    await producer.resume();
    await sendVideo(DELTA()); // not a keyframe: dropped
    await sendVideo(KEY());
    await waitFor(() => b.rtp.length > before, 3000, 'media after resume');
    const p = b.rtp[before];
    expect(p.header.sequenceNumber).toBe((lastSeq + 1) & 0xffff);
    expect(p.payload.equals(KEY())).toBe(true);
  });

  it('sender reports to B, receiver reports to A, RTT from B RR, stats', async () => {
    const outSsrc = consumer.rtpParameters.encodings![0].ssrc!;
    await waitFor(() => b.rtcp.some((p) => p instanceof RtcpSrPacket && p.ssrc === outSsrc), 3000, 'SR at B');
    await waitFor(() => a.rtcp.some((p) => p instanceof RtcpRrPacket && p.reports.some((r) => r.ssrc === VIDEO_SSRC)), 3000, 'RR at A');
    // REMB towards the video sender, decodable as ~3 Mbit/s
    const remb = a.rtcp.find(
      (p) => p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof ReceiverEstimatedMaxBitrate,
    ) as RtcpPayloadSpecificFeedback;
    expect(remb).toBeDefined();
    const rf = remb.feedback as ReceiverEstimatedMaxBitrate;
    expect(rf.ssrcFeedbacks).toContain(VIDEO_SSRC);
    expect(Number(rf.bitrate)).toBeGreaterThan(2_900_000);
    expect(Number(rf.bitrate)).toBeLessThanOrEqual(3_000_000);
    const sr = b.rtcp.filter((p): p is RtcpSrPacket => p instanceof RtcpSrPacket && p.ssrc === outSsrc).at(-1)!;
    const lsr = Number((sr.senderInfo.ntpTimestamp >> 16n) & 0xffffffffn);
    await b.sendRtcp([
      new RtcpRrPacket({
        ssrc: 9,
        reports: [new RtcpReceiverInfo({ ssrc: outSsrc, fractionLost: 0, packetsLost: 0, highestSequence: 0, jitter: 5, lsr, dlsr: 0 })],
      }),
    ]);
    await sleep(100);
    const [cs] = await consumer.getStats();
    expect(cs.packetCount).toBeGreaterThan(5);
    expect(cs.jitter).toBe(5);
    expect(cs.roundTripTime).toBeGreaterThanOrEqual(0);
    const [ps] = await producer.getStats();
    expect(ps.packetCount).toBeGreaterThan(10);
    expect(ps.type).toBe('inbound-rtp');
    const [ts0] = await sendT.getStats();
    expect(ts0.dtlsState).toBe('connected');
    expect(ts0.packetsReceived).toBeGreaterThan(10);
  });

  it('simulcast: 3 encodings, consumer follows setPreferredLayers at keyframes with continuous seq', async () => {
    const ssrcs = [301, 302, 303];
    const sim = await sendT.produce({
      kind: 'video',
      rtpParameters: { ...videoParams, mid: '5', encodings: ssrcs.map((ssrc) => ({ ssrc })), codecs: [videoParams.codecs[0]] },
    });
    expect(sim.type).toBe('simulcast');
    const c = await recvT.consume({ producerId: sim.id, rtpCapabilities: router.rtpCapabilities });
    expect(c.type).toBe('simulcast');
    expect(c.rtpParameters.encodings![0].scalabilityMode).toBe('L3T1');
    const out = c.rtpParameters.encodings![0].ssrc!;
    const got = () => b.rtp.filter((p) => p.header.ssrc === out);
    const s = [0, 0, 0];
    const t = [0, 0, 0];
    const send = (layer: number, key: boolean) => {
      const payload = Buffer.from([0x10, key ? 0x00 : 0x01, 0xa0 + layer]);
      const p = a.sendRtp(
        { ssrc: ssrcs[layer], payloadType: VP8_PT, sequenceNumber: 100 * (layer + 1) + s[layer]++, timestamp: t[layer], marker: true },
        payload,
      );
      t[layer] += 3000;
      return p;
    };
    for (let l = 0; l < 3; l++) await send(l, true);
    for (let i = 0; i < 3; i++) for (let l = 0; l < 3; l++) await send(l, false);
    await waitFor(() => got().length >= 4, 3000, 'top layer');
    expect(got().every((p) => p.payload[2] === 0xa2)).toBe(true);
    const layerEvents: number[] = [];
    c.on('layerschange', (l) => layerEvents.push(l!.spatialLayer));
    const plis = () =>
      a.rtcp.filter((p) => p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication && p.feedback.mediaSsrc === 301).length;
    const plis0 = plis();
    await c.setPreferredLayers({ spatialLayer: 0 });
    await waitFor(() => plis() > plis0, 3000, 'PLI on layer 0');
    await send(0, false); // not a keyframe: no switch yet
    await send(2, false); // still on layer 2 until the switch
    await sleep(50);
    const before = got().length;
    const lastSeq = got().at(-1)!.header.sequenceNumber;
    await send(0, true);
    await send(2, false); // dropped after the switch
    await send(0, false);
    await waitFor(() => got().length >= before + 2, 3000, 'layer 0');
    const after = got().slice(before);
    expect(after.map((p) => p.payload[2])).toEqual([0xa0, 0xa0]);
    expect(after[0].header.sequenceNumber).toBe((lastSeq + 1) & 0xffff);
    await waitFor(() => layerEvents.includes(0), 2000, 'layerschange');
    expect(c.preferredLayers).toEqual({ spatialLayer: 0, temporalLayer: 0 });
    sim.close();
  });

  it('producer close cascades to consumers (producerclose); transport close cascades to producers', async () => {
    const events: string[] = [];
    consumer.on('producerclose', () => events.push('producerclose'));
    producer.close();
    producer.close(); // idempotent
    expect(events).toEqual(['producerclose']);
    expect(consumer.closed).toBe(true);
    const p2 = await sendT.produce({ kind: 'video', rtpParameters: { ...videoParams, encodings: [{ ssrc: 999 }] } });
    const c2 = await recvT.consume({ producerId: p2.id, rtpCapabilities: router.rtpCapabilities });
    const ev2: string[] = [];
    p2.on('transportclose', () => ev2.push('p2 transportclose'));
    c2.on('producerclose', () => ev2.push('c2 producerclose'));
    sendT.close();
    expect(ev2).toEqual(['c2 producerclose', 'p2 transportclose']);
    expect(router.producers.size).toBe(0);
    const dump = await node.dump();
    expect(dump[0]).toMatchObject({ producers: 0, consumers: 0, transports: 1 });
  });
});

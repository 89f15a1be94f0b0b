/**
 * The media rows against the real local media node (in-process engine) with Node werift peers:
 * publish over signaling, the other user consumes and receives RTP; streamRecordCtrl records
 * through the node and reports recordingFinished / recordingStopped.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaNode, type RtpParameters } from '../../media';
import { NodePeer, waitFor } from '../../media/testing/NodePeer';
import type { SdkEvents } from '../../sdk';
import { startHarness, type Harness } from './harness';

const VP8_PT = 96;
const videoParams: RtpParameters = {
  mid: '0',
  codecs: [
    { mimeType: 'video/VP8', payloadType: VP8_PT, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }] },
  ],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 3 }],
  encodings: [{ ssrc: 4242 }],
  rtcp: { cname: 'alice' },
};
const KEY = () => Buffer.from([0x10, 0x00, 0x9d, 0x01, 0x2a, 1, 2, 3]);

let h: Harness | undefined;
let node: MediaNode | undefined;
const peers: NodePeer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) await p.close();
  await h?.close();
  await node?.close();
});

interface TransportInfo {
  id: string;
  iceParameters: never;
  iceCandidates: never;
  dtlsParameters: never;
}

describe('media rows on the real media node', () => {
  it('alice publishes VP8 over signaling, bob consumes and receives it; server recording via streamRecordCtrl', async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 42200,
      rtcMaxPort: 42300,
      numWorkers: 0,
      recordingsDir: mkdtempSync(path.join(tmpdir(), 'sig-rec-')),
      logger: pino({ level: 'silent' }),
    });
    h = await startHarness({ mediaNode: node, signaling: { networkQualitySeconds: 0.5 } });
    const [a, b] = [await h.login('alice'), await h.login('bob')];
    await a.enterRoom({ roomId: 77 });
    await b.enterRoom({ roomId: 77 });
    const caps = await a.request('getRouterRtpCapabilities', {});
    const sendT = (await a.request('createWebRtcTransport', { direction: 'send' })) as TransportInfo;
    const pa = await NodePeer.connect(
      sendT,
      async (dtlsParameters) => void (await a.request('connectWebRtcTransport', { transportId: sendT.id, dtlsParameters })),
    );
    peers.push(pa);
    const announced = b.next('newProducer');
    const { id: producerId } = (await a.request('produce', { transportId: sendT.id, kind: 'video', rtpParameters: videoParams })) as { id: string };
    expect((await announced).producerId).toBe(producerId);

    const recvT = (await b.request('createWebRtcTransport', { direction: 'recv' })) as TransportInfo;
    const pb = await NodePeer.connect(
      recvT,
      async (dtlsParameters) => void (await b.request('connectWebRtcTransport', { transportId: recvT.id, dtlsParameters })),
    );
    peers.push(pb);
    const cons = (await b.request('consume', { transportId: recvT.id, producerId, rtpCapabilities: caps })) as { id: string; kind: string };
    expect(cons.kind).toBe('video');
    await b.request('resumeConsumer', { consumerId: cons.id });

    // Record alice while she sends.
    const finished: SdkEvents['recordingFinished'][] = [];
    h.sdk.on('recordingFinished', (e) => void finished.push(e));
    await h.sdk.streamRecordCtrl(1001, true, 0x801, 9, 'case-1'); // 0x800: alice is told
    let seq = 100;
    let ts = 1000;
    const sendFrame = async () => {
      await pa.sendRtp({ ssrc: 4242, payloadType: VP8_PT, sequenceNumber: seq++, timestamp: (ts += 3000), marker: true }, KEY());
    };
    for (let i = 0; i < 10; i++) {
      await sendFrame();
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => pb.rtpCount >= 3, 5000, 'RTP at bob');
    // The room hears alice's network quality from the node's receive statistics (NIM NetStatus).
    const quality = await b.next('networkQuality', (q) => q.userId === 1001, 5000);
    expect(quality).toMatchObject({ roomId: 77, userId: 1001, quality: 0, lossRate: 0 });

    const stopped = a.next('recordingStopped', () => true, 10_000);
    await h.sdk.streamRecordCtrl(1001, false);
    const st = await stopped;
    expect(st.userId).toBe(1001);
    await h.sdk.idle();
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ userId: 1001, flags: 0x801, param: 9, userStr: 'case-1', errorCode: 0 });
    expect(existsSync(finished[0].fileName)).toBe(true);

    const closed = b.next('producerClosed');
    await a.request('closeProducer', { producerId });
    expect((await closed).producerId).toBe(producerId);
  }, 30_000);
});

/**
 * The console's media sample on a real media node: a viewer that answers with transport-cc
 * feedback shows up in `downlinks` with its user, room and the node's estimate of its downlink.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { MediaNode } from '../media';
import { EXT } from '../media/ortc';
import { NodePeer, waitFor } from '../media/testing/NodePeer';
import { CcViewer, SimulcastSender, simulcastParameters } from '../media/testing/simulcastPeers';
import { mediaStats } from './mediaStats';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('reports each receiving user’s estimated downlink (transport-cc) next to the producers’ quality', async () => {
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: 42600,
    rtcMaxPort: 42650,
    numWorkers: 0,
    recordingsDir: mkdtempSync(path.join(tmpdir(), 'stats-rec-')),
    logger: pino({ level: 'silent' }),
  });
  cleanups.push(() => node.close());
  const router = await node.createRouter();
  const sendT = await router.createWebRtcTransport({ appData: { userId: 1001 } });
  const pub = await NodePeer.connect(sendT, (dtlsParameters) => sendT.connect({ dtlsParameters }));
  cleanups.push(() => pub.close());
  const producer = await sendT.produce({ kind: 'video', rtpParameters: simulcastParameters([801, 802, 803]), appData: { userId: 1001 } });
  const sender = new SimulcastSender(pub, [801, 802, 803], [100_000, 300_000, 600_000]);
  sender.start();
  cleanups.push(() => sender.stop());

  const recvT = await router.createWebRtcTransport({ appData: { userId: 1002 } });
  const peer = await NodePeer.connect(recvT, (dtlsParameters) => recvT.connect({ dtlsParameters }));
  cleanups.push(() => peer.close());
  const consumer = await recvT.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities, paused: true });
  const viewer = new CcViewer(
    peer,
    consumer.rtpParameters.encodings![0].ssrc!,
    consumer.rtpParameters.headerExtensions?.find((e) => e.uri === EXT.TRANSPORT_CC)?.id,
  );
  viewer.start();
  cleanups.push(() => viewer.stop());
  await consumer.resume();

  await waitFor(() => viewer.seconds.length >= 2, 10_000, 'two seconds of video');
  const sample = await mediaStats(node, () => 7);
  expect(sample.downlinks).toEqual([{ transportId: recvT.id, userId: 1002, roomId: 7, estimatedBitrate: expect.any(Number) }]);
  expect(sample.downlinks![0].estimatedBitrate).toBeGreaterThan(100_000);
  expect(sample.producers.map((p) => p.userId)).toEqual([1001]);
});

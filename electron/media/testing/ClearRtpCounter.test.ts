import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { MediaNode, type RtpParameters } from '../index';
import { ClearRtpCounter, connectCountingReceiver } from './ClearRtpCounter';
import { NodePeer, waitFor } from './NodePeer';

const rtpHeader = (ssrc: number, seq: number, pt = 96) => {
  const b = Buffer.alloc(20);
  b[0] = 0x80;
  b[1] = pt;
  b.writeUInt16BE(seq & 0xffff, 2);
  b.writeUInt32BE(ssrc, 8);
  return b;
};

describe('ClearRtpCounter', () => {
  it('counts received and expected packets per SSRC across a sequence wrap, skipping RTCP, STUN and DTLS', () => {
    const c = new ClearRtpCounter();
    for (let s = 65530; s < 65540; s++) if (s !== 65535 && s !== 65537) c.onDatagram(rtpHeader(7, s)); // 2 lost across the wrap
    c.onDatagram(rtpHeader(7, 65533)); // a late duplicate does not move the highest
    for (let s = 10; s < 15; s++) c.onDatagram(rtpHeader(8, s));
    c.onDatagram(rtpHeader(8, 0, 200)); // an SR (packet type 200)
    c.onDatagram(Buffer.from([0x00, 0x01, 0, 0, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0])); // STUN
    c.onDatagram(Buffer.from([22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0])); // DTLS
    expect(c.totals()).toEqual({ received: 8 + 1 + 5, expected: 10 + 5, streams: 2 });
    expect(c.rtcp).toBe(1);
    expect(c.ssrcs().sort()).toEqual([7, 8]);
  });

  describe('against the media node over real ICE + DTLS', () => {
    let node: MediaNode | undefined;
    afterAll(async () => node?.close());

    it('counts the forwarded packets and a sequence gap from the clear headers, without decrypting', async () => {
      node = await MediaNode.create({
        listenIp: '127.0.0.1',
        announcedIp: null,
        rtcMinPort: 49100,
        rtcMaxPort: 49199,
        numWorkers: 0,
        recordingsDir: mkdtempSync(path.join(tmpdir(), 'clear-rtp-')),
        logger: pino({ level: 'silent' }),
      });
      const router = await node.createRouter();
      const sendT = await router.createWebRtcTransport();
      const recvT = await router.createWebRtcTransport();
      const publisher = await NodePeer.connect(sendT, (dtlsParameters) => sendT.connect({ dtlsParameters }));
      const receiver = await connectCountingReceiver(recvT, (dtlsParameters) => recvT.connect({ dtlsParameters }));
      const rtpParameters: RtpParameters = {
        mid: '0',
        codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, rtcpFeedback: [{ type: 'nack' }] }],
        encodings: [{ ssrc: 4242 }],
      };
      const producer = await sendT.produce({ kind: 'video', rtpParameters });
      const consumer = await recvT.consume({ producerId: producer.id, rtpCapabilities: router.rtpCapabilities });
      await consumer.resume();
      let decrypted = 0;
      receiver.dtls.onRtp.subscribe(() => decrypted++);
      await waitFor(() => receiver.dtls.state === 'connected', 5000, 'receiver DTLS connected');

      // 40 packets, the first a VP8 keyframe (the node starts video at one); seq 1020 never sent
      for (let i = 0; i < 40; i++) {
        if (i === 20) continue;
        const payload = Buffer.from([0x10, i === 0 ? 0x00 : 0x01, 0x9d, 0x01, 0x2a, 1, 2, 3]);
        await publisher.sendRtp({ ssrc: 4242, payloadType: 96, sequenceNumber: 1000 + i, timestamp: 3000 * i, marker: true }, payload);
      }
      await waitFor(() => receiver.counter.totals().received >= 39, 5000, '39 packets counted');

      expect(receiver.counter.totals()).toEqual({ received: 39, expected: 40, streams: 1 });
      expect(receiver.counter.ssrcs()).toEqual([consumer.rtpParameters.encodings?.[0]?.ssrc]);
      expect(decrypted).toBe(0);
      await Promise.all([publisher.close(), receiver.close()]);
    });
  });
});

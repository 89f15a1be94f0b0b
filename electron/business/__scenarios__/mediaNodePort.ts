/** TEST ONLY: the real MediaNode (in-process engine) behind the signaling server's MediaPort. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { MediaNode } from '../../media';
import type { MediaPort, PortRouter } from '../../signaling';

export async function startMediaNode(rtcMinPort: number, rtcMaxPort: number): Promise<{ node: MediaNode; port: MediaPort }> {
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort,
    rtcMaxPort,
    numWorkers: 0,
    recordingsDir: mkdtempSync(path.join(os.tmpdir(), 'biz-rec-')),
    logger: pino({ level: 'silent' }),
  });
  const port: MediaPort = { createRouter: async () => (await node.createRouter()) as unknown as PortRouter };
  return { node, port };
}

/** A VP8 send-side rtpParameters like mediasoup-client produces (the veto runs before any RTP flows). */
export function vp8Params(ssrc: number): Record<string, unknown> {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }],
      },
    ],
    headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 3 }],
    encodings: [{ ssrc }],
    rtcp: { cname: `u${ssrc}` },
  };
}

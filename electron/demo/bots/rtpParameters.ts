/**
 * What a bot offers in `produce` (mediasoup RtpParameters, as mediasoup-client would build them
 * in Chromium): Opus with the ssrc-audio-level extension, VP8 with NACK / PLI / FIR feedback.
 * The ids and payload types match the router's defaults (docs/media.md "Negotiation").
 */
import { randomInt } from 'node:crypto';
import type { RtpParameters } from '../../media/types';

export const OPUS_PT = 111;
export const VP8_PT = 96;
export const MID_EXT_ID = 1;
export const AUDIO_LEVEL_EXT_ID = 10;

const MID_URI = 'urn:ietf:params:rtp-hdrext:sdes:mid';
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

export const randomSsrc = (): number => randomInt(1, 0xffffffff);

export function audioParameters(ssrc: number, cname: string, mid: string): RtpParameters {
  return {
    mid,
    codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48_000, channels: 2, parameters: { useinbandfec: 1, minptime: 10 }, rtcpFeedback: [] }],
    headerExtensions: [
      { uri: MID_URI, id: MID_EXT_ID },
      { uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_EXT_ID },
    ],
    encodings: [{ ssrc }],
    rtcp: { cname, reducedSize: true },
  };
}

export function videoParameters(ssrc: number, cname: string, mid: string): RtpParameters {
  return {
    mid,
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: VP8_PT,
        clockRate: 90_000,
        parameters: {},
        rtcpFeedback: [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }, { type: 'goog-remb' }],
      },
    ],
    headerExtensions: [{ uri: MID_URI, id: MID_EXT_ID }],
    encodings: [{ ssrc, maxBitrate: 300_000 }],
    rtcp: { cname, reducedSize: true },
  };
}

/**
 * Wire validation of the media rows (protocol §2): the shapes of rtpParameters, rtpCapabilities
 * and dtlsParameters a client sends, checked field by field before any of it reaches ORTC or the
 * engine. Objects stay loose (mediasoup-client adds fields over versions; unknown ones are ignored).
 */
import { z } from 'zod';
import type { DtlsParameters, RtpCapabilities, RtpParameters } from '../../media/types';

const int = z.number().int();
const u8 = int.min(0).max(255);
const u32 = int.min(0).max(4_294_967_295);
const id = z.string().min(1).max(128);
const kind = z.enum(['audio', 'video']);
const codecParameters = z.record(z.string(), z.union([z.string(), z.number()]));
const rtcpFeedback = z.looseObject({ type: z.string().min(1).max(64), parameter: z.string().max(64).optional() });

const rtpCodecParameters = z.looseObject({
  mimeType: z.string().regex(/^(audio|video)\/[\w.+-]+$/, 'must be audio/… or video/…'),
  payloadType: int.min(0).max(127),
  clockRate: int.min(1),
  channels: u8.optional(),
  parameters: codecParameters.optional(),
  rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
});

const rtpEncodingParameters = z.looseObject({
  ssrc: u32.optional(),
  rid: z.string().min(1).max(32).optional(),
  codecPayloadType: int.min(0).max(127).optional(),
  rtx: z.looseObject({ ssrc: u32 }).optional(),
  dtx: z.boolean().optional(),
  scalabilityMode: z.string().max(16).optional(),
  maxBitrate: int.min(0).optional(),
});

const headerExtension = z.looseObject({ uri: z.string().min(1).max(256), id: int.min(1).max(255), encrypt: z.boolean().optional() });

const rtpParametersShape = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(rtpCodecParameters).min(1).max(32),
  headerExtensions: z.array(headerExtension).max(32).optional(),
  encodings: z.array(rtpEncodingParameters).max(8).optional(),
  rtcp: z.looseObject({ cname: z.string().max(256).optional(), reducedSize: z.boolean().optional() }).optional(),
});

const rtpCapabilitiesShape = z.looseObject({
  codecs: z
    .array(
      z.looseObject({
        kind,
        mimeType: z.string().min(1).max(64),
        preferredPayloadType: int.min(0).max(127).optional(),
        clockRate: int.min(1),
        channels: u8.optional(),
        parameters: codecParameters.optional(),
        rtcpFeedback: z.array(rtcpFeedback).max(32).optional(),
      }),
    )
    .max(64)
    .optional(),
  headerExtensions: z
    .array(z.looseObject({ kind: kind.optional(), uri: z.string().min(1).max(256), preferredId: int.min(1).max(255) }))
    .max(64)
    .optional(),
});

const dtlsParametersShape = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(
      z.object({
        algorithm: z.enum(['sha-1', 'sha-224', 'sha-256', 'sha-384', 'sha-512']),
        value: z.string().regex(/^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}$/, 'must be colon-separated hex bytes'),
      }),
    )
    .min(1)
    .max(8),
});

// The shapes check every field ORTC and the engine read; mediasoup's types narrow a few of them
// further (header-extension URIs as a union), which the negotiation handles by ignoring unknown ones.
export const rtpParameters = rtpParametersShape as unknown as z.ZodType<RtpParameters>;
export const rtpCapabilities = rtpCapabilitiesShape as unknown as z.ZodType<RtpCapabilities>;
export const dtlsParameters = dtlsParametersShape as unknown as z.ZodType<DtlsParameters>;

export const mediaRequestSchemas = {
  getRouterRtpCapabilities: z.object({}).passthrough(),
  createWebRtcTransport: z.object({ direction: z.enum(['send', 'recv']) }),
  connectWebRtcTransport: z.object({ transportId: id, dtlsParameters }),
  restartIce: z.object({ transportId: id }),
  produce: z.object({ transportId: id, kind, rtpParameters, appData: z.record(z.string(), z.unknown()).optional() }),
  consume: z.object({ transportId: id, producerId: id, rtpCapabilities }),
  resumeConsumer: z.object({ consumerId: id }),
  pauseProducer: z.object({ producerId: id }),
  resumeProducer: z.object({ producerId: id }),
  closeProducer: z.object({ producerId: id }),
} as const;

export type MediaMethod = keyof typeof mediaRequestSchemas;
export type MediaData<M extends MediaMethod> = z.infer<(typeof mediaRequestSchemas)[M]>;

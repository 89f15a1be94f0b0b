/**
 * Server-side ORTC logic, modelled on mediasoup's ortc.ts: router capabilities, producer RTP
 * parameter mapping, consumable parameters, canConsume and consumer RTP parameters.
 */
import type {
  MediaKind,
  RtcpFeedback,
  RtpCapabilities,
  RtpCodecCapability,
  RtpCodecParameters,
  RtpEncodingParameters,
  RtpHeaderExtension,
  RtpParameters,
} from './types';

/** A router media codec: like RtpCodecCapability, payload type optional (assigned). */
export type RouterMediaCodec = Omit<RtpCodecCapability, 'preferredPayloadType'> & { preferredPayloadType?: number };

export const DEFAULT_MEDIA_CODECS: RouterMediaCodec[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, parameters: { useinbandfec: 1 } },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: {} },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];

export const EXT = {
  MID: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  RID: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  RRID: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  ABS_SEND_TIME: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  AUDIO_LEVEL: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  TRANSPORT_CC: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
} as const;

const HEADER_EXTENSIONS: RtpHeaderExtension[] = [
  { kind: 'audio', uri: EXT.MID, preferredId: 1, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: EXT.MID, preferredId: 1, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: EXT.RID, preferredId: 2, preferredEncrypt: false, direction: 'recvonly' },
  { kind: 'video', uri: EXT.RRID, preferredId: 3, preferredEncrypt: false, direction: 'recvonly' },
  { kind: 'audio', uri: EXT.ABS_SEND_TIME, preferredId: 4, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'video', uri: EXT.ABS_SEND_TIME, preferredId: 4, preferredEncrypt: false, direction: 'sendrecv' },
  // as mediasoup: audio senders stamp it (their feedback drives their own estimation); consumers get it on video only
  { kind: 'audio', uri: EXT.TRANSPORT_CC, preferredId: 5, preferredEncrypt: false, direction: 'recvonly' },
  { kind: 'video', uri: EXT.TRANSPORT_CC, preferredId: 5, preferredEncrypt: false, direction: 'sendrecv' },
  { kind: 'audio', uri: EXT.AUDIO_LEVEL, preferredId: 10, preferredEncrypt: false, direction: 'sendrecv' },
];

const VIDEO_FEEDBACK: RtcpFeedback[] = [
  { type: 'nack', parameter: '' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
  { type: 'goog-remb', parameter: '' },
  { type: 'transport-cc', parameter: '' },
];

const AUDIO_FEEDBACK: RtcpFeedback[] = [{ type: 'transport-cc', parameter: '' }];

export function isRtxMime(mimeType: string): boolean {
  return /\/rtx$/i.test(mimeType);
}

/** Build router RTP capabilities from media codecs (payload types 100+, RTX after each video codec). */
export function generateRouterRtpCapabilities(mediaCodecs: RouterMediaCodec[] = DEFAULT_MEDIA_CODECS): RtpCapabilities {
  const codecs: RtpCodecCapability[] = [];
  let pt = 100;
  for (const mc of mediaCodecs) {
    if (isRtxMime(mc.mimeType)) throw new TypeError('media codecs must not include RTX');
    const codec: RtpCodecCapability = {
      kind: mc.kind,
      mimeType: mc.mimeType,
      preferredPayloadType: mc.preferredPayloadType ?? pt++,
      clockRate: mc.clockRate,
      ...(mc.channels !== undefined ? { channels: mc.channels } : mc.kind === 'audio' ? { channels: 1 } : {}),
      parameters: { ...(mc.parameters ?? {}) },
      rtcpFeedback: (mc.kind === 'video' ? VIDEO_FEEDBACK : AUDIO_FEEDBACK).map((f) => ({ ...f })),
    };
    codecs.push(codec);
    if (mc.kind === 'video') {
      codecs.push({
        kind: 'video',
        mimeType: 'video/rtx',
        preferredPayloadType: pt++,
        clockRate: mc.clockRate,
        parameters: { apt: codec.preferredPayloadType },
        rtcpFeedback: [],
      });
    }
  }
  return { codecs, headerExtensions: HEADER_EXTENSIONS.map((e) => ({ ...e })) };
}

// ---------------------------------------------------------------- codec matching

type H264Profile = 'cb' | 'b' | 'm' | 'e' | 'h' | 'other';
function h264Profile(profileLevelId: unknown): H264Profile {
  const s = typeof profileLevelId === 'string' ? profileLevelId : '42e01f';
  const idc = parseInt(s.slice(0, 2), 16);
  const iop = parseInt(s.slice(2, 4), 16);
  if (idc === 0x42) return iop & 0x40 ? 'cb' : 'b';
  if (idc === 0x4d) return iop & 0x80 ? 'cb' : 'm';
  if (idc === 0x58) return iop & 0x80 ? (iop & 0x40 ? 'cb' : 'b') : 'e';
  if (idc === 0x64) return 'h';
  return 'other';
}

type CodecLike = { mimeType: string; clockRate: number; channels?: number; parameters?: Record<string, unknown> };

export function matchCodecs(a: CodecLike, b: CodecLike, { strict = false } = {}): boolean {
  if (a.mimeType.toLowerCase() !== b.mimeType.toLowerCase()) return false;
  if (a.clockRate !== b.clockRate) return false;
  const mime = a.mimeType.toLowerCase();
  if (mime.startsWith('audio/') && (a.channels ?? 1) !== (b.channels ?? 1)) return false;
  if (mime === 'video/h264') {
    const pa = a.parameters ?? {};
    const pb = b.parameters ?? {};
    if (Number(pa['packetization-mode'] ?? 0) !== Number(pb['packetization-mode'] ?? 0)) return false;
    if (strict && h264Profile(pa['profile-level-id']) !== h264Profile(pb['profile-level-id'])) return false;
  }
  return true;
}

// ---------------------------------------------------------------- producer mapping

export interface RtpMapping {
  codecs: { payloadType: number; mappedPayloadType: number }[];
  encodings: { ssrc?: number; rid?: string; scalabilityMode?: string; mappedSsrc: number }[];
}

export function randomSsrc(): number {
  return 100000000 + Math.floor(Math.random() * 900000000);
}

/**
 * Parameters a peer offered that the router cannot take (mediasoup's UnsupportedError): the
 * caller's mistake, so signaling answers it as a bad request naming `field`.
 */
export class OrtcError extends Error {
  override readonly name = 'OrtcError';
  constructor(
    /** where in the offered parameters, e.g. `rtpParameters.codecs[0]` */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Validate producer parameters against router caps; map PTs and SSRCs onto router space. */
export function getProducerRtpParametersMapping(params: RtpParameters, caps: RtpCapabilities): RtpMapping {
  const mapping: RtpMapping = { codecs: [], encodings: [] };
  const codecToCap = new Map<RtpCodecParameters, RtpCodecCapability>();
  if (params.codecs.filter((c) => !isRtxMime(c.mimeType)).length === 0) throw new OrtcError('rtpParameters.codecs', 'no media codec');
  for (const [i, codec] of params.codecs.entries()) {
    if (isRtxMime(codec.mimeType)) continue;
    const cap = caps.codecs!.find((c) => matchCodecs(codec, c, { strict: true }));
    if (!cap) throw new OrtcError(`rtpParameters.codecs[${i}]`, `unsupported codec [mimeType:${codec.mimeType}, payloadType:${codec.payloadType}]`);
    codecToCap.set(codec, cap);
  }
  for (const [i, codec] of params.codecs.entries()) {
    if (!isRtxMime(codec.mimeType)) continue;
    const apt = Number(codec.parameters?.apt);
    const assoc = params.codecs.find((c) => c.payloadType === apt);
    if (!assoc) throw new OrtcError(`rtpParameters.codecs[${i}]`, `missing media codec for RTX PT ${codec.payloadType}`);
    const assocCap = codecToCap.get(assoc);
    const rtxCap = caps.codecs!.find((c) => isRtxMime(c.mimeType) && Number(c.parameters?.apt) === assocCap?.preferredPayloadType);
    if (!rtxCap) throw new OrtcError(`rtpParameters.codecs[${i}]`, `no RTX codec for PT ${codec.payloadType}`);
    mapping.codecs.push({ payloadType: codec.payloadType, mappedPayloadType: rtxCap.preferredPayloadType! });
  }
  for (const [codec, cap] of codecToCap) mapping.codecs.push({ payloadType: codec.payloadType, mappedPayloadType: cap.preferredPayloadType! });
  if (!params.encodings || params.encodings.length === 0) throw new OrtcError('rtpParameters.encodings', 'producer needs at least one encoding');
  if (params.encodings.length > 3) throw new OrtcError('rtpParameters.encodings', 'at most 3 simulcast encodings are supported');
  let mappedSsrc = randomSsrc();
  for (const [i, enc] of params.encodings.entries()) {
    if (enc.ssrc === undefined && enc.rid === undefined) throw new OrtcError(`rtpParameters.encodings[${i}]`, 'encoding needs ssrc or rid');
    mapping.encodings.push({ ssrc: enc.ssrc, rid: enc.rid, scalabilityMode: enc.scalabilityMode, mappedSsrc: mappedSsrc++ });
  }
  return mapping;
}

/** Producer parameters as seen by consumers: router PTs, router header-extension ids, mapped SSRCs. */
export function getConsumableRtpParameters(kind: MediaKind, params: RtpParameters, caps: RtpCapabilities, mapping: RtpMapping): RtpParameters {
  const codecs: RtpCodecParameters[] = [];
  for (const codec of params.codecs) {
    if (isRtxMime(codec.mimeType)) continue;
    const mappedPt = mapping.codecs.find((m) => m.payloadType === codec.payloadType)!.mappedPayloadType;
    const cap = caps.codecs!.find((c) => c.preferredPayloadType === mappedPt)!;
    codecs.push({
      mimeType: cap.mimeType,
      payloadType: mappedPt,
      clockRate: cap.clockRate,
      ...(cap.channels !== undefined ? { channels: cap.channels } : {}),
      parameters: { ...(codec.parameters ?? {}) },
      rtcpFeedback: (cap.rtcpFeedback ?? []).map((f) => ({ ...f })),
    });
    const rtxCap = caps.codecs!.find((c) => isRtxMime(c.mimeType) && Number(c.parameters?.apt) === mappedPt);
    if (rtxCap) {
      codecs.push({
        mimeType: rtxCap.mimeType,
        payloadType: rtxCap.preferredPayloadType!,
        clockRate: rtxCap.clockRate,
        parameters: { ...(rtxCap.parameters ?? {}) },
        rtcpFeedback: [],
      });
    }
  }
  const headerExtensions = (caps.headerExtensions ?? [])
    // what the router may send (mid is numbered per transport, so consumers add it themselves)
    .filter((e) => e.kind === kind && e.uri !== EXT.MID && (e.direction === 'sendrecv' || e.direction === 'sendonly'))
    .map((e) => ({ uri: e.uri, id: e.preferredId, encrypt: e.preferredEncrypt ?? false, parameters: {} }));
  const encodings: RtpEncodingParameters[] = mapping.encodings.map((m, i) => {
    const src = params.encodings![i];
    const enc: RtpEncodingParameters = { ssrc: m.mappedSsrc };
    if (src.maxBitrate !== undefined) enc.maxBitrate = src.maxBitrate;
    if (src.scalabilityMode) enc.scalabilityMode = src.scalabilityMode;
    if (src.dtx !== undefined) enc.dtx = src.dtx;
    return enc;
  });
  return {
    codecs,
    headerExtensions,
    encodings,
    rtcp: { cname: params.rtcp?.cname || 'anychat', reducedSize: true, mux: true },
  };
}

export function canConsume(consumable: RtpParameters, caps: RtpCapabilities): boolean {
  const mediaCodecs = consumable.codecs.filter((c) => !isRtxMime(c.mimeType));
  return mediaCodecs.some((codec) => (caps.codecs ?? []).some((cap) => matchCodecs(codec, cap, { strict: true })));
}

/** Compute consumer RTP parameters from the consumable ones and the consuming endpoint's capabilities. */
export function getConsumerRtpParameters(consumable: RtpParameters, caps: RtpCapabilities, { enableRtx = true }: { enableRtx?: boolean } = {}): RtpParameters {
  const codecs: RtpCodecParameters[] = [];
  for (const capCodec of caps.codecs ?? []) {
    if (isRtxMime(capCodec.mimeType)) continue;
    const codec = consumable.codecs.find((c) => !isRtxMime(c.mimeType) && matchCodecs(c, capCodec, { strict: true }));
    if (!codec) continue;
    const fb = (codec.rtcpFeedback ?? []).filter((f) =>
      (capCodec.rtcpFeedback ?? []).some((cf) => cf.type === f.type && (cf.parameter ?? '') === (f.parameter ?? '')),
    );
    codecs.push({ ...codec, parameters: { ...(codec.parameters ?? {}) }, rtcpFeedback: fb.map((f) => ({ ...f })) });
    break; // one media codec per consumer (the first one the remote supports, in its preference order)
  }
  if (codecs.length === 0) throw new OrtcError('rtpCapabilities.codecs', 'cannot consume: no compatible media codec');
  const media = codecs[0];
  if (enableRtx) {
    const rtx = consumable.codecs.find((c) => isRtxMime(c.mimeType) && Number(c.parameters?.apt) === media.payloadType);
    const capRtx = (caps.codecs ?? []).find((c) => isRtxMime(c.mimeType) && Number(c.parameters?.apt) === media.payloadType);
    if (rtx && capRtx) codecs.push({ ...rtx, parameters: { ...rtx.parameters }, rtcpFeedback: [] });
  }
  const headerExtensions = (consumable.headerExtensions ?? [])
    .filter((e) => (caps.headerExtensions ?? []).some((ce) => ce.uri === e.uri && ce.preferredId === e.id))
    .map((e) => ({ ...e, parameters: { ...(e.parameters ?? {}) } }));
  // mid is added by the transport (per-transport numbering)
  const midCap = (caps.headerExtensions ?? []).find((ce) => ce.uri === EXT.MID && ce.kind === (media.mimeType.startsWith('audio') ? 'audio' : 'video'));
  if (midCap) headerExtensions.unshift({ uri: EXT.MID, id: midCap.preferredId, encrypt: false, parameters: {} });
  // one bandwidth estimation per consumer, as mediasoup: transport-cc if its extension is there, else REMB
  const keepFeedback = headerExtensions.some((e) => e.uri === EXT.TRANSPORT_CC)
    ? (f: RtcpFeedback) => f.type !== 'goog-remb'
    : headerExtensions.some((e) => e.uri === EXT.ABS_SEND_TIME)
      ? (f: RtcpFeedback) => f.type !== 'transport-cc'
      : (f: RtcpFeedback) => f.type !== 'transport-cc' && f.type !== 'goog-remb';
  for (const c of codecs) c.rtcpFeedback = (c.rtcpFeedback ?? []).filter(keepFeedback);
  const src = consumable.encodings ?? [];
  const encoding: RtpEncodingParameters = { ssrc: randomSsrc() };
  if (codecs.some((c) => isRtxMime(c.mimeType))) encoding.rtx = { ssrc: randomSsrc() };
  if (src.length > 1) {
    encoding.scalabilityMode = `L${src.length}T1`;
  } else if (src[0]?.scalabilityMode) {
    encoding.scalabilityMode = src[0].scalabilityMode;
  }
  const maxBitrate = src.reduce((acc, e) => acc + (e.maxBitrate ?? 0), 0);
  if (maxBitrate > 0) encoding.maxBitrate = maxBitrate;
  return {
    codecs,
    headerExtensions,
    encodings: [encoding],
    rtcp: { ...(consumable.rtcp ?? {}), reducedSize: true, mux: true },
  };
}

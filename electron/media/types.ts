/**
 * Public media types. RTP types are mediasoup's (re-exported from mediasoup-client, which shares
 * them with mediasoup) so real mediasoup can later stand behind the same interface.
 */
import type {
  RtpCapabilities,
  RtpParameters,
  RtpCodecCapability,
  RtpCodecParameters,
  RtpEncodingParameters,
  RtpHeaderExtension,
  RtpHeaderExtensionParameters,
  RtcpFeedback,
  MediaKind,
  IceParameters,
  IceCandidate,
  DtlsParameters,
  DtlsRole,
  DtlsFingerprint,
} from 'mediasoup-client/types';

export type {
  RtpCapabilities,
  RtpParameters,
  RtpCodecCapability,
  RtpCodecParameters,
  RtpEncodingParameters,
  RtpHeaderExtension,
  RtpHeaderExtensionParameters,
  RtcpFeedback,
  MediaKind,
  IceParameters,
  IceCandidate,
  DtlsParameters,
  DtlsRole,
  DtlsFingerprint,
};

export type AppData = Record<string, unknown>;

export type TransportState = 'new' | 'connecting' | 'connected' | 'failed' | 'closed';

export interface ConsumerLayers {
  spatialLayer: number;
  temporalLayer?: number;
}

export interface RtpStreamStats {
  type: 'inbound-rtp' | 'outbound-rtp';
  kind: MediaKind;
  ssrc: number;
  rid?: string;
  mimeType: string;
  timestamp: number;
  packetCount: number;
  byteCount: number;
  /** bits/s over the last ~1 s window */
  bitrate: number;
  packetsLost: number;
  fractionLost: number;
  /** inter-arrival jitter, RTP timestamp units (inbound) or as reported by the remote RR (outbound) */
  jitter: number;
  /** round-trip time in ms from RTCP SR/RR (outbound streams), 0 if unknown */
  roundTripTime: number;
  nackCount: number;
  nackPacketCount: number;
  retransmittedPackets: number;
  pliCount: number;
  firCount: number;
  score: number;
}

export interface TransportStats {
  type: 'webrtc-transport';
  transportId: string;
  timestamp: number;
  iceState: string;
  dtlsState: TransportState;
  iceSelectedTuple?: { localIp: string; localPort: number; remoteIp: string; remotePort: number; protocol: 'udp' | 'tcp' };
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsSent: number;
  recvBitrate: number;
  sendBitrate: number;
  /** the downlink estimate from the peer's transport-cc feedback (bits/s); absent until feedback arrives (mediasoup's name) */
  availableOutgoingBitrate?: number;
}

export interface RecordingResult {
  filePath: string;
  fileName: string;
  durationSeconds: number;
  bytes: number;
  flags: number;
  /** the file as the live muxer wrote it (the engine's answer; MediaNode finishes it into filePath) */
  livePath?: string;
  format?: 'webm' | 'mp4';
  /** no frame was recorded (e.g. no keyframe arrived) */
  empty?: boolean;
  /** composed recordings: made live, or from the recorded parts after stop (the fallback) */
  composition?: CompositionMode;
  /** the recording stopped on a write error */
  failed?: boolean;
  /** 0, or why the recording ended badly (shared/codes RecordingCodes) */
  errorCode?: number;
  error?: string;
}

/** Record flag bits (AnyChat style). */
export const RecordFlags = {
  VIDEO: 0x1,
  AUDIO: 0x2,
  SERVER: 0x4,
  MIX_AUDIO: 0x10,
  MIX_VIDEO: 0x20,
  ABREAST: 0x100,
  STEREO: 0x200,
  SNAPSHOT: 0x400,
  LOCAL_CALLBACK: 0x800,
  STREAM: 0x1000,
  USER_FILE_NAME: 0x2000,
} as const;

/** live: composed while recording (ffmpeg fed over loopback RTP); afterStop: parts composed on stop */
export type CompositionMode = 'live' | 'afterStop';

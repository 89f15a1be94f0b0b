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
  iceSelectedTuple?: { localIp: string; localPort: number; remoteIp: string; remotePort: number; protocol: 'udp' };
  bytesReceived: number;
  bytesSent: number;
  packetsReceived: number;
  packetsSent: number;
  recvBitrate: number;
  sendBitrate: number;
}

export interface RecordingResult {
  filePath: string;
  fileName: string;
  durationSeconds: number;
  bytes: number;
  flags: number;
}

/** Record flag bits (AnyChat style). */
export const RecordFlags = {
  VIDEO: 0x1,
  AUDIO: 0x2,
  SERVER: 0x4,
} as const;

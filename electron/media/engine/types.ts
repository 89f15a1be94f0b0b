/**
 * Types the engine's entities share. Entities depend on these interfaces rather than on each
 * other's classes where the dependency would point back up (a producer sends RTCP through its
 * transport; a consumer forwards through its transport), so the modules form no cycle.
 */
import type { RtcpPacket, RtpHeader } from 'werift';
import type { MediaKind } from '../types';
import type { RecvStats } from '../rtp/RecvStats';
import type { NackGenerator } from '../rtp/NackGenerator';
import type { EngineNotification } from './protocol';

export type Notify = (n: EngineNotification) => void;
export type EngineLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;

/** What every entity may use of the engine it lives in. */
export interface EngineScope {
  readonly notify: Notify;
  readonly log: EngineLog;
  /** packets in/out of the whole engine (engine.dump) */
  readonly counters: { rtpIn: number; rtpOut: number };
}

export interface ProducerStream {
  index: number;
  ssrc?: number;
  rtxSsrc?: number;
  rid?: string;
  mappedSsrc: number;
  stats: RecvStats;
  lastPacketAt: number;
  lastPliAt: number;
  pliCount: number;
  firCount: number;
  /** present when the producer negotiated generic NACK */
  nack?: NackGenerator;
}

/** A packet as forwarded to consumers and recorders (already un-RTXed, PT mapped to router space). */
export interface ForwardPacket {
  seq: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  payload: Buffer;
  /** the ssrc-audio-level extension's payload, if any */
  audioLevel?: Buffer;
  keyframe: boolean;
}

/** The side of a producer a packet sink (recorder) sees. */
export interface PacketSource {
  readonly id: string;
  readonly kind: MediaKind;
  readonly mimeType: string;
  readonly clockRate: number;
  readonly streams: readonly ProducerStream[];
  readonly sinks: Set<PacketSink>;
  requestKeyFrameAll(): void;
}

/** Receives a producer's packets besides its consumers (the recorder). Must never throw into the RTP path. */
export interface PacketSink {
  onPacket(fp: ForwardPacket, stream: ProducerStream, producer: PacketSource, now: number): void;
  onProducerClose?(producer: PacketSource): void;
}

/** The side of a producer's consumer the producer drives. */
export interface ProducerListener {
  onPacket(fp: ForwardPacket, stream: ProducerStream, now: number): void;
  onPadding(seq: number, stream: ProducerStream): void;
  onProducerPaused(): void;
  onProducerResumed(): void;
  close(): void;
}

/** What a producer needs of its transport: a way to send feedback to its sender. */
export interface RtcpSender {
  sendRtcp(packets: RtcpPacket[]): void;
}

/** What a consumer needs of its transport. */
export interface RtpSender {
  readonly state: string;
  /** `transportCc`: the 2-byte payload of the header's transport-wide-cc extension, which the transport stamps with its next sequence number */
  sendRtp(header: RtpHeader, payload: Buffer, transportCc?: Buffer): void;
}

/**
 * The port the signaling server uses for media (protocol §2 media rows): one router per room,
 * transports per session. Shaped after mediasoup so the media node's `MediaNode` plugs in directly
 * (mediaNodeAdapter.ts). Wire types are the media node's (mediasoup's) types.
 */
import type { DtlsParameters, IceCandidate, IceParameters, RtpCapabilities, RtpParameters } from '../../media/types';

export type Json = Record<string, unknown>;

export interface PortProducer {
  readonly id: string;
  readonly kind: 'audio' | 'video';
  readonly paused?: boolean;
  readonly appData: Json;
  pause(): Promise<void> | void;
  resume(): Promise<void> | void;
  close(): void;
  /** Optional: the media node closed the producer with its transport (ICE timeout, DTLS failure). */
  on?(event: 'transportclose', listener: () => void): unknown;
  /** Optional: receive statistics (the media node's RtpStreamStats; fractionLost 0–1, roundTripTime ms). */
  getStats?(): Promise<{ fractionLost?: number; roundTripTime?: number; jitter?: number }[]>;
}

export interface PortConsumer {
  readonly id: string;
  readonly producerId: string;
  readonly kind: 'audio' | 'video';
  readonly rtpParameters: RtpParameters;
  resume(): Promise<void> | void;
  /** Optional: the simulcast layer it sends changed; undefined = no layer (video paused: the downlink is too weak). */
  on?(event: 'layerschange', listener: (layers?: { spatialLayer: number; temporalLayer?: number }) => void): unknown;
  close(): void;
}

export interface PortTransport {
  readonly id: string;
  readonly iceParameters: IceParameters;
  readonly iceCandidates: IceCandidate[];
  readonly dtlsParameters: DtlsParameters;
  /** Optional: true once the media node closed it (ICE consent timeout, DTLS failure) or it was closed. */
  readonly closed?: boolean;
  connect(opts: { dtlsParameters: DtlsParameters }): Promise<void>;
  /** New local ICE credentials (mediasoup's restartIce); the client passes them to `transport.restartIce()`. */
  restartIce(): Promise<IceParameters>;
  produce(opts: { kind: 'audio' | 'video'; rtpParameters: RtpParameters; appData?: Json }): Promise<PortProducer>;
  consume(opts: { producerId: string; rtpCapabilities: RtpCapabilities; paused?: boolean }): Promise<PortConsumer>;
  close(): void;
}

export interface PortRouter {
  readonly id?: string;
  readonly rtpCapabilities: RtpCapabilities;
  canConsume(opts: { producerId: string; rtpCapabilities: RtpCapabilities }): boolean;
  createWebRtcTransport(opts?: { appData?: Json }): Promise<PortTransport>;
  close(): void;
}

/** What the media node provides: a router factory. */
export interface MediaPort {
  createRouter(): Promise<PortRouter>;
}

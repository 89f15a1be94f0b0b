/** Control messages between the main thread (MediaNode and proxies) and a media engine (worker). */
import type { DtlsParameters, MediaKind, RtpParameters } from '../types';
import type { RtpMapping } from '../ortc';

export interface EngineSettings {
  listenIp: string;
  announcedIp: string | null;
  rtcMinPort: number;
  rtcMaxPort: number;
  recordingsDir: string;
  /** close a connected transport after this long without any packet/ICE check from the peer */
  iceConsentTimeoutMs?: number;
  /** close a transport that never connects after this long */
  iceConnectTimeoutMs?: number;
}

export interface EngineRequests {
  'router.create': { routerId: string };
  'router.close': { routerId: string };
  'router.createWebRtcTransport': { routerId: string; transportId: string };
  'transport.connect': { transportId: string; dtlsParameters: DtlsParameters };
  'transport.close': { transportId: string };
  'transport.getStats': { transportId: string };
  'transport.produce': {
    transportId: string;
    producerId: string;
    kind: MediaKind;
    rtpParameters: RtpParameters;
    consumableRtpParameters: RtpParameters;
    mapping: RtpMapping;
    paused: boolean;
  };
  'transport.consume': {
    transportId: string;
    consumerId: string;
    producerId: string;
    rtpParameters: RtpParameters;
    paused: boolean;
    preferredSpatialLayer?: number;
  };
  'producer.pause': { producerId: string };
  'producer.resume': { producerId: string };
  'producer.close': { producerId: string };
  'producer.getStats': { producerId: string };
  'consumer.pause': { consumerId: string };
  'consumer.resume': { consumerId: string };
  'consumer.close': { consumerId: string };
  'consumer.getStats': { consumerId: string };
  'consumer.setPreferredLayers': { consumerId: string; spatialLayer: number; temporalLayer?: number };
  'consumer.requestKeyFrame': { consumerId: string };
  'recorder.start': { recordingId: string; routerId: string; producerIds: string[]; flags: number; fileBaseName: string };
  'recorder.stop': { recordingId: string };
  'engine.dump': Record<string, never>;
  'engine.crash': Record<string, never>;
}

export type EngineMethod = keyof EngineRequests;

export interface EngineNotification {
  targetId: string;
  event: string;
  data?: unknown;
}

export type MainToWorker =
  | { type: 'init'; settings: EngineSettings; workerId: number }
  | { type: 'request'; id: number; method: EngineMethod; data: unknown };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'response'; id: number; ok: true; data: unknown }
  | { type: 'response'; id: number; ok: false; error: string }
  | { type: 'notification'; notification: EngineNotification }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; data?: unknown };

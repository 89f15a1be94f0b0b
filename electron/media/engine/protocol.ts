/**
 * The typed channel between the main thread (MediaNode and its proxies) and a media engine
 * (worker): one request map typed by method for both data and result, and the notifications the
 * engine sends as a discriminated union.
 */
import type {
  ConsumerLayers,
  DtlsParameters,
  IceCandidate,
  IceParameters,
  MediaKind,
  RecordingResult,
  RtpParameters,
  RtpStreamStats,
  TransportState,
  TransportStats,
} from '../types';
import type { RtpMapping } from '../ortc';
import type { RtpForwardStats, RtpTarget } from '../recorder/RtpForwarder';

export interface EngineSettings {
  listenIp: string;
  announcedIp: string | null;
  rtcMinPort: number;
  rtcMaxPort: number;
  /** ICE candidates offered (mediasoup's names): UDP host, passive TCP host, UDP ranked first; all default true */
  enableUdp?: boolean;
  enableTcp?: boolean;
  preferUdp?: boolean;
  recordingsDir: string;
  /** close a connected transport after this long without any packet/ICE check from the peer */
  iceConsentTimeoutMs?: number;
  /** close a transport that never connects after this long */
  iceConnectTimeoutMs?: number;
}

type Empty = Record<string, never>;

/** Where the engine writes a recording (its answer to recorder.start). */
export interface RecordingLiveFile {
  filePath: string;
  fileName: string;
  livePath: string;
  format: 'webm' | 'mp4';
}

export interface EngineDump {
  routers: number;
  transports: number;
  producers: number;
  consumers: number;
  recordings: number;
  rtpIn: number;
  rtpOut: number;
  /** event-loop utilisation of the engine's thread (≈ share of one core it keeps busy) */
  elu: { idle: number; active: number };
}

/** Every engine method: what the main thread sends (`data`) and what it gets back (`result`). */
export interface EngineRequestMap {
  'router.create': { data: { routerId: string }; result: Empty };
  'router.close': { data: { routerId: string }; result: Empty };
  'router.createWebRtcTransport': {
    data: { routerId: string; transportId: string };
    result: { iceParameters: IceParameters; iceCandidates: IceCandidate[]; dtlsParameters: DtlsParameters };
  };
  'transport.connect': { data: { transportId: string; dtlsParameters: DtlsParameters }; result: Empty };
  'transport.close': { data: { transportId: string }; result: Empty };
  'transport.restartIce': { data: { transportId: string }; result: { iceParameters: IceParameters } };
  'transport.getStats': { data: { transportId: string }; result: TransportStats[] };
  'transport.produce': {
    data: {
      transportId: string;
      producerId: string;
      kind: MediaKind;
      rtpParameters: RtpParameters;
      mapping: RtpMapping;
      paused: boolean;
    };
    result: Empty;
  };
  'transport.consume': {
    data: {
      transportId: string;
      consumerId: string;
      producerId: string;
      rtpParameters: RtpParameters;
      paused: boolean;
      preferredSpatialLayer?: number;
    };
    result: { producerPaused: boolean };
  };
  'producer.pause': { data: { producerId: string }; result: Empty };
  'producer.resume': { data: { producerId: string }; result: Empty };
  'producer.close': { data: { producerId: string }; result: Empty };
  'producer.getStats': { data: { producerId: string }; result: RtpStreamStats[] };
  'consumer.pause': { data: { consumerId: string }; result: Empty };
  'consumer.resume': { data: { consumerId: string }; result: Empty };
  'consumer.close': { data: { consumerId: string }; result: Empty };
  'consumer.getStats': { data: { consumerId: string }; result: RtpStreamStats[] };
  'consumer.setPreferredLayers': { data: { consumerId: string; spatialLayer: number; temporalLayer?: number }; result: Empty };
  'consumer.requestKeyFrame': { data: { consumerId: string }; result: Empty };
  'recorder.start': { data: { recordingId: string; routerId: string; producerIds: string[]; flags: number; fileBaseName: string }; result: RecordingLiveFile };
  'recorder.stop': { data: { recordingId: string }; result: RecordingResult };
  /** live composition: producers' RTP to loopback ports an external ffmpeg reads (RtpForwarder) */
  'rtpout.start': { data: { forwardId: string; routerId: string; targets: RtpTarget[] }; result: Empty };
  'rtpout.requestKeyFrame': { data: { forwardId: string }; result: Empty };
  'rtpout.stats': { data: { forwardId: string }; result: RtpForwardStats };
  'rtpout.stop': { data: { forwardId: string }; result: RtpForwardStats };
  'engine.dump': { data: Empty; result: EngineDump };
  'engine.crash': { data: Empty; result: Empty };
}

export type EngineMethod = keyof EngineRequestMap;
export type EngineData<M extends EngineMethod> = EngineRequestMap[M]['data'];
export type EngineResult<M extends EngineMethod> = EngineRequestMap[M]['result'];

/** What the engine tells the main thread on its own, addressed to one object by id. */
export type EngineNotification =
  | { targetId: string; event: 'volumes'; data: { producerId: string; volume: number }[] }
  | { targetId: string; event: 'silence' }
  | { targetId: string; event: 'dominantspeaker'; data: { producerId: string } }
  | { targetId: string; event: 'icestatechange'; data: string }
  | { targetId: string; event: 'dtlsstatechange'; data: TransportState }
  /** the transport closed itself (ICE consent timeout, DTLS failure) */
  | { targetId: string; event: 'died'; data: { reason: string } }
  /** null: the consumer's video paused because not even its lowest layer fits the downlink */
  | { targetId: string; event: 'layerschange'; data: ConsumerLayers | null }
  /** a recording stopped on its own (write error) */
  | { targetId: string; event: 'recordingerror'; data: { message: string } };

/** An error as it crosses the thread boundary: name and stack survive. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
}

export type MainToWorker = { type: 'init'; settings: EngineSettings; workerId: number } | { type: 'request'; id: number; method: EngineMethod; data: unknown };

export type WorkerToMain =
  | { type: 'ready' }
  | { type: 'response'; id: number; ok: true; data: unknown }
  | { type: 'response'; id: number; ok: false; error: WireError }
  | { type: 'notification'; notification: EngineNotification }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; msg: string; data?: unknown };

export function toWireError(e: unknown): WireError {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack };
  return { name: 'Error', message: String(e) };
}

/** Rebuild a worker's error on the main thread: same name and stack, message prefixed with the method. */
export function fromWireError(method: string, w: WireError): Error {
  const e = new Error(`${method}: ${w.message}`);
  e.name = w.name;
  const head = `${w.name}: ${w.message}`;
  // the worker's frames, under a head line that names the method
  if (w.stack) e.stack = `${w.name}: ${e.message}${w.stack.startsWith(head) ? w.stack.slice(head.length) : `\n${w.stack}`}`;
  return e;
}

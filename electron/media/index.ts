/** Local media node (SFU) public entry point. See docs/media.md. */
export { MediaNode } from './MediaNode';
export type { MediaNodeOptions, MediaNodeEvents, RecordingHandle } from './MediaNode';
export { Router, WebRtcTransport, Producer, Consumer } from './api';
export type { RouterEvents, TransportEvents, ProducerEvents, ConsumerEvents } from './api';
export { generateRouterRtpCapabilities, DEFAULT_MEDIA_CODECS } from './ortc';
export * from './types';

/** Client signaling: the WebSocket server on `/ws` and the media port it drives. */
export { SignalingServer, type SignalingOptions, type SignalingSettings } from './SignalingServer';
export type { MediaPort, PortRouter, PortTransport, PortProducer, PortConsumer } from './media/MediaPort';
export { mediaNodePort, MediaNodeRecorder } from './media/mediaNodeAdapter';
export { attachMediaNode, attachMediaPort, type MediaWiring } from './media/mediaWiring';

export {
  AnyChatClient,
  ClientError,
  type ClientEvents,
  type ClientEventName,
  type SocketLike,
  type SocketFactory,
  type TransferProgress,
} from './AnyChatClient';
export * from '../protocol/messages';
export { ProtocolLimits, VideoCallEvent, UserInfoCtrl } from '../protocol/limits';
export { bytesToBase64, base64ToBytes } from '../protocol/base64';

/**
 * Every method the server itself serves (protocol §2): the signaling's method table is typed over
 * this list, so a name here without a row there fails to compile; business code may register
 * any other name (sdk.registerClientMethod).
 */
export const BUILT_IN_METHODS = [
  'ping',
  'login',
  'logout',
  'enterRoom',
  'leaveRoom',
  'sendTextMessage',
  'sendSDKFilterData',
  'transBuffer',
  'transferBegin',
  'transferChunk',
  'transferStatus',
  'transferCancel',
  'transferResume',
  'transferAck',
  'videoCall',
  'userInfoControl',
  'getUserInfo',
  'getOnlineFriends',
  'getRouterRtpCapabilities',
  'createWebRtcTransport',
  'connectWebRtcTransport',
  'restartIce',
  'produce',
  'consume',
  'resumeConsumer',
  'pauseProducer',
  'resumeProducer',
  'closeProducer',
] as const;

export type BuiltInMethodName = (typeof BUILT_IN_METHODS)[number];

const names: ReadonlySet<string> = new Set(BUILT_IN_METHODS);

export function isBuiltInMethodName(m: string): m is BuiltInMethodName {
  return names.has(m);
}

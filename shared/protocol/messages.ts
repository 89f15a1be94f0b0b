/**
 * The client signaling protocol (docs/protocol.md): request name → data → result, and
 * notification name → data. Binary payloads are base64 strings. Media shapes are kept as
 * `unknown`-ish records here so shared/ needs no media library; the media port types them.
 */
export type RoomRole = 'interactive' | 'audience';

export interface RoomUser {
  userId: number;
  nickName: string;
  role: RoomRole;
}

export interface FriendEntry {
  userId: number;
  nickName: string;
  online: boolean;
  groupId: number;
}

export interface FriendGroup {
  groupId: number;
  name: string;
}

export type TransferKind = 'bufferEx' | 'file';

export interface VideoCallData {
  eventType: number;
  userId: number;
  errorCode?: number;
  flags?: number;
  param?: number;
  userStr?: string;
}

export interface Requests {
  ping: { data: Record<string, never>; result: { serverTime: number } };
  login: { data: { userName: string; password: string; strParam?: string }; result: { userId: number; userLevel: number; nickName: string } };
  logout: { data: Record<string, never>; result: Record<string, never> };
  enterRoom: {
    data: { roomId?: number; roomName?: string; password?: string; role?: RoomRole };
    result: { roomId: number; users: RoomUser[] };
  };
  leaveRoom: { data: Record<string, never>; result: Record<string, never> };
  sendTextMessage: { data: { targetUserId: number; secret: boolean; text: string }; result: Record<string, never> };
  sendSDKFilterData: { data: { data: string }; result: Record<string, never> };
  transBuffer: { data: { targetUserId: number; data: string }; result: Record<string, never> };
  transferBegin: {
    data: { kind: TransferKind; targetUserId: number; size: number; wParam?: number; lParam?: number; flags?: number; fileName?: string };
    result: { taskId: number; chunkBytes: number };
  };
  transferChunk: { data: { taskId: number; offset: number; data: string }; result: { received: number; done: boolean } };
  transferStatus: { data: { taskId: number }; result: { taskId: number; received: number; size: number; state: string } };
  transferCancel: { data: { taskId: number }; result: Record<string, never> };
  transferResume: { data: { taskId: number; offset: number }; result: Record<string, never> };
  transferAck: { data: { taskId: number }; result: Record<string, never> };
  videoCall: { data: VideoCallData; result: Record<string, never> };
  userInfoControl: {
    data: { userId: number; ctrlCode: number; wParam?: number; lParam?: number; strValue?: string };
    result: Record<string, never>;
  };
  getUserInfo: { data: { userId: number; infoId: number }; result: { value: string | null } };
  getOnlineFriends: { data: Record<string, never>; result: { friends: FriendEntry[]; groups: FriendGroup[] } };
  // Served by the business layer (docs/business.md) through sdk.registerClientMethod.
  createRoom: {
    data: { roomName: string; password?: string; capacity?: number; seatCount?: number };
    result: { roomId: number; roomName: string };
  };
  setRole: { data: { role: RoomRole }; result: { roomId: number; role: RoomRole } };
  micRequest: { data: Record<string, never>; result: MicResult };
  micRelease: { data: Record<string, never>; result: MicResult };
  getMicState: { data: Record<string, never>; result: MicState };
}

export interface MicResult {
  state: 'seated' | 'queued' | 'none';
  seat?: number;
  position?: number;
}

/** `userId` null = an empty seat. */
export interface MicState {
  roomId: number;
  seats: { seat: number; userId: number | null; locked: boolean }[];
  queue: number[];
}

export type MethodName = keyof Requests;

export interface Notifications {
  userEntered: { roomId: number; userId: number; nickName?: string; role?: RoomRole };
  userLeft: { roomId: number; userId: number; reason?: number };
  textMessage: { roomId: number; srcUserId: number; targetUserId: number; secret: boolean; text: string };
  sdkFilterData: { data: string };
  transBuffer: { srcUserId: number; data: string };
  transferBegin: {
    taskId: number;
    kind: TransferKind;
    srcUserId: number;
    size: number;
    wParam: number;
    lParam: number;
    flags: number;
    fileName?: string;
  };
  transferChunk: { taskId: number; offset: number; data: string };
  transferEnd: { taskId: number; errorCode: number };
  videoCallEvent: { eventType: number; userId: number; errorCode: number; flags: number; param: number; userStr: string };
  userInfoControl: { srcUserId: number; ctrlCode: number; wParam: number; lParam: number; strValue: string };
  userInfo: { userId: number; infoId: number; value: string };
  friendList: { friends: FriendEntry[]; groups: FriendGroup[] };
  friendStatus: { userId: number; online: boolean };
  roomClosed: { roomId: number; reason: number; message?: string };
  micState: MicState;
  userRoleChanged: { roomId: number; userId: number; role: RoomRole };
  /** NIM custom_info of the room (createRoom `customInfo`), to each member as it enters. */
  roomCustomInfo: { roomId: number; customInfo: string };
  newProducer: { producerId: string; userId: number; kind: string };
  /** An operator muted or unmuted this user's microphone (audio) or camera (video). */
  mediaMuted: { kind: 'audio' | 'video'; muted: boolean; by: 'operator' };
  producerClosed: { producerId: string; userId: number; kind: string };
  /** A member paused (muted) / resumed one of its producers; not sent to that member. */
  producerPaused: { producerId: string; userId: number; kind: string };
  producerResumed: { producerId: string; userId: number; kind: string };
  /**
   * The simulcast layer a consumer now receives (mediasoup's consumer `layerschange`); `spatialLayer`
   * null with reason `bandwidth`: its video is paused because the viewer's downlink cannot carry even
   * the lowest layer (it resumes on its own, with a new `consumerLayersChanged`).
   */
  consumerLayersChanged: { consumerId: string; producerId: string; spatialLayer: number | null; temporalLayer: number | null; reason?: 'bandwidth' };
  /** Every few seconds per publishing member (NIM NetStatus): 0 very good … 4 very bad. */
  networkQuality: { roomId: number; userId: number; quality: 0 | 1 | 2 | 3 | 4; lossRate: number; rttMs: number | null };
  recordingStarted: { userId: number; fileId?: string; fileName?: string; recordSeconds?: number };
  recordingStopped: { userId: number; fileId?: string; fileName?: string; recordSeconds?: number; errorCode?: number };
  kicked: { errorCode: number; banSeconds?: number; reason?: string };
  /** smart queueing (docs/gateway-api.md): a customer was handed to an agent; sent to both */
  queueAssigned: { agentUserId: number; customerUserId: number; queueId: number; queueGuid: string };
  error: { code: number; message: string };
}

export type NotificationName = keyof Notifications;

export interface ErrorBody {
  code: number;
  message: string;
}

export interface RequestFrame {
  id: number;
  method: string;
  data?: unknown;
}

export type ResponseFrame = { id: number; ok: true; data: unknown } | { id: number; ok: false; error: ErrorBody };

export interface NotificationFrame {
  notification: string;
  data: unknown;
}

/**
 * Public types of the business-server SDK (the BRAS_* API in TypeScript form; seed:
 * anychat-server-sdk.txt §2, §3, §5, §6). Business code, the gateway and the console program
 * against these and `AnyChatSdk`'s public methods only.
 */
import type { RoomRole } from '../../shared/protocol/messages';

export type { RoomRole };

/** A hook may answer now or later; a hook that does not answer within hookTimeoutMs fails closed. */
export type MaybePromise<T> = T | Promise<T>;

// ---------------------------------------------------------------- hooks (decide)

export interface VerifyUserRequest {
  userName: string;
  password: string;
  ip: string;
}
/** `code` 0 = accepted (userId required); 200 wrong credentials, 202 locked, any other code refuses. */
export interface VerifyUserResult {
  code: number;
  userId?: number;
  userLevel?: number;
  /** Empty → the user name is used (seed §2.3). */
  nickName?: string;
}

export interface PrepareEnterRoomRequest {
  userId: number;
  /** The id the client asked for; when it gave only `roomName`, the id the server allocated for that name (seed §2.4). */
  roomId: number;
  /** True when the client named the room and `roomId` is the server's allocation for the name. */
  allocated?: boolean;
  roomName: string;
  password: string;
  role: RoomRole;
}
/** A plain number is an error code (0 = allow). An object may allocate the room id and set the role. */
export type PrepareEnterRoomResult = number | { code: number; roomId?: number; role?: RoomRole };

export interface VideoCallRequest {
  srcUserId: number;
  targetUserId: number;
  flags: number;
  param: number;
  userStr: string;
}

export interface UserInfoControlRequest {
  srcUserId: number;
  userId: number;
  ctrlCode: number;
  wParam: number;
  lParam: number;
  strValue: string;
}
/** A number is the result code; `'default'` lets the SDK's default behaviour run (kick/sync/groups/friends). */
export type UserInfoControlResult = number | 'default';

export interface PrepareProduceRequest {
  userId: number;
  roomId: number;
  kind: 'audio' | 'video';
}

export interface SdkHooks {
  verifyUser: (req: VerifyUserRequest) => MaybePromise<VerifyUserResult>;
  prepareEnterRoom: (req: PrepareEnterRoomRequest) => MaybePromise<PrepareEnterRoomResult>;
  /** 0 allows the call; any other code refuses it and is what the caller sees. */
  videoCallRequest: (req: VideoCallRequest) => MaybePromise<number>;
  userInfoControl: (req: UserInfoControlRequest) => MaybePromise<UserInfoControlResult>;
  /** 0 allows producing; any other code refuses (e.g. audience without a seat). */
  prepareProduce: (req: PrepareProduceRequest) => MaybePromise<number>;
}
export type HookName = keyof SdkHooks;

// ---------------------------------------------------------------- events (inform)

export interface SdkEvents {
  /** seed §2.1: 10 core, 11 record, 12 login, 13 room, 14 media server connection; wParam = error code, lParam = server id. */
  serverMessage: { msg: number; wParam: number; lParam: number };
  /** seed §2.2, at the interval set with setTimer(). */
  timer: { at: number };
  /** `client`: what the client connected with (browser / OS from its User-Agent), '' when unknown. */
  login: { userId: number; userName: string; userLevel: number; nickName: string; ip: string; client?: string };
  /** reason: 0 normal, 100 timeout, 101 network, 211 kicked. */
  /** `userName` / `strUserId` are set when the user is no longer known (sessions a crash left open). */
  logout: { userId: number; reason: number; userName?: string; strUserId?: string };
  enterRoom: { userId: number; roomId: number; role: RoomRole };
  leaveRoom: { userId: number; roomId: number; reason: number };
  /** A cluster: another node's user left a room (this node may run its mic seats). */
  remoteMemberLeft: { userId: number; roomId: number };
  /** A cluster: another node's user entered a room (this node may run its admission and mic seats). */
  remoteMemberEntered: { userId: number; roomId: number; role: RoomRole };
  /** sendSDKFilterData from a client. */
  filterData: { userId: number; data: Uint8Array };
  textMessage: { roomId: number; srcUserId: number; targetUserId: number; secret: boolean; text: string };
  /** transBuffer with target 0 (the server). */
  transBuffer: { userId: number; data: Uint8Array };
  transBufferEx: { userId: number; data: Uint8Array; wParam: number; lParam: number; flags: number; taskId: number };
  /** A file sent to the server. The temp file stays until business code deletes it (seed §2.13). */
  fileReceived: {
    userId: number;
    fileName: string;
    tempFilePath: string;
    fileLength: number;
    wParam: number;
    lParam: number;
    taskId: number;
  };
  recordingFinished: {
    userId: number;
    fileName: string;
    elapseSeconds: number;
    flags: number;
    param: number;
    userStr: string;
    recordServerId: number;
    /** 0 = finished normally; otherwise why it ended (disk full, no media, host stopped…) */
    errorCode?: number;
    /** 'room' for a composite room recording; absent for one user's recording */
    kind?: 'single' | 'mixed' | 'room' | 'snapshot';
  };
  /** Every step of every call (1 request, 2 reply, 3 start, 4 finish). */
  videoCall: {
    eventType: number;
    srcUserId: number;
    targetUserId: number;
    errorCode: number;
    flags: number;
    param: number;
    userStr: string;
    /** On finish (4): the user who ended the call; 0 = the server (timeout). */
    endedBy?: number;
  };
  userInfoControl: UserInfoControlRequest & { resultCode: number };
  /** A transfer the SDK started (transBufferEx / transFile to a client) finished or failed. */
  transferFinished: { taskId: number; userId: number; kind: 'bufferEx' | 'file'; errorCode: number };
  /** A user was banned / a ban lifted (console live view). */
  banChanged: { userId: number; banned: boolean; until: number | null };
}
export type SdkEventName = keyof SdkEvents;
export type SdkEventHandler<K extends SdkEventName> = (payload: SdkEvents[K]) => void | Promise<void>;

// ---------------------------------------------------------------- views

export interface OnlineUser {
  userId: number;
  userName: string;
  nickName: string;
  userLevel: number;
  ip: string;
  loginAt: number;
  roomId: number | null;
  role: RoomRole | null;
  guest: boolean;
  /** Gateway "user object" flags (0x00 client, 0x02 agent, 0x10 auto mode); set with setUserFlags. */
  flags: number;
  /** String id (gateway struserid): the configured `strUserId`, else the user name. */
  strUserId: string;
  /** What the client sent at login as `strParam`. */
  strParam: string;
  /** The cluster node holding the user's connection (absent on a single host). */
  node?: string;
}

/** What the SDK needs from a cluster (electron/cluster implements it); absent on a single host. */
export interface ClusterPort {
  readonly nodeId: string;
  /** Kicks a user another node holds; resolves once that node has ended the session. */
  kickRemote(nodeId: string, userId: number, opts: KickOptions): Promise<boolean>;
  /** Takes a user another node holds out of their room (reason as for removeFromRoom). */
  removeFromRoomRemote(nodeId: string, userId: number, reason: number): Promise<boolean>;
  /** Hands a call reply or hang-up to the node that runs the call. */
  callRemote(nodeId: string, call: ForwardedCall): Promise<void>;
  /** Claims a user's login for this node for a moment (two nodes logging the same user in at once: one wins). */
  claimLogin(userId: number): Promise<boolean>;
  /** The node that owns a room (its media and mic seats); null when it is this one. */
  ownerOf(roomId: number): Promise<string | null>;
  /** Runs a registered client method for `userId` on another node. */
  invokeRemote(nodeId: string, method: string, userId: number, data: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** The node sending a download to a user of this node, when it is another node's task. */
  transferNodeOf(taskId: number): string | undefined;
  /** Runs a user's transferAck / transferResume / transferCancel / transferStatus on the node holding the task. */
  transferRemote(nodeId: string, method: string, userId: number, data: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Runs this SDK's prepareEnterRoom hook on another node (the room's owner admits). */
  admitRemote(nodeId: string, req: PrepareEnterRoomRequest): Promise<PrepareEnterRoomResult>;
  /** Gives a name to a room ahead of its first member (an operator's or a client's createRoom); returns the id holding the name. */
  holdRoomName(roomName: string, roomId: number): Promise<number>;
  /** The name goes with its room (the room ended or closed). */
  releaseRoomName(roomName: string, roomId: number): void;
}

/** A call reply (2) or hang-up (4) by `userId` for a call another node runs (seed §6). */
export interface ForwardedCall {
  op: 'reply' | 'finish';
  userId: number;
  otherUserId: number;
  errorCode: number;
  flags: number;
  param: number;
  userStr: string;
}

export interface RoomInfo {
  roomId: number;
  roomName: string;
  users: { userId: number; nickName: string; role: RoomRole }[];
}

export interface ActiveCall {
  callerId: number;
  calleeId: number;
  state: 'ringing' | 'active';
  roomId: number | null;
  startedAt: number;
  flags: number;
  param: number;
  userStr: string;
}

export interface BanEntry {
  userId: number;
  until: number;
  reason: string;
  createdAt: number;
}

export interface TransferTaskInfo {
  taskId: number;
  kind: 'bufferEx' | 'file';
  direction: 'toClient' | 'fromClient';
  userId: number;
  totalBytes: number;
  transferredBytes: number;
  /** 0–100 */
  progress: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
}

export interface TransferOptions {
  wParam?: number;
  lParam?: number;
  flags?: number;
}

export interface KickOptions {
  /** Ban the user for this long; they cannot log in until it expires (error 900210). */
  banSeconds?: number;
  reason?: string;
}

/** A business-defined client method: return a result object, throw a CodedError to refuse. */
export type ClientMethodHandler = (userId: number, data: Record<string, unknown>) => MaybePromise<Record<string, unknown> | void>;

// ---------------------------------------------------------------- ports

/** The server recorder (the media issue implements it). */
export interface RecorderPort {
  start(req: { userId: number; roomId: number | null; flags: number; param: number; userStr: string }): Promise<void>;
  /** Stops; the recorder later reports the file through `sdk.reportRecordingFinished`. */
  stop(req: { userId: number }): Promise<void>;
}

/** What the SDK needs from the media side (plugged in by the signaling server). */
export interface MediaControl {
  /** Closes every producer of a user (e.g. when business code takes a mic seat away). */
  closeUserProducers(userId: number): Promise<void> | void;
  /** Closes the user's media (transports) when they leave a room. */
  releaseUser(userId: number): Promise<void> | void;
}

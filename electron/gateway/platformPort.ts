/**
 * What the gateway and the smart queue need from the platform (SDK, signaling, media index),
 * and nothing more. `sdkPlatform.ts` adapts the real SDK to it; `memoryPlatform.ts` is a small
 * in-memory implementation for tests and benchmarks.
 */
import type { NotificationName, Notifications } from '../../shared/protocol/messages';

/** An online (logged-in) user. Times are epoch milliseconds. */
export interface PlatformUser {
  userId: number;
  userName: string;
  userLevel: number;
  loginIp: string;
  loginTime: number;
  /** Custom data the client passed at login (userlogin_notify strparam). */
  strParam?: string;
  /** String id (struserid): a configured one or the user name; default: the user name. */
  strUserId?: string;
}

/** File types (filelist_get bit mask): 1 recording, 2 snapshot, 4 stored (transferred) file. */
export type PlatformFileType = 1 | 2 | 4;

/** One entry of the recordings / snapshots / files index. */
export interface PlatformFile {
  fileId: string;
  /** Bare name, no directory. */
  fileName: string;
  /** Absolute path on disk (served by the download route). */
  filePath: string;
  fileLength: number;
  fileType: PlatformFileType;
  createTime: number;
  recordSeconds: number;
  /** Record flags (brief: 0x1 video, 0x2 audio, 0x4 server-side, …). */
  flags: number;
  userId: number;
  userName: string;
  userIp: string;
  param: number;
  strParam: string;
  /** In a cluster: the node whose disk holds the bytes (absent on a single host). */
  node?: string;
}

export interface FileQuery {
  fromMs: number;
  toMs: number;
  /** Bit mask of PlatformFileType. */
  typeMask: number;
  userId?: number;
  /** Files of the user with this name (struserid of a user who is not online). */
  userName?: string;
  fileName?: string;
  /** true: file name equals `fileName`; false: contains it. */
  exactName: boolean;
  offset: number;
  limit: number;
}

export interface FileIndex {
  /** Newest first. */
  query(q: FileQuery): Promise<{ total: number; files: PlatformFile[] }>;
  get(fileId: string): Promise<PlatformFile | undefined>;
  /** Removes the index entry and the file on disk; false when unknown. */
  delete(fileId: string): Promise<boolean>;
  /** Changes the file's display name; false when unknown. */
  rename(fileId: string, newName: string): Promise<boolean>;
}

/** Events the gateway turns into webhook notices (and the queue uses to free agents). */
export type PlatformEvent =
  | { type: 'userLogin'; user: PlatformUser }
  | { type: 'userLogout'; userId: number; userName: string; errorCode: number; time: number; strUserId?: string }
  | {
      type: 'recording';
      recordId: string;
      filePath: string;
      recordSeconds: number;
      flags: number;
      userId: number;
      userName: string;
      errorCode: number;
      param: number;
      strParam: string;
      callId?: string;
      recordServerId?: string;
    }
  /** A transparent buffer a client sent to the server (target 0). */
  | { type: 'transBuffer'; userId: number; userName: string; data: Uint8Array }
  | { type: 'fileReceived'; userId: number; userName: string; fileId: string; fileName: string; pathName: string; fileSize: number; strParam: string }
  | {
      type: 'videoCall';
      eventType: 1 | 2 | 3 | 4;
      callId: string;
      srcUserId: number;
      srcUserName: string;
      tarUserId: number;
      tarUserName: string;
      errorCode: number;
      flags: number;
      param: number;
      strParam: string;
    }
  | {
      type: 'textMessage';
      roomId: number;
      srcUserId: number;
      srcUserName: string;
      tarUserId: number;
      tarUserName: string;
      secret: boolean;
      text: string;
    };

/** A client method the queue adds to the signaling protocol: (calling user, request data) → result data. */
export type ClientMethodHandler = (userId: number, data: unknown) => unknown | Promise<unknown>;

export interface PlatformPort {
  onlineUsers(): PlatformUser[];
  user(userId: number): PlatformUser | undefined;
  /** Kicks a user out (the client gets `kicked` with 211); false when not online. */
  kick(userId: number): Promise<boolean>;
  /** Sends a transparent buffer from the server to a user; false when not online. */
  transBuffer(userId: number, data: Uint8Array): boolean;
  files: FileIndex;
  /**
   * Starts a server-initiated video call between two online users (seed §6: request → reply →
   * start). Resolves when the call started (videoCall start event), rejects when it cannot.
   */
  startVideoCall(callerUserId: number, calleeUserId: number, userStr: string): Promise<void>;
  /** Adds a method to the client signaling protocol; returns an unregister function. */
  registerClientMethod(name: string, handler: ClientMethodHandler): () => void;
  /** Pushes a notification to one client (protocol.md §2 push). */
  notifyUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): void;
  onEvent(listener: (event: PlatformEvent) => void): () => void;
  /** Optional: mirrors a user's user-object flags into the platform's own user view (SDK OnlineUser.flags). */
  setUserFlags?(userId: number, flags: number): void;
}

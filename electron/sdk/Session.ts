/** One logged-in client: who it is, where it is, and the link that reaches it. */
import type { NotificationName, Notifications } from '../../shared/protocol/messages';
import type { RoomRole } from './types';

/** What the SDK needs from a client connection (the signaling server implements it). */
export interface ClientLink {
  readonly ip: string;
  /** What the client connected with (e.g. "Chrome 140 / Linux"); '' when unknown. */
  readonly userAgent?: string;
  /** Set when another cluster node holds the client (the link forwards over the cluster bus). */
  readonly remoteNode?: string;
  /** False once the socket is gone. */
  readonly open: boolean;
  push<N extends NotificationName>(notification: N, data: Notifications[N]): void;
  /** Sends an already serialised notification frame (fan-out serialises once). */
  sendFrame(frame: string): void;
  /** Bytes queued on the socket and not yet sent (flow control for transfers). */
  bufferedBytes(): number;
  /** Closes the socket with a reason (after the SDK has finished the session). */
  close(code: number, reason: string): void;
}

export class Session {
  roomId: number | null = null;
  role: RoomRole | null = null;
  flags = 0;
  /** What the client sent at login as `strParam` (userlogin_notify strparam). */
  strParam = '';
  /** The user's string id (gateway struserid): a configured one, else the user name. */
  strUserId = '';
  readonly loginAt = Date.now();

  constructor(
    readonly link: ClientLink,
    readonly userId: number,
    readonly userName: string,
    readonly nickName: string,
    readonly userLevel: number,
    readonly guest: boolean,
  ) {}
}

/**
 * The client-facing half of the SDK: what a client's requests do (login, rooms, text, buffers,
 * transfers, calls, user info). The signaling server validates the wire format, then calls these.
 */
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import { base64ToBytes, bytesToBase64 } from '../../shared/protocol/base64';
import { ProtocolLimits, UserInfoCtrl, VideoCallEvent } from '../../shared/protocol/limits';
import type { NotificationName, Notifications, Requests } from '../../shared/protocol/messages';
import { isBuiltInMethodName } from '../../shared/protocol/methods';
import type { SdkSettings } from './SdkOptions';
import type { CallManager } from './CallManager';
import type { EventQueue } from './EventQueue';
import type { SdkStore } from './SdkStore';
import type { TransferManager } from './TransferManager';
import type { UserDirectory } from './UserDirectory';
import type { RoomTable } from './RoomTable';
import type { SessionTable } from './SessionTable';
import { runTransferMethod, type TransferMethod } from './ClusterSide';
import { runHook } from './hookRunner';
import { Session, type ClientLink } from './Session';
import type { ClientMethodHandler, ForwardedCall, HookName, PrepareEnterRoomRequest, PrepareEnterRoomResult, RoomInfo, RoomRole, SdkHooks } from './types';

/** The SDK as ClientSide sees it: its parts and the session/room lifecycle (AnyChatSdk builds it). */
/** A ban beyond the user id (guest name, address), asked at login; set by the console. */
export type LoginBanCheck = (login: {
  userId: number;
  userName: string;
  guest: boolean;
  ip: string;
}) => { until: number; reason: string } | null | Promise<{ until: number; reason: string } | null>;

export interface SdkInternals {
  readonly settings: SdkSettings;
  readonly directory: UserDirectory;
  readonly store: SdkStore;
  readonly events: EventQueue;
  readonly transfers: TransferManager;
  readonly calls: CallManager;
  readonly clientMethods: ReadonlyMap<string, ClientMethodHandler>;
  callHook<K extends HookName>(name: K, arg: Parameters<SdkHooks[K]>[0], fallback: () => ReturnType<SdkHooks[K]>): Promise<Awaited<ReturnType<SdkHooks[K]>>>;
  /** The prepareEnterRoom hook, where the room is owned (ClusterSide.admit). */
  admit(req: PrepareEnterRoomRequest): Promise<PrepareEnterRoomResult>;
  startSession(s: Session): void;
  endSession(s: Session, reason: number): Promise<void>;
  joinRoom(s: Session, roomId: number, roomName: string, role: RoomRole): RoomInfo;
  leaveRoomOf(s: Session, reason: number, tellSelf: boolean): Promise<void>;
  applyUserInfoControl(srcUserId: number, userId: number, ctrlCode: number, wParam: number, lParam: number, strValue: string): Promise<void>;
  friendListOf(userId: number): Promise<Result<'getOnlineFriends'>>;
  kickUser(userId: number): Promise<boolean>;
  pushToRoom<N extends NotificationName>(roomId: number, notification: N, data: Notifications[N], exceptUserId?: number): number;
  pushToUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): boolean;
  isOnline(userId: number): boolean;
  allocateRoomId(): number;
  allocateGuestId(): number;
  loginBanCheck: LoginBanCheck;
  /** In a cluster: hands a reply or hang-up to the node running the call; false when this node runs it. */
  forwardCall(call: ForwardedCall): Promise<boolean>;
  /** In a cluster: true once this node may log the user in (no login of the user on another node is under way). */
  claimLogin(userId: number): Promise<boolean>;
  /** In a cluster: a request about a download another node sends the user goes there; null when the task is here. */
  forwardTransfer(s: Session, method: TransferMethod, data: { taskId: number }): Promise<Record<string, unknown> | null>;
  /** In a cluster: runs a room-owner method on the node owning the caller's room; null when it runs here. */
  forwardMethod(s: Session, method: string, data: Record<string, unknown>): Promise<Record<string, unknown> | null>;
}

/** Per-connection state the signaling server keeps and hands back on every call. */
export interface ClientState {
  link: ClientLink;
  session: Session | null;
  /** True while a login is being verified (a second login on the same socket is refused). */
  loggingIn: boolean;
}

type Data<M extends keyof Requests> = Requests[M]['data'];
type Result<M extends keyof Requests> = Requests[M]['result'];

export class ClientSide {
  constructor(
    private readonly sdk: SdkInternals,
    private readonly sessions: SessionTable,
    private readonly rooms: RoomTable,
  ) {}

  isBuiltIn(method: string): boolean {
    return isBuiltInMethodName(method);
  }

  newState(link: ClientLink): ClientState {
    return { link, session: null, loggingIn: false };
  }

  async login(st: ClientState, d: Data<'login'>): Promise<Result<'login'>> {
    if (st.session || st.loggingIn) throw new CodedError(SignalingCodes.LOGIN_TWICE, 'already logged in on this connection');
    st.loggingIn = true;
    try {
      let userId: number;
      let userLevel = 0;
      let nickName = d.userName;
      const guest = d.password === '';
      if (guest) {
        if (!this.sdk.settings.guestLogin) throw new CodedError(SignalingCodes.GUEST_LOGIN_DISABLED, 'guest login is disabled');
        if (this.sdk.directory.knows(d.userName)) throw new CodedError(Codes.WRONG_CREDENTIALS, 'this user name needs a password');
        userId = this.allocateGuestId();
      } else {
        const r = await this.sdk.callHook('verifyUser', { userName: d.userName, password: d.password, ip: st.link.ip }, () =>
          this.sdk.directory.verify({ userName: d.userName, password: d.password, ip: st.link.ip }),
        );
        if (r.code !== 0)
          throw new CodedError(
            r.code,
            r.code === Codes.ACCOUNT_LOCKED ? 'account locked' : r.code === Codes.WRONG_CREDENTIALS ? 'wrong user name or password' : 'login refused',
          );
        if (!Number.isInteger(r.userId) || (r.userId ?? 0) <= 0) throw new CodedError(Codes.INTERNAL, 'verifyUser accepted without a valid userId');
        userId = r.userId!;
        userLevel = r.userLevel ?? 0;
        if (r.nickName) nickName = r.nickName;
      }
      const ban = (await this.sdk.store.activeBan(userId)) ?? (await this.sdk.loginBanCheck({ userId, userName: d.userName, guest, ip: st.link.ip })) ?? null;
      if (ban) throw new CodedError(SignalingCodes.USER_BANNED, `banned until ${new Date(ban.until).toISOString()}`, { until: ban.until });
      // Loop: while the old session is being kicked (async), another login may have won the race
      // (in a cluster, also one on another node at the same instant: only one claims the login).
      for (;;) {
        while (this.sessions.has(userId)) {
          if (this.sdk.settings.duplicateLogin === 'refuseNew')
            throw new CodedError(SignalingCodes.ALREADY_LOGGED_IN, 'this user is already logged in elsewhere');
          await this.sdk.kickUser(userId);
        }
        // Checked again after the (async) claim, in the same tick as the session starts.
        if ((await this.sdk.claimLogin(userId)) && !this.sessions.has(userId)) break;
      }
      if (!st.link.open) throw new CodedError(Codes.LOGOUT_NETWORK_ERROR, 'connection closed during login');
      const s = new Session(st.link, userId, d.userName, nickName, userLevel, guest);
      s.strParam = d.strParam ?? '';
      s.strUserId = this.sdk.directory.strUserIdOf(userId) ?? d.userName;
      st.session = s;
      this.sdk.startSession(s);
      return { userId, userLevel, nickName };
    } finally {
      st.loggingIn = false;
    }
  }

  async logout(st: ClientState): Promise<Result<'logout'>> {
    const s = this.need(st);
    st.session = null;
    await this.sdk.endSession(s, Codes.LOGOUT_NORMAL);
    return {};
  }

  /** The socket went away (reason 100 silent, 101 abrupt close, 0 after a clean close frame). */
  async disconnected(st: ClientState, reason: number): Promise<void> {
    const s = st.session;
    st.session = null;
    if (s) await this.sdk.endSession(s, reason);
  }

  async enterRoom(st: ClientState, d: Data<'enterRoom'>): Promise<Result<'enterRoom'>> {
    const s = this.need(st);
    const roomName = d.roomName ?? '';
    if (d.roomId === undefined && roomName === '') throw new CodedError(Codes.BAD_REQUEST, 'roomId or roomName is required');
    const role: RoomRole = d.role ?? 'interactive';
    // Seed §2.4: the hook gets the room id even when the client named the room: the id of the
    // room by that name, or the id the server allocates for a new name. The reservation makes a
    // concurrent entry by the same name (on any node of a cluster) get the same id.
    const target = d.roomId === undefined ? { roomName } : { roomId: d.roomId };
    const reserved = await this.rooms.reserve(target, s.userId, () => this.sdk.allocateRoomId());
    try {
      const req = { userId: s.userId, roomId: reserved, roomName, password: d.password ?? '', role, allocated: d.roomId === undefined };
      const r = await this.sdk.admit(req);
      const code = typeof r === 'number' ? r : r.code;
      if (code !== 0) throw new CodedError(code, 'entering the room was refused');
      const roomId = (typeof r === 'object' && r.roomId) || reserved;
      const finalRole = (typeof r === 'object' && r.role) || role;
      if (this.sessions.get(s.userId) !== s) throw new CodedError(SignalingCodes.NOT_LOGGED_IN, 'logged out meanwhile');
      if (s.roomId !== null) await this.sdk.leaveRoomOf(s, 0, false);
      const room = this.sdk.joinRoom(s, roomId, roomName, finalRole);
      return { roomId, users: room.users };
    } finally {
      // Refused, redirected by the hook, or logged out: the reservation goes (unless the user is
      // a member of that room already — re-entering it).
      if (s.roomId !== reserved) this.rooms.release(reserved, roomName, s.userId);
    }
  }

  async leaveRoom(st: ClientState): Promise<Result<'leaveRoom'>> {
    const s = this.need(st);
    if (s.roomId === null) throw new CodedError(SignalingCodes.NOT_IN_ROOM, 'not in a room');
    await this.sdk.leaveRoomOf(s, 0, false);
    return {};
  }

  sendTextMessage(st: ClientState, d: Data<'sendTextMessage'>): Result<'sendTextMessage'> {
    const s = this.need(st);
    if (s.roomId === null) throw new CodedError(SignalingCodes.NOT_IN_ROOM, 'enter a room first');
    if (d.text.length > ProtocolLimits.MAX_TEXT_CHARS)
      throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `text above ${ProtocolLimits.MAX_TEXT_CHARS} characters`);
    if (Buffer.byteLength(d.text, 'utf8') > ProtocolLimits.MAX_TEXT_BYTES)
      throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `text above ${ProtocolLimits.MAX_TEXT_BYTES} bytes (UTF-8)`);
    const roomId = s.roomId;
    const secret = d.targetUserId !== -1 && d.secret;
    const msg = { roomId, srcUserId: s.userId, targetUserId: d.targetUserId, secret, text: d.text };
    if (d.targetUserId !== -1) {
      const target = this.sessions.get(d.targetUserId);
      if (!target || target.roomId !== roomId) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${d.targetUserId} is not in this room`);
      if (secret) target.link.push('textMessage', msg);
      else this.sdk.pushToRoom(roomId, 'textMessage', msg, s.userId);
    } else {
      this.sdk.pushToRoom(roomId, 'textMessage', msg, s.userId);
    }
    this.sdk.events.emit('textMessage', msg);
    return {};
  }

  sendSDKFilterData(st: ClientState, d: Data<'sendSDKFilterData'>): Result<'sendSDKFilterData'> {
    const s = this.need(st);
    const bytes = decode(d.data, ProtocolLimits.MAX_BUFFER_BYTES);
    this.sdk.events.emit('filterData', { userId: s.userId, data: bytes });
    return {};
  }

  transBuffer(st: ClientState, d: Data<'transBuffer'>): Result<'transBuffer'> {
    const s = this.need(st);
    const bytes = decode(d.data, ProtocolLimits.MAX_BUFFER_BYTES);
    if (d.targetUserId === 0) {
      this.sdk.events.emit('transBuffer', { userId: s.userId, data: bytes });
      return {};
    }
    if (!this.sdk.pushToUser(d.targetUserId, 'transBuffer', { srcUserId: s.userId, data: bytesToBase64(bytes) })) {
      throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${d.targetUserId} is not online`);
    }
    return {};
  }

  async transferBegin(st: ClientState, d: Data<'transferBegin'>): Promise<Result<'transferBegin'>> {
    const s = this.need(st);
    if (s.guest && !this.sdk.settings.guestUploads)
      throw new CodedError(SignalingCodes.GUEST_UPLOADS_DISABLED, 'guests may not upload (signaling.guestUploads is off)');
    const r = this.sdk.transfers.begin(s.userId, d, d.targetUserId === 0 || this.sdk.isOnline(d.targetUserId));
    await this.sdk.transfers.completeIfEmpty(r.taskId);
    return r;
  }

  async transferChunk(st: ClientState, d: Data<'transferChunk'>): Promise<Result<'transferChunk'>> {
    const s = this.need(st);
    const bytes = decode(d.data, ProtocolLimits.TRANSFER_CHUNK_BYTES);
    return this.sdk.transfers.chunk(s.userId, d.taskId, d.offset, bytes);
  }

  transferStatus(st: ClientState, d: Data<'transferStatus'>): Promise<Result<'transferStatus'>> {
    return this.transferMethod(st, 'transferStatus', d) as Promise<Result<'transferStatus'>>;
  }

  async transferCancel(st: ClientState, d: Data<'transferCancel'>): Promise<Result<'transferCancel'>> {
    await this.transferMethod(st, 'transferCancel', d);
    return {};
  }

  async transferResume(st: ClientState, d: Data<'transferResume'>): Promise<Result<'transferResume'>> {
    await this.transferMethod(st, 'transferResume', d);
    return {};
  }

  async transferAck(st: ClientState, d: Data<'transferAck'>): Promise<Result<'transferAck'>> {
    await this.transferMethod(st, 'transferAck', d);
    return {};
  }

  /** Where the task is: here, or (a download another node sends the user) on that node. */
  private async transferMethod(st: ClientState, method: TransferMethod, d: { taskId: number; offset?: number }): Promise<Record<string, unknown>> {
    const s = this.need(st);
    return (await this.sdk.forwardTransfer(s, method, d)) ?? runTransferMethod(this.sdk.transfers, method, s.userId, d);
  }

  async videoCall(st: ClientState, d: Data<'videoCall'>): Promise<Result<'videoCall'>> {
    const s = this.need(st);
    const flags = d.flags ?? 0;
    const param = d.param ?? 0;
    const userStr = d.userStr ?? '';
    switch (d.eventType) {
      case VideoCallEvent.REQUEST:
        await this.sdk.calls.request(s.userId, d.userId, flags, param, userStr);
        return {};
      case VideoCallEvent.REPLY:
      case VideoCallEvent.FINISH: {
        const op = d.eventType === VideoCallEvent.REPLY ? 'reply' : 'finish';
        const call = { op, userId: s.userId, otherUserId: d.userId, errorCode: d.errorCode ?? 0, flags, param, userStr } as const;
        if (await this.sdk.forwardCall(call)) return {};
        if (op === 'reply') this.sdk.calls.reply(s.userId, d.userId, call.errorCode, flags, param, userStr);
        else this.sdk.calls.finish(s.userId, call.errorCode, d.userId);
        return {};
      }
      default:
        throw new CodedError(Codes.BAD_REQUEST, 'eventType must be 1 (request), 2 (reply) or 4 (finish); 3 (start) is sent by the server');
    }
  }

  async userInfoControl(st: ClientState, d: Data<'userInfoControl'>): Promise<Result<'userInfoControl'>> {
    const s = this.need(st);
    const req = { srcUserId: s.userId, userId: d.userId, ctrlCode: d.ctrlCode, wParam: d.wParam ?? 0, lParam: d.lParam ?? 0, strValue: d.strValue ?? '' };
    const decision = await this.sdk.callHook('userInfoControl', req, () => 'default' as const);
    let resultCode = typeof decision === 'number' ? decision : 0;
    try {
      if (decision === 'default') {
        if (req.ctrlCode === UserInfoCtrl.KICKOUT) throw new CodedError(Codes.FORBIDDEN, 'clients cannot kick users');
        // Clients manage their own groups and friends; app-defined codes go to the target user.
        const target = req.ctrlCode >= UserInfoCtrl.APPDEFINE ? req.userId : s.userId;
        await this.sdk.applyUserInfoControl(s.userId, target, req.ctrlCode, req.wParam, req.lParam, req.strValue);
      }
    } catch (err) {
      resultCode = (err as CodedError).code ?? Codes.INTERNAL;
      this.sdk.events.emit('userInfoControl', { ...req, resultCode });
      throw err;
    }
    this.sdk.events.emit('userInfoControl', { ...req, resultCode });
    if (resultCode !== 0) throw new CodedError(resultCode, 'the business server refused the control');
    return {};
  }

  async getUserInfo(st: ClientState, d: Data<'getUserInfo'>): Promise<Result<'getUserInfo'>> {
    this.need(st);
    return { value: await this.sdk.store.getUserInfo(d.userId, d.infoId) };
  }

  getOnlineFriends(st: ClientState): Promise<Result<'getOnlineFriends'>> {
    return this.sdk.friendListOf(this.need(st).userId);
  }

  /** A method registered by business code. */
  async invokeRegistered(st: ClientState, method: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
    const handler = this.sdk.clientMethods.get(method);
    if (!handler) throw new CodedError(SignalingCodes.UNKNOWN_METHOD, `unknown method "${method}"`);
    const s = this.need(st);
    const forwarded = await this.sdk.forwardMethod(s, method, data);
    if (forwarded) return forwarded;
    return (await runHook(method, (d: Record<string, unknown>) => handler(s.userId, d), data, this.sdk.settings.hookTimeoutMs)) ?? {};
  }

  hasRegistered(method: string): boolean {
    return this.sdk.clientMethods.has(method);
  }

  /** The room check for media rows and the business produce veto. */
  async prepareProduce(st: ClientState, kind: 'audio' | 'video'): Promise<{ userId: number; roomId: number }> {
    const s = this.need(st);
    if (s.roomId === null) throw new CodedError(SignalingCodes.NOT_IN_ROOM, 'enter a room first');
    const code = await this.sdk.callHook('prepareProduce', { userId: s.userId, roomId: s.roomId, kind }, () => 0);
    if (code !== 0) throw new CodedError(code, 'producing is not allowed');
    return { userId: s.userId, roomId: s.roomId };
  }

  need(st: ClientState): Session {
    if (!st.session || this.sessions.get(st.session.userId) !== st.session) {
      st.session = null;
      throw new CodedError(SignalingCodes.NOT_LOGGED_IN, 'log in first');
    }
    return st.session;
  }

  private allocateGuestId(): number {
    return this.sdk.allocateGuestId();
  }
}

function decode(b64: string, max: number): Uint8Array {
  const bytes = base64ToBytes(b64);
  if (!bytes) throw new CodedError(Codes.BAD_REQUEST, 'data must be base64');
  if (bytes.length > max) throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `data of ${bytes.length} bytes exceeds ${max}`);
  return bytes;
}

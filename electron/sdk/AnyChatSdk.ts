/**
 * The business-server SDK (BRAS_* API, seed anychat-server-sdk.txt §2, §3, §5, §6): hooks that
 * decide, events that inform (ordered, one at a time), calls that act. It owns sessions, rooms,
 * calls and transfers; the signaling server drives it through `sdk.client` (ClientSide).
 */
import { AccountLockStore, openSdkCounters, type SdkCounters } from './PersistentCounters';
import { SqlIdAllocator } from '../store/idAllocator';
import { sqliteClientFor } from '../store/sql/SqliteClient';
import { UploadBudget, uploadLimitsOf } from './UploadBudget';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from 'pino';
import { CodedError, Codes } from '../../shared/codes';
import type { FriendEntry, NotificationName, Notifications } from '../../shared/protocol/messages';
import { SDK_BUILD_TIME, SDK_VERSION } from '../util/version';
import type { Db } from '../store/Database';
import { CallManager } from './CallManager';
import { ClientSide, type LoginBanCheck, type SdkInternals } from './ClientSide';
import { ClusterSide } from './ClusterSide';
import { Moderation } from './Moderation';
import { Delivery } from './Delivery';
import { EventQueue } from './EventQueue';
import { runHook } from './hookRunner';
import { RecordingControl } from './RecordingControl';
import { SdkStore } from './SdkStore';
import { InProcessRoomTable, type RoomTable } from './RoomTable';
import { SessionLifecycle } from './SessionLifecycle';
import { InProcessSessionTable, type SessionTable } from './SessionTable';
import { TransferManager } from './TransferManager';
import { UserControls } from './UserControls';
import { UserDirectory } from './UserDirectory';
import { onlineUserView, roomInfoView } from './views';
import type { SdkOptions, SdkSettings } from './SdkOptions';
import type {
  ActiveCall,
  BanEntry,
  ClusterPort,
  ClientMethodHandler,
  HookName,
  KickOptions,
  MediaControl,
  OnlineUser,
  RecorderPort,
  RoomInfo,
  RoomRole,
  SdkEventHandler,
  SdkEventName,
  SdkEvents,
  SdkHooks,
  TransferOptions,
  TransferTaskInfo,
} from './types';

export class AnyChatSdk {
  /** The client-facing half, driven by the signaling server. */
  readonly client: ClientSide;
  /** What the SDK does for and hands to other cluster nodes. */
  readonly remote: ClusterSide;
  private readonly moderation: Moderation;
  private readonly events: EventQueue;
  private readonly delivery: Delivery;
  private readonly calls: CallManager;
  private readonly transfers: TransferManager;
  private readonly hooks: Partial<SdkHooks> = {};
  private readonly clientMethods = new Map<string, ClientMethodHandler>();
  private readonly userControls: UserControls;
  private media: MediaControl | null = null;
  private defaultFriends = true;
  /**
   * Bans that hold beyond a user id (the console's guest-name and address bans): asked at every
   * login after the id's own ban; a non-null answer refuses the login as banned.
   */
  loginBanCheck: LoginBanCheck | null = null;
  private readonly recording: RecordingControl;
  private readonly lifecycle: SessionLifecycle;
  private closed = false;

  private constructor(
    private readonly store: SdkStore,
    private readonly ids: SdkCounters,
    private readonly directory: UserDirectory,
    private readonly settings: SdkSettings,
    private readonly logger: Logger,
    db: Db,
    tempDir: string,
    recorder: RecorderPort | undefined,
    private readonly sessions: SessionTable,
    private readonly rooms: RoomTable,
    private readonly cluster: ClusterPort | null,
  ) {
    this.delivery = new Delivery(sessions, rooms);
    this.events = new EventQueue(logger, Math.max(settings.hookTimeoutMs * 6, 30_000));
    this.recording = new RecordingControl(recorder ?? null, { sessions, events: this.events, pushToUser: (id, n, d) => this.pushToUser(id, n, d) });
    this.calls = new CallManager(
      {
        isOnline: (id) => this.sessions.has(id),
        push: (id, n, d) => this.pushToUser(id, n, d),
        emit: (ev) => this.events.emit('videoCall', ev),
        allocateRoomId: () => this.allocateRoomId(),
        requestHook: (req) => this.callHook('videoCallRequest', req, () => 0),
      },
      settings.callTimeoutSeconds * 1000,
    );
    this.transfers = new TransferManager(
      {
        linkOf: (id) => this.sessions.get(id)?.link ?? null,
        emitBufferEx: (ev) => this.events.emit('transBufferEx', ev),
        emitFile: (ev) => this.events.emit('fileReceived', ev),
        emitFinished: (ev) => this.events.emit('transferFinished', ev),
        allocateTaskId: () => ids.taskIds.allocate(),
      },
      tempDir,
      settings.maxFileBytes,
      logger,
      new UploadBudget(tempDir, uploadLimitsOf(settings), logger),
    );
    this.userControls = new UserControls({
      store: this.store,
      sessions,
      directory,
      defaultFriends: () => this.defaultFriends,
      kickUser: (userId) => this.kickUser(userId),
      pushToUser: (userId, n, d) => this.pushToUser(userId, n, d),
    });
    this.lifecycle = new SessionLifecycle({
      db,
      sessions,
      rooms,
      events: this.events,
      store: this.store,
      calls: this.calls,
      transfers: this.transfers,
      logger,
      media: () => this.media,
      defaultFriends: () => this.defaultFriends,
      friendListOf: (userId) => this.friendListOf(userId),
      pushToMembersHere: (roomId, n, d, except) => this.delivery.pushToMembersHere(roomId, n, d, except),
      pushToUser: (userId, n, d) => this.pushToUser(userId, n, d),
    });
    this.remote = new ClusterSide({
      cluster,
      sessions,
      calls: this.calls,
      events: this.events,
      methods: this.clientMethods,
      settings,
      transfers: this.transfers,
      admitHere: (req) => this.callHook('prepareEnterRoom', req, () => 0),
    });
    this.moderation = new Moderation({ store, sessions, events: this.events, cluster, endSession: (s, reason) => this.lifecycle.endSession(s, reason) });
    // ClientSide sees the SDK through SdkInternals only: these parts and the session/room lifecycle.
    const internals: SdkInternals = {
      settings,
      directory,
      store: this.store,
      events: this.events,
      transfers: this.transfers,
      calls: this.calls,
      clientMethods: this.clientMethods,
      callHook: (name, arg, fallback) => this.callHook(name, arg, fallback),
      admit: (req) => this.remote.admit(req),
      startSession: (s) => this.lifecycle.startSession(s),
      endSession: (s, reason) => this.lifecycle.endSession(s, reason),
      joinRoom: (s, roomId, roomName, role) => this.lifecycle.joinRoom(s, roomId, roomName, role),
      leaveRoomOf: (s, reason, tellSelf) => this.lifecycle.leaveRoomOf(s, reason, tellSelf),
      applyUserInfoControl: (...args) => this.userControls.apply(...args),
      friendListOf: (userId) => this.friendListOf(userId),
      kickUser: (userId) => this.kickUser(userId),
      pushToRoom: (roomId, n, d, except) => this.pushToRoom(roomId, n, d, except),
      pushToUser: (userId, n, d) => this.pushToUser(userId, n, d),
      isOnline: (userId) => this.isOnline(userId),
      allocateRoomId: () => this.allocateRoomId(),
      allocateGuestId: () => this.allocateGuestId(),
      loginBanCheck: (login) => this.loginBanCheck?.(login) ?? null,
      forwardCall: (call) => this.remote.forward(call),
      claimLogin: (userId) => this.remote.claimLogin(userId),
      forwardMethod: (s, method, data) => this.remote.forwardMethod(s, method, data),
      forwardTransfer: (s, method, data) => this.remote.forwardTransfer(s, method, data),
    };
    this.client = new ClientSide(internals, sessions, rooms);
  }

  /** Builds the SDK. Run `sdkMigrations` on the database first. */
  static async create(opts: SdkOptions): Promise<AnyChatSdk> {
    const shared = opts.store ?? sqliteClientFor(opts.db);
    const ids = opts.ids ?? new SqlIdAllocator(shared);
    const directory = await UserDirectory.create(opts.users, {
      failuresBeforeLock: opts.settings.loginFailuresBeforeLock,
      lockSeconds: opts.settings.accountLockSeconds,
      locks: await AccountLockStore.open(shared, opts.logger),
    });
    const tempDir = opts.tempDir ?? path.join(os.tmpdir(), 'anychat-transfers');
    const sessions = opts.sessions ?? new InProcessSessionTable();
    const rooms = opts.rooms ?? new InProcessRoomTable();
    return new AnyChatSdk(
      new SdkStore(shared),
      await openSdkCounters(ids),
      directory,
      opts.settings,
      opts.logger,
      opts.db,
      tempDir,
      opts.recorder,
      sessions,
      rooms,
      opts.cluster ?? null,
    );
  }

  // ================================================================ hooks and events

  /** Sets (or, with null, clears) a hook. Returns a function that clears it. */
  setHook<K extends HookName>(name: K, fn: SdkHooks[K] | null): () => void {
    if (fn) this.hooks[name] = fn;
    else delete this.hooks[name];
    return () => {
      if (this.hooks[name] === fn) delete this.hooks[name];
    };
  }

  /** Subscribes to an event; handlers run one event at a time, in order. Returns unsubscribe. */
  on<K extends SdkEventName>(name: K, handler: SdkEventHandler<K>): () => void {
    return this.events.on(name, handler);
  }

  /** Resolves when every queued event has been delivered. */
  idle(): Promise<void> {
    return this.events.idle();
  }

  /** Turns off the built-in IM friend behaviour (friend list on login, online/offline news). */
  setDefaultFriendBehaviour(enabled: boolean): void {
    this.defaultFriends = enabled;
  }

  /** seed §2.2: a timer event every `intervalMs` (0 stops it). */
  setTimer(intervalMs: number): void {
    this.events.setTimer(intervalMs);
  }

  /** seed §2.1: components report their server connections (10 core … 14 media). */
  reportServerMessage(msg: number, wParam: number, lParam: number): void {
    this.events.emit('serverMessage', { msg, wParam, lParam });
  }

  // ================================================================ extension points

  /** Serves a client method the signaling does not know (micRequest, createRoom, …). */
  registerClientMethod(name: string, handler: ClientMethodHandler): () => void {
    if (this.client.isBuiltIn(name)) throw new CodedError(Codes.BAD_REQUEST, `${name} is a built-in method`);
    this.clientMethods.set(name, handler);
    return () => {
      if (this.clientMethods.get(name) === handler) this.clientMethods.delete(name);
    };
  }

  /** Pushes a notification to one user; false when they are offline. */
  pushToUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): boolean {
    return this.delivery.pushToUser(userId, notification, data);
  }

  /** Pushes a notification to every user in a room (optionally but one). Returns how many got it. */
  pushToRoom<N extends NotificationName>(roomId: number, notification: N, data: Notifications[N], exceptUserId?: number): number {
    return this.delivery.pushToRoom(roomId, notification, data, exceptUserId);
  }

  /** Forces a user out of their room (they get `userLeft` with the reason, as do the others). */
  async removeFromRoom(userId: number, reason: number): Promise<boolean> {
    const s = this.sessions.get(userId);
    if (!s || s.roomId === null) return false;
    if (s.link.remoteNode !== undefined && this.cluster) return this.cluster.removeFromRoomRemote(s.link.remoteNode, userId, reason);
    await this.lifecycle.leaveRoomOf(s, reason, true);
    return true;
  }

  /** Closes every media producer of the user (media plugged in by the signaling server). */
  async closeUserProducers(userId: number): Promise<void> {
    await this.media?.closeUserProducers(userId);
  }

  /** Seed §6 on the server's initiative (smart queueing): `caller` requests a call with `callee`, who replies as usual. */
  startVideoCall(caller: number, callee: number, flags: number, param: number, userStr: string): Promise<void> {
    return this.calls.request(caller, callee, flags, param, userStr);
  }

  /**
   * Gives a created room's name to it ahead of its first member, cluster-wide (a client entering
   * the name through any node enters this room). Returns the id holding the name: another id
   * means the name is taken. On a single host the business layer's registry is the only one.
   */
  holdRoomName(roomName: string, roomId: number): Promise<number> {
    return this.cluster ? this.cluster.holdRoomName(roomName, roomId) : Promise.resolve(roomId);
  }

  /** A created room's name goes with the room. */
  releaseRoomName(roomName: string, roomId: number): void {
    this.cluster?.releaseRoomName(roomName, roomId);
  }

  /** Allocates a room id no room uses (calls, rooms by name). */
  allocateRoomId(): number {
    // Persisted: an id handed out before a restart is never handed out again (in a cluster: by any node).
    let id = this.ids.roomIds.allocate();
    while (this.rooms.has(id)) id = this.ids.roomIds.allocate();
    return id;
  }

  /** A guest's user id: never one handed out before, even across restarts. */
  allocateGuestId(): number {
    let id = this.ids.guestIds.allocate();
    while (this.sessions.has(id)) id = this.ids.guestIds.allocate();
    return id;
  }

  /**
   * Switches an in-room user's role (NIM: roles can change at any time). Updates the session and
   * the room's member list; sends nothing (the business layer notifies). False when not in a room.
   */
  setUserRole(userId: number, role: RoomRole): boolean {
    const s = this.sessions.get(userId);
    if (!s || s.roomId === null) return false;
    if (!this.rooms.setRole(s.roomId, userId, role)) return false;
    s.role = role;
    return true;
  }

  /** Sets the gateway "user object" flags of an online user. */
  setUserFlags(userId: number, flags: number): boolean {
    const s = this.sessions.get(userId);
    if (!s) return false;
    s.flags = flags;
    return true;
  }

  /** Plugs in the media rows (the composition root does, through signaling/media/mediaWiring.ts). */
  attachMedia(media: MediaControl | null): void {
    this.media = media;
  }

  /** Plugs in the server recorder (media issue). */
  attachRecorder(recorder: RecorderPort | null): void {
    this.recording.attach(recorder);
  }

  // ================================================================ views

  getOnlineUsers(): OnlineUser[] {
    return [...this.sessions.values()].map((s) => onlineUserView(s, this.cluster?.nodeId));
  }

  /** How many users are logged in (cheap: no views built). */
  onlineUserCount(): number {
    return this.sessions.size;
  }

  getOnlineUser(userId: number): OnlineUser | null {
    const s = this.sessions.get(userId);
    return s ? onlineUserView(s, this.cluster?.nodeId) : null;
  }

  isOnline(userId: number): boolean {
    return this.sessions.has(userId);
  }

  listRooms(): RoomInfo[] {
    return [...this.rooms.values()].map((r) => roomInfoView(r, this.sessions));
  }

  getRoom(roomId: number): RoomInfo | null {
    const r = this.rooms.get(roomId);
    return r ? roomInfoView(r, this.sessions) : null;
  }

  listCalls(): ActiveCall[] {
    return this.calls.list();
  }

  getTaskInfo(taskId: number): TransferTaskInfo | null {
    return this.transfers.info(taskId);
  }

  getSDKVersion(): { version: string; buildTime: string } {
    return { version: SDK_VERSION, buildTime: SDK_BUILD_TIME };
  }

  // ================================================================ calls that act

  /** BRAS_SendBufToUser: `sdkFilterData` to one user (≤ 1024 bytes). */
  sendBufToUser(userId: number, data: Uint8Array): void {
    this.delivery.sendBufToUser(userId, data);
  }

  /** BRAS_SendBufToRoom: `sdkFilterData` to a room, or -1 = everyone online. Returns recipients. */
  sendBufToRoom(roomId: number, data: Uint8Array): number {
    return this.delivery.sendBufToRoom(roomId, data);
  }

  /** BRAS_TransBuffer: `transBuffer` from the server (srcUserId 0) to a user (≤ 1024 bytes). */
  transBuffer(userId: number, data: Uint8Array): void {
    this.delivery.transBuffer(userId, data);
  }

  /** BRAS_TransBufferEx (≤ 1 MiB). Returns the task id; progress via getTaskInfo. */
  transBufferEx(userId: number, data: Uint8Array, opts: TransferOptions = {}): number {
    return this.transfers.sendBuffer(userId, data, opts);
  }

  /** BRAS_TransFile. Returns the task id once the task is set up (not when it is delivered). */
  transFile(userId: number, filePath: string, opts: TransferOptions = {}): Promise<number> {
    return this.transfers.sendFile(userId, filePath, opts);
  }

  /** BRAS_StreamRecordCtrlEx: tells the recorder to start/stop recording a user. */
  // A stop is checked before the session (a user gone offline can still have a recording to finish).
  streamRecordCtrl(userId: number, start: boolean, flags = 0, param = 0, userStr = '', _recordServerId = 0): Promise<void> {
    return this.recording.control(userId, start, flags, param, userStr);
  }

  /** Called by the recorder when a recording ends, good or failed (seed §2.14; errorCode 0 = good). */
  reportRecordingFinished(ev: SdkEvents['recordingFinished'] & { fileId?: string }): void {
    this.recording.finished(ev);
  }

  /** BRAS_VideoCallControl: only finish (4) is supported, for either party's user id. */
  videoCallControl(eventType: number, userId: number, errorCode = 0, _flags = 0, _param = 0, _userStr = ''): void {
    if (eventType !== 4) throw new CodedError(Codes.BAD_REQUEST, 'only the finish event (4) can be sent by the server');
    this.calls.finish(userId, errorCode);
  }

  /** BRAS_SetUserInfo. */
  async setUserInfo(userId: number, infoId: number, value: string, flags = 0): Promise<void> {
    await this.store.setUserInfo(userId, infoId, value, flags);
  }

  /** BRAS_GetUserInfo (null when not set). */
  getUserInfo(userId: number, infoId: number): Promise<string | null> {
    return this.store.getUserInfo(userId, infoId);
  }

  /**
   * BRAS_UserInfoControl: 1 kick, 2 sync user info to the client, 20 add group (wParam id,
   * strValue name), 21 delete group, 22 add friend (wParam), 23 delete friend, 24 set friend's
   * group (wParam group, lParam friend); ≥ 100 is pushed to the client as `userInfoControl`.
   */
  async userInfoControl(userId: number, ctrlCode: number, wParam = 0, lParam = 0, strValue = ''): Promise<void> {
    await this.userControls.apply(0, userId, ctrlCode, wParam, lParam, strValue);
  }

  /** Kicks a user (they get `kicked` 211, then the socket closes); optionally bans them. */
  kickUser(userId: number, opts: KickOptions = {}): Promise<boolean> {
    return this.moderation.kick(userId, opts);
  }

  listBans(): Promise<BanEntry[]> {
    return this.moderation.listBans();
  }

  liftBan(userId: number): Promise<boolean> {
    return this.moderation.liftBan(userId);
  }

  /**
   * Graceful stop, first step: logs every client out with reason 0 and waits until the logout
   * events have been delivered (so the gateway queues their notices before it stops).
   */
  async endAllSessions(reason: number = Codes.LOGOUT_NORMAL): Promise<number> {
    // This host's sessions (in a cluster, not the replicas of other nodes' users).
    const all = [...this.sessions.values()].filter((s) => s.link.remoteNode === undefined);
    for (const s of all) {
      await this.lifecycle.endSession(s, reason);
      s.link.close(1001, 'server shutting down');
    }
    await this.events.idle();
    return all.length;
  }

  /**
   * At start, after every subscriber is attached and before clients can log in: the sessions the
   * previous run left open (it crashed) are logged out with reason 100. Returns how many.
   * `alreadyClosed`: users another cluster node logged out for this one while it was down.
   */
  closeSessionsLeftOpen(alreadyClosed: ReadonlySet<number> = new Set()): Promise<number> {
    return this.lifecycle.closeSessionsLeftOpen(alreadyClosed);
  }

  /** Logs everyone out, stops timers and transfers. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.setTimer(0);
    await this.endAllSessions(Codes.LOGOUT_NORMAL);
    this.calls.close();
    await this.transfers.close();
    await this.events.idle();
    this.events.close();
  }

  // ================================================================ internals shared with ClientSide

  /** Runs a hook with the timeout, or the default when none is set. */
  private async callHook<K extends HookName>(
    name: K,
    arg: Parameters<SdkHooks[K]>[0],
    fallback: () => ReturnType<SdkHooks[K]>,
  ): Promise<Awaited<ReturnType<SdkHooks[K]>>> {
    const fn = this.hooks[name] as unknown as ((a: unknown) => unknown) | undefined;
    if (!fn) return (await fallback()) as Awaited<ReturnType<SdkHooks[K]>>;
    return (await runHook(name, fn, arg as unknown, this.settings.hookTimeoutMs)) as Awaited<ReturnType<SdkHooks[K]>>;
  }

  /** A user's friends (online or not) and friend groups. */
  friendListOf(userId: number): Promise<{ friends: FriendEntry[]; groups: { groupId: number; name: string }[] }> {
    return this.userControls.friendListOf(userId);
  }
}

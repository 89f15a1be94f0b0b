/**
 * The real PlatformPort: the business-server SDK (electron/sdk) seen through what the gateway
 * and the smart queue need. SDK events become PlatformEvents (with user names and call ids the
 * notices need); received files and recordings go into the file index first, so a notice never
 * names a file the gateway cannot find.
 */
import path from 'node:path';
import { statSync } from 'node:fs';
import type { Logger } from 'pino';
import { CodedError, Codes } from '../../shared/codes';
import { TypedEmitter } from '../util/TypedEmitter';
import type { AnyChatSdk, OnlineUser } from '../sdk';
import type { ClientMethodHandler, FileIndex, PlatformEvent, PlatformPort, PlatformUser } from './platformPort';
import { SqlFileIndex, type SqlFileIndexOptions } from './sdkFileIndex';
import type { SqlClient } from '../store/sql/SqlClient';
import { sqliteClientFor } from '../store/sql/SqliteClient';
import type { Db } from '../store/Database';
import { randomUUID } from 'node:crypto';
import type { NotificationName, Notifications } from '../../shared/protocol/messages';

/** The SDK's TransBuffer carries ≤ 1024 bytes; bigger gateway buffers go as TransBufferEx. */
const TRANSBUFFER_MAX = 1024;
const RECORD_FLAG_SNAPSHOT = 0x400;

export interface SdkPlatformOptions {
  sdk: AnyChatSdk;
  db: Db;
  logger: Logger;
  /** The recordings/files index; default: the gateway's own SQLite index fed by SDK events. */
  files?: FileIndex & { add?: SqlFileIndex['add'] };
  /** The shared store the default index lives in (default: `db`). */
  store?: SqlClient;
  /** In a cluster: this node, and how another node deletes its files (the default index's `SqlFileIndexOptions`). */
  cluster?: Pick<SqlFileIndexOptions, 'nodeId' | 'deleteOnNode'>;
  /** How long a queue-started call may ring before startVideoCall gives up (ms). */
  callStartTimeoutMs?: number;
}

const toPlatformUser = (u: OnlineUser): PlatformUser => ({
  userId: u.userId,
  userName: u.userName,
  userLevel: u.userLevel,
  loginIp: u.ip,
  loginTime: u.loginAt,
  strUserId: u.strUserId,
  strParam: u.strParam,
});

interface CallWaiter {
  caller: number;
  callee: number;
  resolve(): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

export class SdkPlatform implements PlatformPort {
  readonly files: FileIndex;
  private readonly index: SqlFileIndex | null;
  private readonly events = new TypedEmitter<{ event: PlatformEvent }>();
  private readonly names = new Map<number, string>();
  private readonly ips = new Map<number, string>();
  private readonly strIds = new Map<number, string>();
  private readonly callIds = new Map<string, string>();
  /** each user's last finished call, so a recording that ends after its call still carries the callid */
  private readonly lastCalls = new Map<number, { callId: string; endedAt: number }>();
  private readonly callWaiters = new Set<CallWaiter>();
  private readonly unsubscribers: (() => void)[] = [];
  private closed = false;

  private constructor(private readonly opts: SdkPlatformOptions) {
    this.index = opts.files
      ? null
      : new SqlFileIndex(opts.store ?? sqliteClientFor(opts.db), {
          ...opts.cluster,
          onWriteError: (err) => opts.logger.error({ err }, 'file index: a file could not be indexed'),
        });
    this.files = opts.files ?? this.index!;
  }

  static async create(opts: SdkPlatformOptions): Promise<SdkPlatform> {
    const p = new SdkPlatform(opts);
    p.subscribe();
    return p;
  }

  private nameOf(userId: number): string {
    return this.opts.sdk.getOnlineUser(userId)?.userName ?? this.names.get(userId) ?? '';
  }

  private emit(e: PlatformEvent): void {
    this.events.emit('event', e);
  }

  private subscribe(): void {
    const { sdk } = this.opts;
    this.unsubscribers.push(
      sdk.on('login', (e) => {
        this.names.set(e.userId, e.userName);
        this.ips.set(e.userId, e.ip);
        const u = sdk.getOnlineUser(e.userId);
        if (u) this.strIds.set(e.userId, u.strUserId);
        this.emit({
          type: 'userLogin',
          user: u ? toPlatformUser(u) : { userId: e.userId, userName: e.userName, userLevel: e.userLevel, loginIp: e.ip, loginTime: Date.now() },
        });
      }),
      sdk.on('logout', (e) => {
        this.emit({
          type: 'userLogout',
          userId: e.userId,
          userName: e.userName ?? this.nameOf(e.userId),
          errorCode: e.reason,
          time: Date.now(),
          strUserId: e.strUserId ?? this.strIds.get(e.userId),
        });
      }),
      sdk.on('textMessage', (e) => {
        this.emit({
          type: 'textMessage',
          roomId: e.roomId,
          srcUserId: e.srcUserId,
          srcUserName: this.nameOf(e.srcUserId),
          tarUserId: e.targetUserId,
          tarUserName: e.targetUserId === -1 ? '' : this.nameOf(e.targetUserId),
          secret: e.secret,
          text: e.text,
        });
      }),
      sdk.on('transBuffer', (e) => this.emit({ type: 'transBuffer', userId: e.userId, userName: this.nameOf(e.userId), data: e.data })),
      sdk.on('fileReceived', (e) => {
        const file = this.index?.add({
          fileType: 4,
          fileName: e.fileName,
          filePath: e.tempFilePath,
          fileLength: e.fileLength,
          createTime: Date.now(),
          recordSeconds: 0,
          flags: 0,
          userId: e.userId,
          userName: this.nameOf(e.userId),
          userIp: this.ips.get(e.userId) ?? '',
          param: e.wParam,
          strParam: '',
        });
        this.emit({
          type: 'fileReceived',
          userId: e.userId,
          userName: this.nameOf(e.userId),
          fileId: file?.fileId ?? String(e.taskId),
          fileName: e.fileName,
          pathName: e.tempFilePath,
          fileSize: e.fileLength,
          strParam: '',
        });
      }),
      sdk.on('recordingFinished', (e) => {
        let size = 0;
        try {
          size = statSync(e.fileName).size;
        } catch {
          /* a missing file is still announced; fileinfo_get reports it */
        }
        // A recording that produced no file (nothing recorded, snapshot failed) is announced, not indexed.
        const file =
          (size > 0 || !e.errorCode) &&
          this.index?.add({
            fileType: e.flags & RECORD_FLAG_SNAPSHOT ? 2 : 1,
            fileName: path.basename(e.fileName),
            filePath: e.fileName,
            fileLength: size,
            createTime: Date.now() - e.elapseSeconds * 1000,
            recordSeconds: e.elapseSeconds,
            flags: e.flags,
            userId: e.userId,
            userName: this.nameOf(e.userId),
            userIp: this.ips.get(e.userId) ?? '',
            param: e.param,
            strParam: e.userStr,
          });
        this.emit({
          type: 'recording',
          recordId: (file || undefined)?.fileId ?? randomUUID().toUpperCase(),
          filePath: e.fileName,
          recordSeconds: e.elapseSeconds,
          flags: e.flags,
          userId: e.userId,
          userName: this.nameOf(e.userId),
          errorCode: e.errorCode ?? 0,
          callId: this.callIdOf(e.userId, Date.now() - e.elapseSeconds * 1000),
          param: e.param,
          strParam: e.userStr,
          recordServerId: String(e.recordServerId),
        });
      }),
      sdk.on('videoCall', (e) => {
        const key = `${e.srcUserId}:${e.targetUserId}`;
        if (e.eventType === 1) this.callIds.set(key, randomUUID().toUpperCase());
        const callId = this.callIds.get(key) ?? '';
        if (e.eventType === 4 && callId) for (const u of [e.srcUserId, e.targetUserId]) this.lastCalls.set(u, { callId, endedAt: Date.now() });
        if (e.eventType === 4 || (e.eventType === 2 && e.errorCode !== 0)) this.callIds.delete(key);
        this.settleCallWaiters(e.eventType, e.srcUserId, e.targetUserId, e.errorCode);
        this.emit({
          type: 'videoCall',
          eventType: e.eventType as 1 | 2 | 3 | 4,
          callId,
          srcUserId: e.srcUserId,
          srcUserName: this.nameOf(e.srcUserId),
          tarUserId: e.targetUserId,
          tarUserName: this.nameOf(e.targetUserId),
          errorCode: e.errorCode,
          flags: e.flags,
          param: e.param,
          strParam: e.userStr,
        });
      }),
    );
  }

  private settleCallWaiters(eventType: number, caller: number, callee: number, errorCode: number): void {
    for (const w of this.callWaiters) {
      if (w.caller !== caller || w.callee !== callee) continue;
      if (eventType === 3) this.settle(w, null);
      else if (eventType === 4 || (eventType === 2 && errorCode !== 0))
        this.settle(w, new CodedError(errorCode || Codes.VIDEOCALL_REJECTED, `call ${caller}→${callee} did not start (${errorCode})`));
    }
  }

  private settle(w: CallWaiter, err: Error | null): void {
    if (!this.callWaiters.delete(w)) return;
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve();
  }

  onlineUsers(): PlatformUser[] {
    return this.opts.sdk.getOnlineUsers().map(toPlatformUser);
  }

  user(userId: number): PlatformUser | undefined {
    const u = this.opts.sdk.getOnlineUser(userId);
    return u ? toPlatformUser(u) : undefined;
  }

  kick(userId: number): Promise<boolean> {
    return this.opts.sdk.kickUser(userId, { reason: 'gateway userinfo_ctrl' });
  }

  transBuffer(userId: number, data: Uint8Array): boolean {
    const { sdk } = this.opts;
    if (!sdk.isOnline(userId)) return false;
    if (data.length <= TRANSBUFFER_MAX) sdk.transBuffer(userId, data);
    else sdk.transBufferEx(userId, data);
    return true;
  }

  /**
   * Seed §6 on the server's initiative: the caller (agent) "requests" the callee (customer), who
   * gets the usual `videoCallEvent` request and replies; resolves on the start event (3).
   */
  startVideoCall(caller: number, callee: number, userStr: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w: CallWaiter = {
        caller,
        callee,
        resolve,
        reject,
        timer: setTimeout(() => this.settle(w, new CodedError(Codes.TIMEOUT, 'call did not start in time')), this.opts.callStartTimeoutMs ?? 60_000),
      };
      w.timer.unref?.();
      this.callWaiters.add(w);
      const start = this.opts.sdk.startVideoCall(caller, callee, 0, 0, userStr);
      start.catch((err: Error) => this.settle(w, err));
    });
  }

  registerClientMethod(name: string, handler: ClientMethodHandler): () => void {
    return this.opts.sdk.registerClientMethod(name, async (userId, data) => (await handler(userId, data)) as Record<string, unknown> | void);
  }

  notifyUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): void {
    this.opts.sdk.pushToUser(userId, notification, data);
  }

  onEvent(listener: (event: PlatformEvent) => void): () => void {
    return this.events.on('event', listener);
  }

  setUserFlags(userId: number, flags: number): void {
    this.opts.sdk.setUserFlags(userId, flags);
  }

  /** The call a user's recording (started at `since`) was made in: a call in progress, or one that ended after it began. */
  private callIdOf(userId: number, since: number): string {
    for (const [key, id] of this.callIds) if (key.split(':').map(Number).includes(userId)) return id;
    const last = this.lastCalls.get(userId);
    return last && last.endedAt >= since ? last.callId : '';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribers.splice(0)) u();
    for (const w of [...this.callWaiters]) this.settle(w, new CodedError(Codes.UNAVAILABLE, 'closing'));
    this.events.removeAllListeners();
  }
}

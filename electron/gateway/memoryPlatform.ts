/**
 * An in-memory PlatformPort for tests and the benchmark: users "log in" by a method call, files
 * live in a map (and on disk), events are emitted by hand. Not used by the host.
 */
import { unlink } from 'node:fs/promises';
import { TypedEmitter } from '../util/TypedEmitter';
import type { ClientMethodHandler, FileQuery, PlatformEvent, PlatformFile, PlatformPort, PlatformUser } from './platformPort';
import type { NotificationName, Notifications } from '../../shared/protocol/messages';

export class MemoryPlatform implements PlatformPort {
  readonly users = new Map<number, PlatformUser>();
  readonly fileMap = new Map<string, PlatformFile>();
  readonly clientMethods = new Map<string, ClientMethodHandler>();
  readonly sent: { userId: number; kind: 'transBuffer' | 'kicked' | 'notify'; data: unknown }[] = [];
  /** Calls started by startVideoCall: `${caller}->${callee}`. */
  readonly calls: { caller: number; callee: number; userStr: string }[] = [];
  /** When set, startVideoCall rejects with this. */
  failCalls: Error | null = null;
  private readonly events = new TypedEmitter<{ event: PlatformEvent }>();
  private callSeq = 0;

  onlineUsers(): PlatformUser[] {
    return [...this.users.values()];
  }
  user(userId: number): PlatformUser | undefined {
    return this.users.get(userId);
  }
  async kick(userId: number): Promise<boolean> {
    const u = this.users.get(userId);
    if (!u) return false;
    this.sent.push({ userId, kind: 'kicked', data: { errorCode: 211 } });
    this.logout(userId, 211);
    return true;
  }
  transBuffer(userId: number, data: Uint8Array): boolean {
    if (!this.users.has(userId)) return false;
    this.sent.push({ userId, kind: 'transBuffer', data: Buffer.from(data) });
    return true;
  }
  readonly files = {
    query: async (q: FileQuery) => {
      const all = [...this.fileMap.values()]
        .filter((f) => f.createTime >= q.fromMs && f.createTime <= q.toMs && (f.fileType & q.typeMask) !== 0)
        .filter((f) => q.userId === undefined || f.userId === q.userId)
        .filter((f) => q.userName === undefined || f.userName === q.userName)
        .filter((f) => q.fileName === undefined || (q.exactName ? f.fileName === q.fileName : f.fileName.includes(q.fileName)))
        .sort((a, b) => b.createTime - a.createTime);
      return { total: all.length, files: all.slice(q.offset, q.offset + q.limit) };
    },
    get: async (id: string) => this.fileMap.get(id),
    delete: async (id: string) => {
      const f = this.fileMap.get(id);
      if (!f) return false;
      this.fileMap.delete(id);
      await unlink(f.filePath).catch(() => undefined);
      return true;
    },
    rename: async (id: string, name: string) => {
      const f = this.fileMap.get(id);
      if (!f) return false;
      f.fileName = name;
      return true;
    },
  };
  async startVideoCall(caller: number, callee: number, userStr: string): Promise<void> {
    if (this.failCalls) throw this.failCalls;
    if (!this.users.has(caller) || !this.users.has(callee)) throw new Error('user offline');
    this.calls.push({ caller, callee, userStr });
    const base = {
      callId: `call-${++this.callSeq}`,
      srcUserId: caller,
      srcUserName: this.users.get(caller)!.userName,
      tarUserId: callee,
      tarUserName: this.users.get(callee)!.userName,
      flags: 0,
      strParam: userStr,
    };
    this.emit({ type: 'videoCall', eventType: 1, errorCode: 0, param: 0, ...base });
    this.emit({ type: 'videoCall', eventType: 2, errorCode: 0, param: 0, ...base });
    this.emit({ type: 'videoCall', eventType: 3, errorCode: 0, param: 1000 + this.callSeq, ...base });
  }
  /** Ends a call as either side would (event 4). */
  finishCall(a: number, b: number): void {
    this.emit({
      type: 'videoCall',
      eventType: 4,
      callId: '',
      srcUserId: a,
      srcUserName: this.users.get(a)?.userName ?? '',
      tarUserId: b,
      tarUserName: this.users.get(b)?.userName ?? '',
      errorCode: 0,
      flags: 0,
      param: 0,
      strParam: '',
    });
  }
  registerClientMethod(name: string, handler: ClientMethodHandler): () => void {
    this.clientMethods.set(name, handler);
    return () => this.clientMethods.delete(name);
  }
  /** Calls a registered client method as user `userId` would over signaling. */
  async callClientMethod(userId: number, name: string, data: unknown): Promise<unknown> {
    const h = this.clientMethods.get(name);
    if (!h) throw new Error(`no client method ${name}`);
    return h(userId, data);
  }
  notifyUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): void {
    this.sent.push({ userId, kind: 'notify', data: { notification, data } });
  }
  onEvent(listener: (event: PlatformEvent) => void): () => void {
    return this.events.on('event', listener);
  }
  emit(e: PlatformEvent): void {
    this.events.emit('event', e);
  }
  login(userId: number, userName = `user${userId}`, extra: Partial<PlatformUser> = {}): PlatformUser {
    const u: PlatformUser = { userId, userName, userLevel: 0, loginIp: '127.0.0.1', loginTime: Date.now(), ...extra };
    this.users.set(userId, u);
    this.emit({ type: 'userLogin', user: u });
    return u;
  }
  logout(userId: number, errorCode = 0): void {
    const u = this.users.get(userId);
    if (!u) return;
    this.users.delete(userId);
    this.emit({ type: 'userLogout', userId, userName: u.userName, errorCode, time: Date.now(), strUserId: u.strUserId });
  }
}

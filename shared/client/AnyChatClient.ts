/**
 * The browser client SDK (the BRAC_* side): one typed connection to `/ws`. Works in browsers and
 * in Node (inject the `ws` WebSocket). Requests resolve with the result or reject with a
 * ClientError carrying the numeric code; notifications arrive through `on()`. Incoming chunked
 * transfers are reassembled and surface as `transBufferEx` / `fileReceived`.
 */
import { base64ToBytes, bytesToBase64 } from '../protocol/base64';
import { ProtocolLimits, VideoCallEvent } from '../protocol/limits';
import type { MethodName, Notifications, Requests, RoomRole } from '../protocol/messages';
import { Codes, SignalingCodes } from '../codes';

/** The part of the WebSocket API the client needs (browser WebSocket and `ws` both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export class ClientError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'ClientError';
  }
}

export interface ClientEvents extends Notifications {
  transBufferEx: { srcUserId: number; taskId: number; data: Uint8Array; wParam: number; lParam: number; flags: number };
  fileReceived: { srcUserId: number; taskId: number; fileName: string; data: Uint8Array; wParam: number; lParam: number; flags: number };
  close: { code: number; reason: string };
}
export type ClientEventName = keyof ClientEvents;

interface Incoming {
  begin: Notifications['transferBegin'];
  chunks: Uint8Array[];
  received: number;
}

export interface TransferProgress {
  taskId: number;
  sent: number;
  total: number;
}

export class AnyChatClient {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Map<string, Set<(d: never) => void>>();
  private readonly incoming = new Map<number, Incoming>();
  private closedInfo: { code: number; reason: string } | null = null;
  userId = 0;

  private constructor(private readonly socket: SocketLike) {
    socket.onmessage = (ev) => this.onMessage(ev.data);
    socket.onclose = (ev) => this.onClose(ev.code, ev.reason);
  }

  /** Opens a connection to `url` (e.g. `ws://host:port/ws`). */
  static connect(url: string, factory: SocketFactory): Promise<AnyChatClient> {
    return new Promise((resolve, reject) => {
      const socket = factory(url);
      socket.onopen = () => resolve(new AnyChatClient(socket));
      socket.onerror = () => reject(new ClientError(101, `cannot connect to ${url}`));
      socket.onclose = (ev) => reject(new ClientError(101, `connection closed (${ev.code})`));
    });
  }

  get isOpen(): boolean {
    return this.closedInfo === null && this.socket.readyState === 1;
  }

  get closeInfo(): { code: number; reason: string } | null {
    return this.closedInfo;
  }

  on<K extends ClientEventName>(name: K, fn: (data: ClientEvents[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (d: never) => void);
    return () => set!.delete(fn as (d: never) => void);
  }

  /** Resolves with the next `name` notification that matches `filter`. */
  next<K extends ClientEventName>(name: K, filter: (d: ClientEvents[K]) => boolean = () => true, timeoutMs = 10_000): Promise<ClientEvents[K]> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new ClientError(Codes.TIMEOUT, `no ${name} within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.on(name, (d) => {
        if (!filter(d)) return;
        clearTimeout(timer);
        off();
        resolve(d);
      });
    });
  }

  request<M extends MethodName>(method: M, data: Requests[M]['data']): Promise<Requests[M]['result']>;
  request(method: string, data?: Record<string, unknown>): Promise<unknown>;
  request(method: string, data: unknown = {}): Promise<unknown> {
    if (!this.isOpen) return Promise.reject(new ClientError(101, 'not connected'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, data }));
    });
  }

  close(): void {
    this.socket.close(1000, 'bye');
  }

  // -------------------------------------------------------------- BRAC-style helpers

  /** `strParam`: optional app data the business backend receives in userlogin_notify's strparam. */
  async login(userName: string, password: string, strParam?: string): Promise<Requests['login']['result']> {
    const r = await this.request('login', strParam === undefined ? { userName, password } : { userName, password, strParam });
    this.userId = r.userId;
    return r;
  }

  logout(): Promise<unknown> {
    return this.request('logout', {});
  }

  enterRoom(room: { roomId?: number; roomName?: string; password?: string; role?: RoomRole }): Promise<Requests['enterRoom']['result']> {
    return this.request('enterRoom', room);
  }

  leaveRoom(): Promise<unknown> {
    return this.request('leaveRoom', {});
  }

  /** targetUserId -1 = everyone in the room; secret = whisper (only the target receives it). */
  sendTextMessage(targetUserId: number, text: string, secret = false): Promise<unknown> {
    return this.request('sendTextMessage', { targetUserId, secret, text });
  }

  sendSDKFilterData(data: Uint8Array): Promise<unknown> {
    return this.request('sendSDKFilterData', { data: bytesToBase64(data) });
  }

  /** targetUserId 0 = the business server. */
  transBuffer(targetUserId: number, data: Uint8Array): Promise<unknown> {
    return this.request('transBuffer', { targetUserId, data: bytesToBase64(data) });
  }

  transBufferEx(
    targetUserId: number,
    data: Uint8Array,
    opts: { wParam?: number; lParam?: number; flags?: number; onProgress?: (p: TransferProgress) => void } = {},
  ): Promise<number> {
    if (data.length > ProtocolLimits.MAX_BUFFER_EX_BYTES) return Promise.reject(new ClientError(SignalingCodes.PAYLOAD_TOO_LARGE, 'buffer above 1 MiB'));
    return this.upload('bufferEx', targetUserId, data, opts);
  }

  sendFile(
    targetUserId: number,
    fileName: string,
    data: Uint8Array,
    opts: { wParam?: number; lParam?: number; flags?: number; onProgress?: (p: TransferProgress) => void } = {},
  ): Promise<number> {
    return this.upload('file', targetUserId, data, { ...opts, fileName });
  }

  videoCall(eventType: number, userId: number, extra: { errorCode?: number; flags?: number; param?: number; userStr?: string } = {}): Promise<unknown> {
    return this.request('videoCall', { eventType, userId, ...extra });
  }

  callRequest(userId: number, extra: { flags?: number; param?: number; userStr?: string } = {}): Promise<unknown> {
    return this.videoCall(VideoCallEvent.REQUEST, userId, extra);
  }

  callReply(callerId: number, accept: boolean): Promise<unknown> {
    return this.videoCall(VideoCallEvent.REPLY, callerId, { errorCode: accept ? 0 : 100104 });
  }

  callFinish(otherUserId: number): Promise<unknown> {
    return this.videoCall(VideoCallEvent.FINISH, otherUserId);
  }

  userInfoControl(userId: number, ctrlCode: number, wParam = 0, lParam = 0, strValue = ''): Promise<unknown> {
    return this.request('userInfoControl', { userId, ctrlCode, wParam, lParam, strValue });
  }

  // -------------------------------------------------------------- internals

  private async upload(
    kind: 'bufferEx' | 'file',
    targetUserId: number,
    data: Uint8Array,
    opts: { wParam?: number; lParam?: number; flags?: number; fileName?: string; onProgress?: (p: TransferProgress) => void },
  ): Promise<number> {
    const { taskId, chunkBytes } = await this.request('transferBegin', {
      kind,
      targetUserId,
      size: data.length,
      wParam: opts.wParam,
      lParam: opts.lParam,
      flags: opts.flags,
      fileName: opts.fileName,
    });
    let offset = 0;
    // Keep a few chunks in flight; requests are processed in order on the server.
    const inFlight: Promise<unknown>[] = [];
    while (offset < data.length) {
      const piece = data.subarray(offset, offset + chunkBytes);
      const at = offset;
      offset += piece.length;
      inFlight.push(
        this.request('transferChunk', { taskId, offset: at, data: bytesToBase64(piece) }).then((r) => {
          opts.onProgress?.({ taskId, sent: r.received, total: data.length });
        }),
      );
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return taskId;
  }

  private onMessage(raw: unknown): void {
    let msg: { id?: number; ok?: boolean; data?: unknown; error?: { code: number; message: string }; notification?: string };
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      return;
    }
    if (typeof msg.id === 'number') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.data);
      else p.reject(new ClientError(msg.error?.code ?? Codes.INTERNAL, msg.error?.message ?? 'error'));
      return;
    }
    if (typeof msg.notification === 'string') {
      this.handleTransfer(msg.notification, msg.data);
      this.emit(msg.notification, msg.data);
    }
  }

  private handleTransfer(name: string, data: unknown): void {
    if (name === 'transferBegin') {
      const b = data as Notifications['transferBegin'];
      this.incoming.set(b.taskId, { begin: b, chunks: [], received: 0 });
    } else if (name === 'transferChunk') {
      const c = data as Notifications['transferChunk'];
      const inc = this.incoming.get(c.taskId);
      const bytes = base64ToBytes(c.data);
      if (!inc || !bytes) return;
      if (c.offset !== inc.received) {
        // Out of step: ask the server to resend from what we have.
        void this.request('transferResume', { taskId: c.taskId, offset: inc.received }).catch(() => undefined);
        return;
      }
      inc.chunks.push(bytes);
      inc.received += bytes.length;
    } else if (name === 'transferEnd') {
      const e = data as Notifications['transferEnd'];
      const inc = this.incoming.get(e.taskId);
      if (!inc) return;
      if (e.errorCode !== 0) {
        this.incoming.delete(e.taskId);
        return;
      }
      if (inc.received !== inc.begin.size) {
        void this.request('transferResume', { taskId: e.taskId, offset: inc.received }).catch(() => undefined);
        return;
      }
      this.incoming.delete(e.taskId);
      const all = new Uint8Array(inc.received);
      let o = 0;
      for (const ch of inc.chunks) {
        all.set(ch, o);
        o += ch.length;
      }
      void this.request('transferAck', { taskId: e.taskId }).catch(() => undefined);
      const b = inc.begin;
      const base = { srcUserId: b.srcUserId, taskId: b.taskId, data: all, wParam: b.wParam, lParam: b.lParam, flags: b.flags };
      if (b.kind === 'file') this.emit('fileReceived', { ...base, fileName: b.fileName ?? 'file' });
      else this.emit('transBufferEx', base);
    }
  }

  private emit(name: string, data: unknown): void {
    for (const fn of [...(this.listeners.get(name) ?? [])]) {
      try {
        (fn as (d: unknown) => void)(data);
      } catch {
        /* a listener's error must not break the connection */
      }
    }
  }

  private onClose(code: number, reason: string): void {
    this.closedInfo = { code, reason };
    for (const p of this.pending.values()) p.reject(new ClientError(101, `connection closed (${code})`));
    this.pending.clear();
    this.emit('close', { code, reason });
  }
}

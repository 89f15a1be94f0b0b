/**
 * transBufferEx and file transfer in both directions (seed §3.24, §3.25, §5). Uploads arrive in
 * chunks at the expected offset (resumable within the session via transferStatus); downloads are
 * pushed in chunks with flow control, kept until the client acks (resumable via transferResume).
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import { bytesToBase64 } from '../../shared/protocol/base64';
import { ProtocolLimits } from '../../shared/protocol/limits';
import type { TransferKind } from '../../shared/protocol/messages';
import type { ClientLink } from './Session';
import type { SdkEvents, TransferOptions, TransferTaskInfo } from './types';
import { receivedFileName, type UploadBudget } from './UploadBudget';

const HIGH_WATER = 4 * 1024 * 1024;
/** Uploads one user may have open at once. */
const MAX_OPEN_UPLOADS = 8;

interface Upload {
  taskId: number;
  kind: TransferKind;
  userId: number;
  targetUserId: number;
  size: number;
  received: number;
  wParam: number;
  lParam: number;
  flags: number;
  fileName: string;
  chunks: Buffer[];
  file: FileHandle | null;
  tempPath: string | null;
  state: TransferTaskInfo['state'];
}

interface Download {
  taskId: number;
  kind: TransferKind;
  userId: number;
  srcUserId: number;
  size: number;
  sent: number;
  wParam: number;
  lParam: number;
  flags: number;
  fileName: string;
  data: Buffer | null;
  filePath: string | null;
  deleteFileAfter: boolean;
  state: TransferTaskInfo['state'];
  /** Bumps when a resume restarts the pump, so an older pump stops. */
  generation: number;
  fromSdk: boolean;
}

export interface TransferContext {
  linkOf(userId: number): ClientLink | null;
  emitBufferEx(ev: SdkEvents['transBufferEx']): void;
  emitFile(ev: SdkEvents['fileReceived']): void;
  emitFinished(ev: SdkEvents['transferFinished']): void;
  /** Task ids unique across restarts and cluster nodes (default: 1, 2, … per run). */
  allocateTaskId?(): number;
}

export class TransferManager {
  private nextTaskId = 1;
  private readonly uploads = new Map<number, Upload>();
  private readonly downloads = new Map<number, Download>();
  private readonly done = new Map<number, TransferTaskInfo>();

  private newTaskId(): number {
    return this.ctx.allocateTaskId?.() ?? this.nextTaskId++;
  }

  constructor(
    private readonly ctx: TransferContext,
    private readonly tempDir: string,
    private readonly maxFileBytes: number,
    private readonly logger: Logger,
    /** Caps, quotas and free space for uploads; none = unbounded (tests of other parts). */
    private readonly budget: UploadBudget | null = null,
  ) {}

  info(taskId: number): TransferTaskInfo | null {
    const u = this.uploads.get(taskId);
    if (u) return taskInfo(u.taskId, u.kind, 'fromClient', u.userId, u.size, u.received, u.state);
    const d = this.downloads.get(taskId);
    if (d) return taskInfo(d.taskId, d.kind, 'toClient', d.userId, d.size, d.sent, d.state);
    return this.done.get(taskId) ?? null;
  }

  // ------------------------------------------------------------ uploads (client → server/user)

  begin(
    userId: number,
    req: { kind: TransferKind; targetUserId: number; size: number; wParam?: number; lParam?: number; flags?: number; fileName?: string },
    targetOnline: boolean,
  ): { taskId: number; chunkBytes: number } {
    const limit = req.kind === 'bufferEx' ? ProtocolLimits.MAX_BUFFER_EX_BYTES : this.maxFileBytes;
    if (req.size > limit) throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `${req.kind} of ${req.size} bytes exceeds ${limit}`);
    if (req.size < 0) throw new CodedError(Codes.BAD_REQUEST, 'size must be ≥ 0');
    if (req.targetUserId === -1) throw new CodedError(Codes.BAD_REQUEST, 'transfers go to one user (or 0 = the server), not -1');
    if (req.targetUserId !== 0 && !targetOnline) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${req.targetUserId} is not online`);
    if (req.targetUserId === userId) throw new CodedError(Codes.BAD_REQUEST, 'cannot transfer to yourself');
    let open = 0;
    for (const x of this.uploads.values()) if (x.userId === userId) open++;
    if (open >= MAX_OPEN_UPLOADS) throw new CodedError(Codes.TOO_MANY_REQUESTS, `at most ${MAX_OPEN_UPLOADS} uploads at a time`);
    const fileName = req.kind === 'file' ? safeFileName(req.fileName ?? 'file') : '';
    this.budget?.reserve(userId, req.size, req.kind === 'file', req.kind === 'file' && req.targetUserId === 0);
    const u: Upload = {
      taskId: this.newTaskId(),
      kind: req.kind,
      userId,
      targetUserId: req.targetUserId,
      size: req.size,
      received: 0,
      wParam: req.wParam ?? 0,
      lParam: req.lParam ?? 0,
      flags: req.flags ?? 0,
      fileName,
      chunks: [],
      file: null,
      tempPath: null,
      state: 'running',
    };
    this.uploads.set(u.taskId, u);
    return { taskId: u.taskId, chunkBytes: ProtocolLimits.TRANSFER_CHUNK_BYTES };
  }

  async chunk(userId: number, taskId: number, offset: number, data: Uint8Array): Promise<{ received: number; done: boolean }> {
    const u = this.ownedUpload(userId, taskId);
    if (offset !== u.received) throw new CodedError(SignalingCodes.TRANSFER_BAD_OFFSET, `expected offset ${u.received}, got ${offset}`);
    if (data.length > ProtocolLimits.TRANSFER_CHUNK_BYTES)
      throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `chunk above ${ProtocolLimits.TRANSFER_CHUNK_BYTES} bytes`);
    if (u.received + data.length > u.size) throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, 'chunk runs past the announced size');
    if (u.kind === 'bufferEx') {
      u.chunks.push(Buffer.from(data));
    } else {
      if (!u.file) {
        await mkdir(this.tempDir, { recursive: true });
        u.tempPath = path.join(this.tempDir, receivedFileName(u.userId, u.taskId, u.fileName));
        u.file = await open(u.tempPath, 'w');
      }
      await u.file.write(data);
    }
    u.received += data.length;
    const done = u.received === u.size;
    if (done) await this.completeUpload(u);
    return { received: u.received, done };
  }

  /** A zero-byte transfer completes on begin; the signaling calls this right after begin. */
  async completeIfEmpty(taskId: number): Promise<void> {
    const u = this.uploads.get(taskId);
    if (u && u.size === 0) await this.completeUpload(u);
  }

  status(userId: number, taskId: number): { taskId: number; received: number; size: number; state: string } {
    const u = this.uploads.get(taskId);
    if (u && u.userId === userId) return { taskId, received: u.received, size: u.size, state: u.state };
    const d = this.downloads.get(taskId);
    if (d && d.userId === userId) return { taskId, received: d.sent, size: d.size, state: d.state };
    const f = this.done.get(taskId);
    if (f && f.userId === userId) return { taskId, received: f.transferredBytes, size: f.totalBytes, state: f.state };
    throw new CodedError(SignalingCodes.TRANSFER_NOT_FOUND, `no transfer ${taskId}`);
  }

  async cancel(userId: number, taskId: number): Promise<void> {
    const u = this.uploads.get(taskId);
    if (u && u.userId === userId) return this.dropUpload(u, 'cancelled');
    const d = this.downloads.get(taskId);
    if (d && d.userId === userId) return this.dropDownload(d, 'cancelled', SignalingCodes.TRANSFER_CANCELLED);
    throw new CodedError(SignalingCodes.TRANSFER_NOT_FOUND, `no transfer ${taskId}`);
  }

  private ownedUpload(userId: number, taskId: number): Upload {
    const u = this.uploads.get(taskId);
    if (!u || u.userId !== userId) throw new CodedError(SignalingCodes.TRANSFER_NOT_FOUND, `no upload ${taskId}`);
    return u;
  }

  private async completeUpload(u: Upload): Promise<void> {
    this.uploads.delete(u.taskId);
    u.state = 'done';
    this.budget?.release(u.userId, u.size, u.kind === 'file' && u.targetUserId === 0 ? u.size : 0);
    this.remember(taskInfo(u.taskId, u.kind, 'fromClient', u.userId, u.size, u.received, 'done'));
    if (u.kind === 'file') {
      if (!u.file) {
        await mkdir(this.tempDir, { recursive: true });
        u.tempPath = path.join(this.tempDir, receivedFileName(u.userId, u.taskId, u.fileName));
        u.file = await open(u.tempPath, 'w');
      }
      await u.file.close();
      u.file = null;
    }
    if (u.targetUserId === 0) {
      if (u.kind === 'bufferEx') {
        this.ctx.emitBufferEx({
          userId: u.userId,
          data: new Uint8Array(Buffer.concat(u.chunks)),
          wParam: u.wParam,
          lParam: u.lParam,
          flags: u.flags,
          taskId: u.taskId,
        });
      } else {
        this.ctx.emitFile({
          userId: u.userId,
          fileName: u.fileName,
          tempFilePath: u.tempPath!,
          fileLength: u.size,
          wParam: u.wParam,
          lParam: u.lParam,
          taskId: u.taskId,
        });
      }
      return;
    }
    // Relay to the target user (a new download task on their side).
    const link = this.ctx.linkOf(u.targetUserId);
    if (!link) {
      if (u.tempPath) await rm(u.tempPath, { force: true });
      return;
    }
    this.startDownload({
      kind: u.kind,
      userId: u.targetUserId,
      srcUserId: u.userId,
      size: u.size,
      wParam: u.wParam,
      lParam: u.lParam,
      flags: u.flags,
      fileName: u.fileName,
      data: u.kind === 'bufferEx' ? Buffer.concat(u.chunks) : null,
      filePath: u.tempPath,
      deleteFileAfter: true,
      fromSdk: false,
    });
  }

  private async dropUpload(u: Upload, state: TransferTaskInfo['state']): Promise<void> {
    if (!this.uploads.delete(u.taskId)) return;
    this.budget?.release(u.userId, u.size);
    u.chunks = [];
    u.state = state;
    this.remember(taskInfo(u.taskId, u.kind, 'fromClient', u.userId, u.size, u.received, state));
    if (u.file) await u.file.close().catch(() => undefined);
    if (u.tempPath) await rm(u.tempPath, { force: true });
  }

  // ------------------------------------------------------------ downloads (server → client)

  /** BRAS_TransBufferEx. */
  sendBuffer(userId: number, data: Uint8Array, opts: TransferOptions): number {
    if (data.length > ProtocolLimits.MAX_BUFFER_EX_BYTES)
      throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `buffer above ${ProtocolLimits.MAX_BUFFER_EX_BYTES} bytes`);
    if (!this.ctx.linkOf(userId)) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${userId} is not online`);
    return this.startDownload({
      kind: 'bufferEx',
      userId,
      srcUserId: 0,
      size: data.length,
      wParam: opts.wParam ?? 0,
      lParam: opts.lParam ?? 0,
      flags: opts.flags ?? 0,
      fileName: '',
      data: Buffer.from(data),
      filePath: null,
      deleteFileAfter: false,
      fromSdk: true,
    });
  }

  /** BRAS_TransFile. */
  async sendFile(userId: number, filePath: string, opts: TransferOptions): Promise<number> {
    if (!this.ctx.linkOf(userId)) throw new CodedError(SignalingCodes.USER_OFFLINE, `user ${userId} is not online`);
    let size: number;
    try {
      const st = await stat(filePath);
      if (!st.isFile()) throw new Error('not a file');
      size = st.size;
    } catch {
      throw new CodedError(Codes.NOT_FOUND, `no such file: ${filePath}`);
    }
    if (size > this.maxFileBytes) throw new CodedError(SignalingCodes.PAYLOAD_TOO_LARGE, `file above ${this.maxFileBytes} bytes`);
    return this.startDownload({
      kind: 'file',
      userId,
      srcUserId: 0,
      size,
      wParam: opts.wParam ?? 0,
      lParam: opts.lParam ?? 0,
      flags: opts.flags ?? 0,
      fileName: path.basename(filePath),
      data: null,
      filePath,
      deleteFileAfter: false,
      fromSdk: true,
    });
  }

  resume(userId: number, taskId: number, offset: number): void {
    const d = this.downloads.get(taskId);
    if (!d || d.userId !== userId) throw new CodedError(SignalingCodes.TRANSFER_NOT_FOUND, `no download ${taskId}`);
    if (offset < 0 || offset > d.size) throw new CodedError(SignalingCodes.TRANSFER_BAD_OFFSET, `offset ${offset} outside 0..${d.size}`);
    d.generation += 1;
    d.state = 'running';
    d.sent = offset;
    void this.pump(d, false);
  }

  async ack(userId: number, taskId: number): Promise<void> {
    const d = this.downloads.get(taskId);
    if (!d || d.userId !== userId) throw new CodedError(SignalingCodes.TRANSFER_NOT_FOUND, `no download ${taskId}`);
    await this.dropDownload(d, 'done', 0);
  }

  private startDownload(init: Omit<Download, 'taskId' | 'sent' | 'state' | 'generation'>): number {
    const d: Download = { ...init, taskId: this.newTaskId(), sent: 0, state: 'running', generation: 0 };
    this.downloads.set(d.taskId, d);
    void this.pump(d, true);
    return d.taskId;
  }

  private async pump(d: Download, announce: boolean): Promise<void> {
    const gen = d.generation;
    const link = this.ctx.linkOf(d.userId);
    if (!link) return void this.dropDownload(d, 'failed', SignalingCodes.USER_OFFLINE);
    try {
      if (announce) {
        link.push('transferBegin', {
          taskId: d.taskId,
          kind: d.kind,
          srcUserId: d.srcUserId,
          size: d.size,
          wParam: d.wParam,
          lParam: d.lParam,
          flags: d.flags,
          ...(d.kind === 'file' ? { fileName: d.fileName } : {}),
        });
      }
      const step = ProtocolLimits.TRANSFER_CHUNK_BYTES;
      if (d.data) {
        while (d.sent < d.size) {
          if (!(await this.waitDrain(link, d, gen))) return;
          const piece = d.data.subarray(d.sent, d.sent + step);
          link.push('transferChunk', { taskId: d.taskId, offset: d.sent, data: bytesToBase64(piece) });
          d.sent += piece.length;
        }
      } else if (d.filePath && d.size > 0) {
        const stream = createReadStream(d.filePath, { start: d.sent, highWaterMark: step });
        try {
          for await (const piece of stream as AsyncIterable<Buffer>) {
            if (!(await this.waitDrain(link, d, gen))) return;
            link.push('transferChunk', { taskId: d.taskId, offset: d.sent, data: bytesToBase64(piece) });
            d.sent += piece.length;
          }
        } finally {
          stream.destroy();
        }
      }
      if (gen !== d.generation || !this.downloads.has(d.taskId)) return;
      link.push('transferEnd', { taskId: d.taskId, errorCode: 0 });
    } catch (err) {
      this.logger.warn({ err, taskId: d.taskId }, 'download failed');
      await this.dropDownload(d, 'failed', Codes.INTERNAL);
    }
  }

  private async waitDrain(link: ClientLink, d: Download, gen: number): Promise<boolean> {
    while (link.open && link.bufferedBytes() > HIGH_WATER) await new Promise((r) => setTimeout(r, 5));
    return link.open && gen === d.generation && this.downloads.has(d.taskId);
  }

  private async dropDownload(d: Download, state: TransferTaskInfo['state'], errorCode: number): Promise<void> {
    if (!this.downloads.delete(d.taskId)) return;
    d.state = state;
    d.generation += 1;
    this.remember(taskInfo(d.taskId, d.kind, 'toClient', d.userId, d.size, state === 'done' ? d.size : d.sent, state));
    if (state !== 'done') {
      const link = this.ctx.linkOf(d.userId);
      link?.push('transferEnd', { taskId: d.taskId, errorCode });
    }
    if (d.deleteFileAfter && d.filePath) await rm(d.filePath, { force: true });
    if (d.fromSdk) this.ctx.emitFinished({ taskId: d.taskId, userId: d.userId, kind: d.kind, errorCode });
  }

  /** The user logged out: cancel their uploads and downloads. */
  async userGone(userId: number): Promise<void> {
    for (const u of [...this.uploads.values()]) if (u.userId === userId) await this.dropUpload(u, 'cancelled');
    for (const d of [...this.downloads.values()]) if (d.userId === userId) await this.dropDownload(d, 'cancelled', SignalingCodes.TRANSFER_CANCELLED);
  }

  async close(): Promise<void> {
    this.budget?.close();
    for (const u of [...this.uploads.values()]) await this.dropUpload(u, 'cancelled');
    for (const d of [...this.downloads.values()]) {
      this.downloads.delete(d.taskId);
      d.generation += 1;
      if (d.deleteFileAfter && d.filePath) await rm(d.filePath, { force: true });
    }
  }

  private remember(info: TransferTaskInfo): void {
    this.done.set(info.taskId, info);
    if (this.done.size > 1000) this.done.delete(this.done.keys().next().value as number);
  }
}

function taskInfo(
  taskId: number,
  kind: TransferKind,
  direction: TransferTaskInfo['direction'],
  userId: number,
  total: number,
  moved: number,
  state: TransferTaskInfo['state'],
): TransferTaskInfo {
  return {
    taskId,
    kind,
    direction,
    userId,
    totalBytes: total,
    transferredBytes: moved,
    progress: total === 0 ? 100 : Math.floor((moved * 100) / total),
    state,
  };
}

function safeFileName(name: string): string {
  const base = name
    .replace(/[\\/]/g, '_')
    // eslint-disable-next-line no-control-regex -- control characters are what this strips from file names
    .replace(/[\u0000-\u001f]/g, '')
    .slice(0, 200);
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

/**
 * Recordings: start/stop a server recording for a user (SDK streamRecordCtrl), the list from the
 * store's file index, rename, delete, and signed URLs to play or download. Tracks recordings in
 * progress so the console can show their elapsed time and, pushed every LIVE_SIZE_MS on the
 * existing `recordings:changed` event, the size written so far.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Codes, CodedError } from '../../../shared/codes';
import type { ConsoleEvents } from '../../../shared/ipc/contract';
import type { RecordingEntry } from '../../../shared/ipc/types';
import type { TypedEmitter } from '../../util/TypedEmitter';
import type { PlatformFile } from '../../gateway';
import type { SdkEvents } from '../../sdk';
import type { HandlerDeps, HandlerMap } from './types';

const RECORD_SERVER_SIDE = 0x4;
const FILE_TYPE_RECORDING = 1;
const FILE_TYPE_SNAPSHOT = 2;
const MIXED_FLAGS = 0x10 | 0x20 | 0x100 | 0x200;

/** What kind of recording a file is (a room recording is indexed under user 0, see RoomRecorder). */
export function kindOf(f: { fileType: number; userId: number; flags: number }): NonNullable<RecordingEntry['kind']> {
  if (f.fileType === FILE_TYPE_SNAPSHOT) return 'snapshot';
  if (f.userId === 0) return 'room';
  return f.flags & MIXED_FLAGS ? 'mixed' : 'single';
}
const STOP_WAIT_MS = 20_000;
const ROOM_FLAGS = 0x1 | 0x2 | 0x4 | 0x10 | 0x20;
const URL_SECONDS = 3600;
/** how often the sizes of recordings in progress are pushed to the console (only while some run) */
const LIVE_SIZE_MS = 2000;

export function recordingEntryOf(f: PlatformFile): RecordingEntry {
  return {
    fileId: f.fileId,
    recordingId: f.fileId,
    userId: f.userId,
    roomId: null,
    fileName: f.fileName,
    flags: f.flags,
    // The file index stores the recording's start as createTime (already minus its duration).
    startedAt: f.createTime,
    durationSeconds: f.recordSeconds,
    bytes: f.fileLength,
    state: 'finished',
    kind: kindOf(f),
  };
}

/** Recordings in progress, keyed by user (one recording per user at a time). */
export class ActiveRecordings {
  private readonly byUser = new Map<number, RecordingEntry>();
  private readonly waiters = new Map<number, (e: RecordingEntry | null) => void>();
  /** room recordings in progress, keyed by room */
  private readonly byRoom = new Map<number, RecordingEntry>();
  private readonly roomWaiters = new Map<number, (e: RecordingEntry | null) => void>();
  private sizeTimer?: NodeJS.Timeout;

  constructor(
    private readonly deps: HandlerDeps,
    private readonly out: TypedEmitter<ConsoleEvents>,
  ) {
    const { sdk } = deps.core.components;
    sdk.on('recordingFinished', (ev) => {
      const room = ev.kind === 'room';
      const key = room ? ev.param : ev.userId;
      const map = room ? this.byRoom : this.byUser;
      const active = map.get(key);
      map.delete(key);
      void this.finished(ev, room, key, active).catch((err: unknown) => deps.core.logger.warn({ err }, 'finished recording not reported'));
    });
  }

  private async finished(ev: SdkEvents['recordingFinished'], room: boolean, key: number, active: RecordingEntry | undefined): Promise<void> {
    const { platform } = this.deps.core.components;
    // The platform indexed the file on this same event, before us (subscription order).
    const file = (
      await platform.files.query({
        fromMs: 0,
        toMs: Date.now() + 1000,
        typeMask: FILE_TYPE_RECORDING | FILE_TYPE_SNAPSHOT,
        userId: ev.userId,
        exactName: true,
        fileName: path.basename(ev.fileName),
        offset: 0,
        limit: 1,
      })
    ).files[0];
    const errorCode = ev.errorCode ?? 0;
    const error = errorCode ? `ended with code ${errorCode}` : undefined;
    const finished: RecordingEntry = file
      ? { ...recordingEntryOf(file), roomId: room ? ev.param : (active?.roomId ?? null), ...(errorCode ? { errorCode, error } : {}) }
      : { ...(active ?? this.blank(ev.userId)), state: 'failed', errorCode, error: error ?? 'no file was indexed' };
    this.out.emit('recordings:changed', { active: this.list(), finished });
    const waiters = room ? this.roomWaiters : this.waiters;
    waiters.get(key)?.(finished);
    waiters.delete(key);
  }

  list(): RecordingEntry[] {
    return [...this.byUser.values(), ...this.byRoom.values()];
  }

  /** Pushes live sizes while recordings run; stops itself when none is left. */
  private watchSizes(): void {
    if (this.sizeTimer) return;
    this.sizeTimer = setInterval(() => void this.pushSizes(), LIVE_SIZE_MS);
    this.sizeTimer.unref();
  }

  private async pushSizes(): Promise<void> {
    if (this.byUser.size + this.byRoom.size === 0) {
      clearInterval(this.sizeTimer);
      this.sizeTimer = undefined;
      return;
    }
    const sizes = await this.deps.core.components.signaling.recordingSizes().catch(() => null);
    if (!sizes) return;
    let changed = false;
    const apply = (map: Map<number, RecordingEntry>, by: Record<number, number>) => {
      for (const [key, entry] of map) {
        const bytes = by[key];
        if (bytes === undefined || bytes === entry.bytes) continue;
        map.set(key, { ...entry, bytes });
        changed = true;
      }
    };
    apply(this.byUser, sizes.users);
    apply(this.byRoom, sizes.rooms);
    if (changed) this.out.emit('recordings:changed', { active: this.list() });
  }

  private roomRecorder() {
    const r = this.deps.core.components.signaling.roomRecorder;
    if (!r) throw new CodedError(Codes.UNAVAILABLE, 'room recording needs the local media node');
    return r;
  }

  async startRoom(roomId: number): Promise<RecordingEntry> {
    if (this.byRoom.has(roomId)) throw new CodedError(Codes.BAD_REQUEST, `room ${roomId} is already being recorded`);
    const { startedAt } = await this.roomRecorder().start(roomId);
    const entry: RecordingEntry = { ...this.blank(0), roomId, startedAt, flags: ROOM_FLAGS, kind: 'room' };
    this.byRoom.set(roomId, entry);
    this.out.emit('recordings:changed', { active: this.list() });
    this.watchSizes();
    return entry;
  }

  /** Stops and waits for the composed file. */
  async stopRoom(roomId: number): Promise<RecordingEntry | null> {
    if (!this.byRoom.has(roomId)) throw new CodedError(Codes.NOT_FOUND, `room ${roomId} is not being recorded`);
    const finished = new Promise<RecordingEntry | null>((resolve) => {
      this.roomWaiters.set(roomId, resolve);
      setTimeout(() => {
        if (this.roomWaiters.delete(roomId)) resolve(null);
      }, STOP_WAIT_MS * 6).unref();
    });
    await this.roomRecorder().stop(roomId);
    return finished;
  }

  ofRoom(roomId: number): RecordingEntry[] {
    return this.list().filter((r) => r.roomId === roomId);
  }

  async start(userId: number, flags: number): Promise<RecordingEntry> {
    const { sdk } = this.deps.core.components;
    const user = sdk.getOnlineUser(userId);
    if (!user) throw new CodedError(Codes.NOT_FOUND, `user ${userId} is not online`);
    if (this.byUser.has(userId)) throw new CodedError(Codes.BAD_REQUEST, `user ${userId} is already being recorded`);
    await sdk.streamRecordCtrl(userId, true, flags | RECORD_SERVER_SIDE);
    const entry: RecordingEntry = { ...this.blank(userId), roomId: user.roomId, flags: flags | RECORD_SERVER_SIDE };
    this.byUser.set(userId, entry);
    this.out.emit('recordings:changed', { active: this.list() });
    this.watchSizes();
    return entry;
  }

  /** Stops and waits for the finished file (the recorder reports it asynchronously). */
  async stop(userId: number): Promise<RecordingEntry | null> {
    if (!this.byUser.has(userId)) throw new CodedError(Codes.NOT_FOUND, `user ${userId} is not being recorded`);
    const finished = new Promise<RecordingEntry | null>((resolve) => {
      this.waiters.set(userId, resolve);
      setTimeout(() => {
        if (this.waiters.delete(userId)) resolve(null);
      }, STOP_WAIT_MS).unref();
    });
    try {
      await this.deps.core.components.sdk.streamRecordCtrl(userId, false);
    } catch (err) {
      // The recorder no longer has it (it failed on its own): drop the stale entry.
      this.waiters.delete(userId);
      const entry = this.byUser.get(userId);
      this.byUser.delete(userId);
      if (entry) this.out.emit('recordings:changed', { active: this.list(), finished: { ...entry, state: 'failed', error: (err as Error).message } });
      throw err;
    }
    return finished;
  }

  private blank(userId: number): RecordingEntry {
    return {
      fileId: null,
      recordingId: randomUUID(),
      userId,
      roomId: null,
      fileName: '',
      flags: 0,
      startedAt: Date.now(),
      durationSeconds: null,
      bytes: null,
      state: 'recording',
    };
  }
}

export function recordingsHandlers(deps: HandlerDeps, active: ActiveRecordings) {
  const { core, audited } = deps;
  const files = () => core.components.platform.files;
  const requireFile = async (fileId: string) => {
    const f = await files().get(fileId);
    if (!f) throw new CodedError(Codes.GW_FILE_MISSING, `file ${fileId} does not exist`);
    return f;
  };
  return {
    'recordings:start': ({ userId, flags }, caller) =>
      audited(caller, 'recordings:start', `user ${userId}`, { userId, flags }, async () => ({ recordingId: (await active.start(userId, flags)).recordingId })),
    'recordings:stop': ({ userId }, caller) => audited(caller, 'recordings:stop', `user ${userId}`, { userId }, () => active.stop(userId)),
    'recordings:startRoom': ({ roomId }, caller) =>
      audited(caller, 'recordings:startRoom', `room ${roomId}`, { roomId }, async () => ({ recordingId: (await active.startRoom(roomId)).recordingId })),
    'recordings:stopRoom': ({ roomId }, caller) => audited(caller, 'recordings:stopRoom', `room ${roomId}`, { roomId }, () => active.stopRoom(roomId)),
    'recordings:active': () => active.list(),
    'recordings:list': async ({ from, to, userId, name, page = 1, pageSize = 20 }) => {
      const r = await files().query({
        fromMs: from ?? 0,
        toMs: to ?? Date.now() + 60_000,
        typeMask: FILE_TYPE_RECORDING | FILE_TYPE_SNAPSHOT,
        userId,
        fileName: name || undefined,
        exactName: false,
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return { items: r.files.map(recordingEntryOf), total: r.total, page, pageSize };
    },
    'recordings:rename': ({ fileId, fileName }, caller) =>
      audited(caller, 'recordings:rename', `file ${fileId}`, { fileId, fileName }, async () => {
        await requireFile(fileId);
        await files().rename(fileId, fileName);
        return recordingEntryOf(await requireFile(fileId));
      }),
    'recordings:delete': ({ fileId }, caller) =>
      audited(caller, 'recordings:delete', `file ${fileId}`, { fileId }, async () => {
        await requireFile(fileId);
        await files().delete(fileId);
        return {};
      }),
    // The same signed URL plays (HTTP Range) and downloads (the page's <a download> saves it).
    'recordings:url': async ({ fileId }) => {
      const signed = await core.components.gateway.fileUrl(fileId, URL_SECONDS);
      if (!signed) throw new CodedError(Codes.GW_FILE_MISSING, `file ${fileId} does not exist`);
      return signed;
    },
  } satisfies HandlerMap;
}

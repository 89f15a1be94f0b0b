/**
 * Plugs the local media node (electron/media, mediasoup-shaped) into the signaling's MediaPort,
 * and implements the SDK's RecorderPort (streamRecordCtrl) on MediaNode.startRecording/stopRecording.
 */
import type { Logger } from 'pino';
import { CodedError, ServerMessages, SignalingCodes } from '../../../shared/codes';
import { RecordFlags, type MediaNode, type RecordingHandle, type RecordingResult, type Router } from '../../media';
import { sanitizeBaseName, uniqueBaseName } from '../../media/recorder/fileNames';
import type { CompositeLayout } from '../../media/recorder/compositeGraph';
import { RoomRecording, type CompositeSource } from '../../media/recorder/RoomRecording';
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { AnyChatSdk, RecorderPort } from '../../sdk';
import type { MediaPort, PortRouter } from './MediaPort';

export function mediaNodePort(node: MediaNode, sdk: AnyChatSdk): MediaPort {
  node.on('workerdied', ({ workerId }) => sdk.reportServerMessage(ServerMessages.MEDIA_SERVER_CONN, SignalingCodes.MEDIA_UNAVAILABLE, workerId));
  node.on('workerrestarted', ({ workerId }) => sdk.reportServerMessage(ServerMessages.MEDIA_SERVER_CONN, 0, workerId));
  return { createRouter: () => node.createRouter() };
}

/** What the recorder needs to know about a user's media (MediaRequests answers it). */
export interface UserMediaLookup {
  routerOfUser(userId: number): Promise<PortRouter> | null;
  producerIdsOf(userId: number): string[];
  /** Calls `listener(roomId)` whenever a room's producers come and go. */
  onRoomProducers?(listener: (roomId: number) => void): () => void;
  /** Every producer of a room (mixed recordings take the others from it). */
  producersOfRoom?(roomId: number): { producerId: string; userId: number }[];
}

/** Flags that compose the others into the recorded user's file (seed 0x10/0x20/0x100/0x200). */
const MIXED_FLAGS = RecordFlags.MIX_AUDIO | RecordFlags.MIX_VIDEO | RecordFlags.ABREAST | RecordFlags.STEREO;

/** 0x20 overlays the others (picture in picture), 0x100 puts them side by side; 0x200 stereo, 0x10 mix. */
export function mixedLayout(flags: number): CompositeLayout {
  return {
    width: 640,
    height: 480,
    fps: 15,
    video: flags & RecordFlags.ABREAST ? 'abreast' : flags & RecordFlags.MIX_VIDEO ? 'pip' : 'single',
    audio: flags & RecordFlags.STEREO ? 'stereo' : flags & RecordFlags.MIX_AUDIO ? 'mix' : 'main',
  };
}

interface ActiveRecording {
  handle: RecordingHandle;
  /** set for a mixed recording (the handle is then only an id holder) */
  composite?: RoomRecording;
  flags: number;
  param: number;
  userStr: string;
  roomId: number | null;
  producerIds: string[];
  snapshotTimer?: NodeJS.Timeout;
}

/** A stop this soon after a recording ended on its own (user left, disk full) is answered as done. */
const RECENTLY_ENDED_MS = 60_000;

/** A snapshot records this long (a keyframe is requested at once), then keeps the first frame. */
const SNAPSHOT_WINDOW_MS = 1500;

/**
 * streamRecordCtrl on the media node. Every recording ends exactly once with a report (the SDK's
 * recordingFinished → index + recordsnapshot_notify): stopped, failed (disk full…), its user's
 * media gone (left, logged out, reloaded, room closed), or the host stopping (finishAll).
 */
export class MediaNodeRecorder implements RecorderPort {
  private readonly active = new Map<number, ActiveRecording>();
  /** userId → when their last recording ended without a stop request */
  private readonly endedOnItsOwn = new Map<number, number>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly node: MediaNode,
    private readonly lookup: UserMediaLookup,
    private readonly sdk: AnyChatSdk,
    private readonly logger: Logger,
  ) {
    // A failed recording (e.g. a full disk) ends on its own: report it with its code and tell the
    // record-server status (seed message 11 with an error), so a later stop or start is not refused.
    node.on('recordingerror', ({ recordingId, error, result }) => {
      for (const [userId, rec] of this.active) {
        if (rec.handle.recordingId !== recordingId) continue;
        this.forget(userId, true);
        this.logger.error({ userId, recordingId, err: error }, 'recording failed');
        const code = result?.errorCode || SignalingCodes.RECORDING_FAILED;
        this.report(userId, rec, result ?? { filePath: '', fileName: '', durationSeconds: 0, bytes: 0, flags: rec.flags }, code);
        sdk.reportServerMessage(ServerMessages.RECORD_SERVER_CONN, code, 0);
      }
    });
    this.unsubscribe = lookup.onRoomProducers?.((roomId) => this.checkRoom(roomId)) ?? (() => undefined);
  }

  async start(req: { userId: number; roomId: number | null; flags: number; param: number; userStr: string }): Promise<void> {
    if (this.active.has(req.userId)) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `user ${req.userId} is already being recorded`);
    const routerP = this.lookup.routerOfUser(req.userId);
    const producers = this.lookup.producerIdsOf(req.userId);
    if (!routerP || producers.length === 0) throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, `user ${req.userId} publishes no media`);
    if (req.flags & RecordFlags.SNAPSHOT && !this.node.hasFfmpeg)
      throw new CodedError(SignalingCodes.RECORDING_NO_FFMPEG, 'a snapshot needs ffmpeg (recording.ffmpegPath, @ffmpeg-installer/ffmpeg or PATH)');
    // The port's routers are the node's own Router objects (mediaNodePort).
    const router = (await routerP) as unknown as Router;
    const fileBaseName = req.flags & RecordFlags.USER_FILE_NAME ? sanitizeBaseName(req.userStr) || undefined : undefined;
    if (req.flags & MIXED_FLAGS && !(req.flags & RecordFlags.SNAPSHOT)) return this.startMixed(req, router, producers, fileBaseName);
    let handle: RecordingHandle;
    try {
      handle = await this.node.startRecording({ router, userId: req.userId, producers, flags: req.flags, fileBaseName });
    } catch (err) {
      throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, `recording user ${req.userId} could not start: ${(err as Error).message}`);
    }
    const rec: ActiveRecording = { handle, flags: req.flags, param: req.param, userStr: req.userStr, roomId: req.roomId, producerIds: producers };
    this.active.set(req.userId, rec);
    if (req.flags & RecordFlags.SNAPSHOT) {
      rec.snapshotTimer = setTimeout(() => void this.end(req.userId, 0).catch(() => undefined), SNAPSHOT_WINDOW_MS);
      rec.snapshotTimer.unref();
    }
  }

  private async startMixed(
    req: { userId: number; roomId: number | null; flags: number; param: number; userStr: string },
    router: Router,
    producers: string[],
    fileBaseName: string | undefined,
  ): Promise<void> {
    const ffmpegPath = this.node.ffmpegPath;
    if (!ffmpegPath)
      throw new CodedError(SignalingCodes.RECORDING_NO_FFMPEG, 'a mixed recording needs ffmpeg (recording.ffmpegPath, @ffmpeg-installer/ffmpeg or PATH)');
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = uniqueBaseName(this.node.recordingsDir, fileBaseName ?? `mix_${req.userId}_${stamp}`, ['.webm', '.jpg']);
    const composite = new RoomRecording({
      node: this.node,
      router,
      ffmpegPath,
      filePath: path.join(this.node.recordingsDir, `${base}.webm`),
      layout: mixedLayout(req.flags),
      flags: req.flags,
      logger: this.logger.child({ userId: req.userId, mixed: true }),
    });
    const handle: RecordingHandle = { recordingId: randomUUID(), routerId: router.id, userId: req.userId, flags: req.flags, startedAt: composite.startedAt };
    const rec: ActiveRecording = { handle, composite, flags: req.flags, param: req.param, userStr: req.userStr, roomId: req.roomId, producerIds: producers };
    this.active.set(req.userId, rec);
    await composite.update(this.mixedSources(req.userId, req.roomId));
  }

  /** The recorded user first, then every other publisher of the room. */
  private mixedSources(userId: number, roomId: number | null): CompositeSource[] {
    const others = new Map<number, string[]>();
    if (roomId !== null)
      for (const p of this.lookup.producersOfRoom?.(roomId) ?? [])
        if (p.userId !== userId) others.set(p.userId, [...(others.get(p.userId) ?? []), p.producerId]);
    return [{ key: String(userId), producerIds: this.lookup.producerIdsOf(userId) }, ...[...others].map(([u, ids]) => ({ key: String(u), producerIds: ids }))];
  }

  async stop(req: { userId: number }): Promise<void> {
    // e.g. the business server stops the recording in its logout handler: the file is already finished
    const ended = this.endedOnItsOwn.get(req.userId);
    if (!this.active.has(req.userId) && ended !== undefined && Date.now() - ended < RECENTLY_ENDED_MS) return;
    if (!this.active.has(req.userId)) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `user ${req.userId} is not being recorded`);
    await this.end(req.userId, 0);
  }

  /** Bytes written so far by each user's recording in progress (its live file, or its composition). */
  async liveSizes(): Promise<Record<number, number>> {
    const sizes: Record<number, number> = {};
    for (const [userId, rec] of this.active) {
      const live = rec.composite ? undefined : this.node.liveFileOf(rec.handle.recordingId);
      sizes[userId] = rec.composite
        ? rec.composite.bytesSoFar
        : live
          ? await stat(live).then(
              (s) => s.size,
              () => 0,
            )
          : 0;
    }
    return sizes;
  }

  /** Host shutdown: finish, index and announce every recording in progress. */
  async finishAll(): Promise<void> {
    this.unsubscribe();
    await Promise.all([...this.active.keys()].map((userId) => this.end(userId, SignalingCodes.RECORDING_HOST_STOPPED).catch(() => undefined)));
  }

  /** A recording whose every producer is gone (user left, logged out, reloaded, room closed) ends. */
  private checkRoom(roomId: number): void {
    for (const [userId, rec] of this.active) {
      if (rec.roomId !== null && rec.roomId !== roomId) continue;
      const live = new Set(this.lookup.producerIdsOf(userId));
      if (rec.composite && rec.producerIds.some((id) => live.has(id))) void rec.composite.update(this.mixedSources(userId, rec.roomId));
      if (rec.producerIds.some((id) => live.has(id))) continue;
      this.logger.info({ userId, recordingId: rec.handle.recordingId }, 'recorded media gone: finishing the recording');
      void this.end(userId, SignalingCodes.RECORDING_USER_LEFT).catch((err) => this.logger.error({ err, userId }, 'finishing a recording failed'));
    }
  }

  private forget(userId: number, onItsOwn = false): ActiveRecording | undefined {
    const rec = this.active.get(userId);
    if (rec && onItsOwn) this.endedOnItsOwn.set(userId, Date.now());
    else this.endedOnItsOwn.delete(userId);
    if (rec?.snapshotTimer) clearTimeout(rec.snapshotTimer);
    this.active.delete(userId);
    return rec;
  }

  private async end(userId: number, reason: number): Promise<void> {
    const rec = this.forget(userId, reason !== 0);
    if (!rec) return;
    let result: RecordingResult;
    try {
      result = rec.composite ? await rec.composite.stop() : await this.node.stopRecording(rec.handle);
      if (rec.composite && (result.failed || result.empty))
        result = { ...result, errorCode: result.failed ? SignalingCodes.RECORDING_FAILED : SignalingCodes.RECORDING_NO_MEDIA };
    } catch (err) {
      this.logger.error({ userId, err }, 'stopping a recording failed');
      this.report(userId, rec, { filePath: '', fileName: '', durationSeconds: 0, bytes: 0, flags: rec.flags }, SignalingCodes.RECORDING_FAILED);
      throw new CodedError(SignalingCodes.RECORDING_FAILED, `recording of user ${userId} could not be finished: ${(err as Error).message}`);
    }
    const code = result.errorCode || reason;
    this.logger[result.errorCode ? 'warn' : 'info']({ userId, file: result.filePath, errorCode: code, error: result.error }, 'recording finished');
    this.report(userId, rec, result, code);
  }

  private report(userId: number, rec: ActiveRecording, result: RecordingResult, errorCode: number): void {
    this.sdk.reportRecordingFinished({
      userId,
      fileName: result.filePath,
      elapseSeconds: Math.round(result.durationSeconds),
      // the request's flags (0x800, 0x2000… as asked), plus snapshot so it is indexed as file type 2
      flags: rec.flags,
      param: rec.param,
      userStr: rec.userStr,
      recordServerId: 0,
      fileId: rec.handle.recordingId,
      errorCode,
      kind: rec.flags & RecordFlags.SNAPSHOT ? 'snapshot' : rec.composite ? 'mixed' : 'single',
    });
  }
}

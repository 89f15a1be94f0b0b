/**
 * "Record room": every publisher of a room composed in a grid with mixed audio, following the
 * room's producers as people join, leave, publish and stop (RoomRecording on the media node).
 * A finished room recording is reported like any other (recordingFinished → index +
 * recordsnapshot_notify) with userId 0, kind 'room' and param = the room id.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import { CodedError, SignalingCodes } from '../../../shared/codes';
import { RecordFlags, type MediaNode, type RecordingResult, type Router } from '../../media';
import { RoomRecording, type CompositeSource } from '../../media/recorder/RoomRecording';
import type { AnyChatSdk } from '../../sdk';
import type { MediaRequests } from './MediaRequests';

/** What the index and the notice carry for a room recording: audio + video, mixed and composed, server side. */
export const ROOM_RECORD_FLAGS = RecordFlags.VIDEO | RecordFlags.AUDIO | RecordFlags.SERVER | RecordFlags.MIX_AUDIO | RecordFlags.MIX_VIDEO;

interface ActiveRoom {
  recording: RoomRecording;
  unsubscribe: () => void;
  startedAt: number;
}

export class RoomRecorder {
  private readonly rooms = new Map<number, ActiveRoom>();

  constructor(
    private readonly node: MediaNode,
    private readonly media: MediaRequests,
    private readonly sdk: AnyChatSdk,
    private readonly logger: Logger,
  ) {}

  /** Bytes the composition of each room being recorded has written so far. */
  liveSizes(): Record<number, number> {
    return Object.fromEntries([...this.rooms].map(([roomId, r]) => [roomId, r.recording.bytesSoFar]));
  }

  /** Rooms being recorded, with when they started. */
  list(): { roomId: number; startedAt: number }[] {
    return [...this.rooms].map(([roomId, r]) => ({ roomId, startedAt: r.startedAt }));
  }

  async start(roomId: number): Promise<{ startedAt: number }> {
    if (this.rooms.has(roomId)) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `room ${roomId} is already being recorded`);
    const ffmpegPath = this.node.ffmpegPath;
    if (!ffmpegPath)
      throw new CodedError(
        SignalingCodes.RECORDING_NO_FFMPEG,
        'recording a room needs ffmpeg: set recording.ffmpegPath, install @ffmpeg-installer/ffmpeg or put ffmpeg on PATH',
      );
    if (this.sources(roomId).length === 0) throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, `nobody publishes in room ${roomId}`);
    const router = (await this.media.routerOfRoom(roomId)) as unknown as Router;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const recording = new RoomRecording({
      node: this.node,
      router,
      ffmpegPath,
      filePath: path.join(this.node.recordingsDir, `room_${roomId}_${stamp}.webm`),
      layout: { width: 640, height: 480, fps: 15, video: 'grid', audio: 'mix' },
      flags: ROOM_RECORD_FLAGS,
      logger: this.logger.child({ roomId }),
    });
    const unsubscribe = this.media.onRoomProducers((changed) => {
      if (changed === roomId) void recording.update(this.sources(roomId));
    });
    const entry = { recording, unsubscribe, startedAt: recording.startedAt };
    this.rooms.set(roomId, entry);
    try {
      await recording.update(this.sources(roomId));
    } catch (err) {
      this.rooms.delete(roomId);
      unsubscribe();
      await recording.stop().catch(() => undefined);
      throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, `recording room ${roomId} could not start: ${(err as Error).message}`);
    }
    this.logger.info({ roomId }, 'room recording started');
    return { startedAt: entry.startedAt };
  }

  async stop(roomId: number, reason = 0): Promise<RecordingResult> {
    const r = this.rooms.get(roomId);
    if (!r) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `room ${roomId} is not being recorded`);
    this.rooms.delete(roomId);
    r.unsubscribe();
    const result = await r.recording.stop();
    const errorCode = result.failed ? SignalingCodes.RECORDING_FAILED : result.empty ? SignalingCodes.RECORDING_NO_MEDIA : reason;
    this.logger[errorCode ? 'warn' : 'info']({ roomId, file: result.filePath, errorCode, error: result.error }, 'room recording finished');
    this.sdk.reportRecordingFinished({
      userId: 0,
      fileName: result.filePath,
      elapseSeconds: Math.round(result.durationSeconds),
      flags: ROOM_RECORD_FLAGS,
      param: roomId,
      userStr: `room ${roomId}`,
      recordServerId: 0,
      errorCode,
      kind: 'room',
    });
    return { ...result, errorCode };
  }

  /** Host shutdown: compose and announce every room recording. */
  async finishAll(): Promise<void> {
    await Promise.all([...this.rooms.keys()].map((roomId) => this.stop(roomId, SignalingCodes.RECORDING_HOST_STOPPED).catch(() => undefined)));
  }

  /** The room's publishers, one source per user (their current producers). */
  private sources(roomId: number): CompositeSource[] {
    const byUser = new Map<number, string[]>();
    for (const p of this.media.producersOfRoom(roomId)) byUser.set(p.userId, [...(byUser.get(p.userId) ?? []), p.producerId]);
    return [...byUser].map(([userId, producerIds]) => ({ key: String(userId), producerIds }));
  }
}

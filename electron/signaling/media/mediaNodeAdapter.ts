/**
 * Plugs the local media node (electron/media, mediasoup-shaped) into the signaling's MediaPort,
 * and implements the SDK's RecorderPort (streamRecordCtrl) on MediaNode.startRecording/stopRecording.
 */
import type { Logger } from 'pino';
import { CodedError, ServerMessages, SignalingCodes } from '../../../shared/codes';
import type { MediaNode, RecordingHandle, Router } from '../../media';
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
}

export class MediaNodeRecorder implements RecorderPort {
  private readonly active = new Map<number, { handle: RecordingHandle; flags: number; param: number; userStr: string }>();

  constructor(
    private readonly node: MediaNode,
    private readonly lookup: UserMediaLookup,
    private readonly sdk: AnyChatSdk,
    private readonly logger: Logger,
  ) {
    // A failed recording (e.g. a full disk) ends on its own: forget it and tell the record-server
    // status (seed message 11 with an error), so a later stop or start is not refused.
    node.on('recordingerror', ({ recordingId, error }) => {
      for (const [userId, rec] of this.active) {
        if (rec.handle.recordingId !== recordingId) continue;
        this.active.delete(userId);
        this.logger.error({ userId, recordingId, err: error }, 'recording failed');
        sdk.reportServerMessage(ServerMessages.RECORD_SERVER_CONN, SignalingCodes.RECORDER_UNAVAILABLE, 0);
      }
    });
  }

  async start(req: { userId: number; roomId: number | null; flags: number; param: number; userStr: string }): Promise<void> {
    if (this.active.has(req.userId)) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `user ${req.userId} is already being recorded`);
    const routerP = this.lookup.routerOfUser(req.userId);
    const producers = this.lookup.producerIdsOf(req.userId);
    if (!routerP || producers.length === 0) throw new CodedError(SignalingCodes.MEDIA_UNAVAILABLE, `user ${req.userId} publishes no media`);
    // The port's routers are the node's own Router objects (mediaNodePort).
    const router = (await routerP) as unknown as Router;
    const handle = await this.node.startRecording({ router, userId: req.userId, producers, flags: req.flags });
    this.active.set(req.userId, { handle, flags: req.flags, param: req.param, userStr: req.userStr });
  }

  async stop(req: { userId: number }): Promise<void> {
    const rec = this.active.get(req.userId);
    if (!rec) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, `user ${req.userId} is not being recorded`);
    this.active.delete(req.userId);
    const result = await this.node.stopRecording(rec.handle);
    this.logger.info({ userId: req.userId, file: result.filePath }, 'recording finished');
    this.sdk.reportRecordingFinished({
      userId: req.userId,
      fileName: result.filePath,
      elapseSeconds: Math.round(result.durationSeconds),
      flags: rec.flags,
      param: rec.param,
      userStr: rec.userStr,
      recordServerId: 0,
      fileId: rec.handle.recordingId,
    });
  }
}

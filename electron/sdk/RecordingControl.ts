/**
 * Server recording (BRAS_StreamRecordCtrlEx, seed §2.14): starts and stops go to the plugged-in
 * recorder; its end reports become `recordingFinished` events, and the recorded client hears about
 * start and stop only with flag 0x800.
 */
import path from 'node:path';
import { CodedError, SignalingCodes } from '../../shared/codes';
import type { SdkInternals } from './ClientSide';
import type { EventQueue } from './EventQueue';
import type { SessionTable } from './SessionTable';
import type { RecorderPort, SdkEvents } from './types';
import { offline } from './UserControls';

/** Record flag 0x800 (seed BRAC_RECORD_FLAGS_LOCALCB): the recorded client is told. */
const RECORD_FLAG_LOCAL_CALLBACK = 0x800;

export interface RecordingControlDeps extends Pick<SdkInternals, 'pushToUser'> {
  sessions: SessionTable;
  events: EventQueue;
}

export class RecordingControl {
  constructor(
    private recorder: RecorderPort | null,
    private readonly d: RecordingControlDeps,
  ) {}

  attach(recorder: RecorderPort | null): void {
    this.recorder = recorder;
  }

  // A stop is checked before the session: a user who went offline can still have a recording to
  // finish and index.
  async control(userId: number, start: boolean, flags: number, param: number, userStr: string): Promise<void> {
    if (!this.recorder) throw new CodedError(SignalingCodes.RECORDER_UNAVAILABLE, 'no recorder is plugged in');
    if (!start) return this.recorder.stop({ userId });
    const s = this.d.sessions.get(userId);
    if (!s) throw offline(userId);
    await this.recorder.start({ userId, roomId: s.roomId, flags, param, userStr });
    if (flags & RECORD_FLAG_LOCAL_CALLBACK) this.d.pushToUser(userId, 'recordingStarted', { userId });
  }

  /** A recording ended, good or failed (errorCode 0 = good). */
  finished(ev: SdkEvents['recordingFinished'] & { fileId?: string }): void {
    const { fileId, ...rest } = ev;
    if (ev.flags & RECORD_FLAG_LOCAL_CALLBACK) {
      this.d.pushToUser(ev.userId, 'recordingStopped', {
        userId: ev.userId,
        fileId,
        fileName: path.basename(ev.fileName),
        recordSeconds: ev.elapseSeconds,
        errorCode: ev.errorCode ?? 0,
      });
    }
    this.d.events.emit('recordingFinished', { ...rest, errorCode: ev.errorCode ?? 0 });
  }
}

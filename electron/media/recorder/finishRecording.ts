/**
 * The main-thread end of every recording, good or failed: turn the live file into the finished one
 * (ffmpeg remux → WebM Cues / MP4 index; a snapshot → JPEG), or keep what was written when that is
 * impossible, and say why with a code. Never throws: a recording always ends with a result.
 */
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { SignalingCodes } from '../../../shared/codes';
import { RecordFlags, type RecordingResult } from '../types';
import { extractJpeg, remuxWithIndex } from './finishFile';

export interface FinishOptions {
  ffmpegPath: string | null;
  /** the engine's error if the recording stopped on its own (e.g. ENOSPC) */
  writeError?: Error;
}

export function codeOfRecordingError(err: Error): number {
  const text = `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`;
  return /ENOSPC|EDQUOT|no space left/i.test(text) ? SignalingCodes.RECORDING_DISK_FULL : SignalingCodes.RECORDING_FAILED;
}

/** A result for `filePath` before anything is known of it (a room composition fills it in). */
export function blankResult(filePath: string, flags: number): RecordingResult {
  return { filePath, fileName: path.basename(filePath), durationSeconds: 0, bytes: 0, flags, errorCode: 0 };
}

const sizeOf = async (p: string) => (await stat(p).catch(() => null))?.size ?? 0;

export async function finishRecording(raw: RecordingResult, opts: FinishOptions): Promise<RecordingResult> {
  const live = raw.livePath;
  const out: RecordingResult = { ...raw, errorCode: raw.errorCode ?? 0 };
  if (opts.writeError) {
    out.errorCode = codeOfRecordingError(opts.writeError);
    out.error = opts.writeError.message;
  }
  if (!live) return out;
  if (raw.empty) {
    await rm(live, { force: true });
    return {
      ...out,
      bytes: 0,
      durationSeconds: 0,
      errorCode: out.errorCode || SignalingCodes.RECORDING_NO_MEDIA,
      error: out.error ?? 'nothing was recorded (no keyframe or no packet arrived)',
    };
  }
  if (raw.flags & RecordFlags.SNAPSHOT) return finishSnapshot(raw, out, live, opts.ffmpegPath);
  if (opts.ffmpegPath && !opts.writeError) {
    try {
      await remuxWithIndex(opts.ffmpegPath, live, raw.filePath, raw.format ?? 'webm');
      return { ...out, bytes: await sizeOf(raw.filePath) };
    } catch (e) {
      out.errorCode = codeOfRecordingError(e as Error);
      out.error = `finishing the file failed: ${(e as Error).message}`;
    }
  }
  // No ffmpeg (or it failed, or the disk is full): keep the file as the live muxer wrote it
  // (complete sizes and duration, no index) under its final name.
  await rename(live, raw.filePath).catch(() => undefined);
  return { ...out, bytes: await sizeOf(raw.filePath) };
}

async function finishSnapshot(raw: RecordingResult, out: RecordingResult, live: string, ffmpeg: string | null): Promise<RecordingResult> {
  const jpeg = path.join(path.dirname(raw.filePath), `${path.basename(raw.fileName, path.extname(raw.fileName))}.jpg`);
  const result = { ...out, filePath: jpeg, fileName: path.basename(jpeg), durationSeconds: 0 };
  try {
    if (!ffmpeg)
      return {
        ...result,
        bytes: 0,
        errorCode: SignalingCodes.RECORDING_NO_FFMPEG,
        error: 'a snapshot needs ffmpeg (recording.ffmpegPath, @ffmpeg-installer/ffmpeg or PATH)',
      };
    if (out.errorCode) return { ...result, bytes: 0 };
    await extractJpeg(ffmpeg, live, jpeg);
    return { ...result, bytes: await sizeOf(jpeg) };
  } catch (e) {
    await rm(jpeg, { force: true });
    return { ...result, bytes: 0, errorCode: codeOfRecordingError(e as Error), error: `snapshot failed: ${(e as Error).message}` };
  } finally {
    await rm(live, { force: true });
  }
}

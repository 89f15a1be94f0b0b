/**
 * Turns the file the live muxer wrote into the finished one, through ffmpeg:
 * - remux (`-c copy`, no re-encoding): WebM gets Cues (seekable) and a SeekHead, fragmented MP4
 *   becomes a regular MP4 with its index (moov) up front (`+faststart`);
 * - snapshot: the first decodable video frame as a JPEG.
 * The live file is written with a `.part` name and renamed only once finished, so a file with the
 * final name is always complete.
 */
import { rename, rm, stat } from 'node:fs/promises';
import { runFfmpeg } from './runFfmpeg';

/** Remuxes `src` into `dest` (same container) and removes `src`. */
export async function remuxWithIndex(ffmpeg: string, src: string, dest: string, format: 'webm' | 'mp4'): Promise<void> {
  const tmp = `${dest}.tmp`;
  try {
    await runFfmpeg(ffmpeg, [
      '-y',
      '-fflags',
      '+genpts',
      '-i',
      src,
      '-map',
      '0',
      '-c',
      'copy',
      // Opus in MP4 is "experimental" for ffmpeg < 5 (the npm package's 4.1 refuses it without -strict)
      ...(format === 'mp4' ? ['-movflags', '+faststart', '-strict', 'experimental'] : []),
      '-f',
      format,
      tmp,
    ]);
    await rename(tmp, dest);
    await rm(src, { force: true });
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/** Decodes the first video frame of `src` into a JPEG at `dest`. */
export async function extractJpeg(ffmpeg: string, src: string, dest: string): Promise<void> {
  await runFfmpeg(ffmpeg, ['-y', '-i', src, '-map', '0:v:0', '-frames:v', '1', '-q:v', '3', '-f', 'image2', '-c:v', 'mjpeg', dest]);
  if ((await stat(dest)).size === 0) throw new Error('ffmpeg wrote an empty snapshot');
}

/**
 * The demo bots' sample clip (scripts/make-demo-clip.sh): VP8 in IVF, Opus in Ogg and the audio
 * level of each Opus packet, loaded once and shared by every bot in the process.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVp8Keyframe, parseIvf } from './ivf';
import { parseOggOpus } from './ogg';

export interface ClipVideoFrame {
  data: Buffer;
  keyframe: boolean;
  /** RTP (90 kHz) ticks until the next frame. */
  ticks: number;
}

export interface ClipAudioPacket {
  data: Buffer;
  /** 48 kHz samples (= RTP ticks for Opus). */
  samples: number;
  /** RFC 6464 level, -dBov 0–127. */
  level: number;
}

export interface Clip {
  width: number;
  height: number;
  video: ClipVideoFrame[];
  audio: ClipAudioPacket[];
  /** Loop length in milliseconds (video). */
  durationMs: number;
}

const FILES = ['demo.ivf', 'demo.ogg', 'demo.levels.json'];

/** Finds the clip directory: $ANYCHAT_DEMO_CLIP_DIR, the app's resources (packaged), or `electron/demo/clip` above this module (source tree or out/main). */
export function findClipDir(): string {
  const env = process.env.ANYCHAT_DEMO_CLIP_DIR;
  if (env) return env;
  // A packaged desktop app: electron-builder `extraResources` (electron/demo/clip → demo-clip).
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources && existsSync(path.join(resources, 'demo-clip', FILES[0]!))) return path.join(resources, 'demo-clip');
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    for (const candidate of [path.join(dir, 'clip'), path.join(dir, 'electron', 'demo', 'clip')]) {
      if (existsSync(path.join(candidate, FILES[0]!))) return candidate;
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('demo clip not found (electron/demo/clip/demo.ivf); run scripts/make-demo-clip.sh or set ANYCHAT_DEMO_CLIP_DIR');
    dir = up;
  }
}

export function loadClip(dir = findClipDir()): Clip {
  const ivf = parseIvf(readFileSync(path.join(dir, 'demo.ivf')));
  if (ivf.fourcc !== 'VP80') throw new Error(`demo clip: expected VP8, got ${ivf.fourcc}`);
  const ticksPerPts = (90_000 * ivf.timebaseNum) / ivf.timebaseDen;
  const video = ivf.frames.map((f, i) => {
    const next = ivf.frames[i + 1]?.pts ?? f.pts + (i > 0 ? f.pts - ivf.frames[i - 1]!.pts : 1);
    return { data: f.data, keyframe: isVp8Keyframe(f.data), ticks: Math.max(1, Math.round((next - f.pts) * ticksPerPts)) };
  });
  if (!video[0]!.keyframe) throw new Error('demo clip: the video must start on a key frame');
  const packets = parseOggOpus(readFileSync(path.join(dir, 'demo.ogg')));
  const levels = JSON.parse(readFileSync(path.join(dir, 'demo.levels.json'), 'utf8')) as number[];
  const audio = packets.map((p, i) => ({ ...p, level: Math.min(127, Math.max(0, levels[i] ?? 127)) }));
  const durationMs = Math.round(video.reduce((s, f) => s + f.ticks, 0) / 90);
  return { width: ivf.width, height: ivf.height, video, audio, durationMs };
}

let shared: Clip | null = null;
/** The clip, loaded on first use. */
export function demoClip(): Clip {
  shared ??= loadClip();
  return shared;
}

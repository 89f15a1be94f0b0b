/**
 * Checks on a recorded file with the real ffmpeg/ffprobe (tests and benches): decode errors,
 * Cues, per-track packet timestamps, and A/V sync from flash/beep markers.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const hasFfmpegTools = (() => {
  try {
    execFileSync('ffprobe', ['-version'], { stdio: 'ignore' });
    const enc = execFileSync('ffmpeg', ['-hide_banner', '-encoders'], { encoding: 'utf8' });
    return enc.includes('libvpx') && enc.includes('libopus');
  } catch {
    return false;
  }
})();

/** What `ffmpeg -v error -i FILE -f null -` prints (empty = decodes cleanly). */
export function decodeErrors(file: string): string {
  return spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' }).stderr.trim();
}

/** A WebM carries a Cues element (players can seek without scanning). */
export function webmHasCues(file: string): boolean {
  return readFileSync(file).includes(Buffer.from([0x1c, 0x53, 0xbb, 0x6b]));
}

export function probe(file: string): {
  duration: number;
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; channels?: number }[];
} {
  const j = JSON.parse(
    execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,codec_name,width,height,channels', '-of', 'json', file], {
      encoding: 'utf8',
    }),
  );
  return { duration: Number(j.format.duration), streams: j.streams };
}

/** Packet dts (s) of one stream, in file order. */
export function packetTimes(file: string, stream: 'v:0' | 'a:0'): number[] {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', stream, '-show_entries', 'packet=dts_time', '-of', 'csv=p=0', file], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return out.split('\n').filter(Boolean).map(Number);
}

/** Times (s) where the picture turns bright (flash markers). (ffprobe's lavfi input crashes on this; ffmpeg's metadata filter prints them.) */
export function flashOnsets(file: string): number[] {
  const out = execFileSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-i',
      file,
      '-map',
      '0:v:0',
      '-vf',
      'signalstats,metadata=print:key=lavfi.signalstats.YAVG:file=-',
      '-f',
      'null',
      '-',
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const onsets: number[] = [];
  let bright = false;
  let t = NaN;
  for (const line of out.split('\n')) {
    const pts = /pts_time:([\d.]+)/.exec(line);
    if (pts) t = Number(pts[1]);
    const y = /YAVG=([\d.]+)/.exec(line);
    if (!y || !Number.isFinite(t)) continue;
    const now = Number(y[1]) > 128;
    if (now && !bright) onsets.push(t);
    bright = now;
  }
  return onsets;
}

/** Times (s) where sound starts after ≥ 0.3 s of silence (beep markers). */
export function beepOnsets(file: string): number[] {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', 'silencedetect=n=-35dB:d=0.3', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  return [...r.stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
}

/** For each flash, the offset (s) to the nearest beep: positive = audio late. */
export function avOffsets(file: string): number[] {
  const beeps = beepOnsets(file);
  return flashOnsets(file)
    .map((f) => {
      let best = Infinity;
      for (const b of beeps) if (Math.abs(b - f) < Math.abs(best)) best = b - f;
      return best;
    })
    .filter((d) => Math.abs(d) < 0.5);
}

/** Mean level (dB) of the audio in a band around `hz` (energy of one publisher's tone in a mix). */
export function toneLevelDb(file: string, hz: number, channel?: 0 | 1): number {
  const pick = channel === undefined ? '' : `pan=mono|c0=c${channel},`;
  const r = spawnSync(
    'ffmpeg',
    ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a:0', '-af', `${pick}bandpass=f=${hz}:width_type=q:w=20,volumedetect`, '-f', 'null', '-'],
    { encoding: 'utf8' },
  );
  const m = /mean_volume: (-?[\d.]+) dB/.exec(r.stderr);
  return m ? Number(m[1]) : -Infinity;
}

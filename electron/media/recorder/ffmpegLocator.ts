/**
 * Finds the ffmpeg binary used to finish files (remux with an index), take snapshots and compose
 * room recordings: the configured `recording.ffmpegPath`, then a binary shipped inside an npm
 * package (@ffmpeg-installer/ffmpeg carries one per desktop platform), then PATH.
 */
import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface FoundFfmpeg {
  path: string;
  source: 'config' | 'npm' | 'path';
}

const isExecutable = (p: string): boolean => {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function fromNpmPackage(): string | null {
  try {
    // Optional: resolved only if installed (it is not a hard dependency of the host).
    const req = createRequire(import.meta.url);
    const mod = req('@ffmpeg-installer/ffmpeg') as { path?: string };
    // Inside an asar archive the binary is unpacked next to it.
    const p = mod.path?.replace('app.asar', 'app.asar.unpacked');
    return p && isExecutable(p) ? p : null;
  } catch {
    return null;
  }
}

function fromPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const p = path.join(dir, n);
      if (isExecutable(p)) return p;
    }
  }
  return null;
}

/** null when there is no usable ffmpeg (a configured path that is not executable counts as none found there). */
export function findFfmpeg(configured: string | null | undefined, env: NodeJS.ProcessEnv = process.env): FoundFfmpeg | null {
  if (configured && isExecutable(configured)) return { path: configured, source: 'config' };
  const npm = fromNpmPackage();
  if (npm) return { path: npm, source: 'npm' };
  const onPath = fromPath(env);
  return onPath ? { path: onPath, source: 'path' } : null;
}

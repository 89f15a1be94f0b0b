/**
 * Recording file names. A name may come from the client (flag 0x2000 takes it from userStr), so it
 * is reduced to letters (any script), digits, `_`, `-` and inner dots: no path separators, no
 * leading dot, no control characters, bounded length. An existing file is never overwritten.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

const MAX_BASE_LENGTH = 96;

/** '' when nothing usable is left. */
export function sanitizeBaseName(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_.-]+/gu, '_')
    .replace(/[._-]*_[._-]*/g, '_') // a run of separators around a replaced character → one '_'
    .replace(/\.{2,}/g, '.')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, MAX_BASE_LENGTH);
}

/** `base`, or `base_2`, `base_3`… so that none of the extensions collides with an existing file. */
export function uniqueBaseName(dir: string, base: string, extensions: string[], inUse: (base: string) => boolean = () => false): string {
  const taken = (b: string) => inUse(b) || extensions.some((ext) => existsSync(path.join(dir, `${b}${ext}`)));
  if (!taken(base)) return base;
  for (let i = 2; i < 10_000; i++) if (!taken(`${base}_${i}`)) return `${base}_${i}`;
  return `${base}_${Date.now()}`;
}

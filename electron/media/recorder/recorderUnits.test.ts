import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameReorderQueue } from './FrameReorderQueue';
import { sanitizeBaseName, uniqueBaseName } from './fileNames';
import { codeOfRecordingError } from './finishRecording';
import { findFfmpeg } from './ffmpegLocator';
import { SignalingCodes } from '../../../shared/codes';

describe('FrameReorderQueue', () => {
  it('releases frames of two tracks in time order once they are older than the window', () => {
    const q = new FrameReorderQueue<string>(100);
    const out: string[] = [];
    const push = (t: number, x: string) => out.push(...q.push(t, x).map((f) => `${f.time}:${f.item}`));
    push(0, 'v0');
    push(20, 'a20');
    push(10, 'a10'); // late audio
    push(40, 'a40');
    push(33, 'v33');
    expect(out).toEqual([]);
    push(150, 'a150');
    expect(out).toEqual(['0:v0', '10:a10', '20:a20', '33:v33', '40:a40']);
    push(30, 'late'); // behind what is out: moved up to it, never backwards
    expect(out.at(-1)).toBe('40:late');
    expect(q.drain().map((f) => `${f.time}:${f.item}`)).toEqual(['150:a150']);
  });
});

describe('recording file names', () => {
  it('sanitizes userStr names: no separators, no leading dots, any script kept', () => {
    expect(sanitizeBaseName('../../etc/passwd')).toBe('etc_passwd');
    expect(sanitizeBaseName('客户 面签 2026/11')).toBe('客户_面签_2026_11');
    expect(sanitizeBaseName('.hidden')).toBe('hidden');
    expect(sanitizeBaseName('a\u0000b\nc')).toBe('a_b_c');
    expect(sanitizeBaseName('///')).toBe('');
    expect(sanitizeBaseName('x'.repeat(300))).toHaveLength(96);
  });
  it('never reuses an existing file name', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'names-'));
    writeFileSync(path.join(dir, 'case.webm'), '');
    writeFileSync(path.join(dir, 'case_2.jpg'), '');
    expect(uniqueBaseName(dir, 'case', ['.webm', '.jpg'])).toBe('case_3');
    expect(uniqueBaseName(dir, 'other', ['.webm'])).toBe('other');
  });
});

describe('recording errors and ffmpeg lookup', () => {
  it('a full disk has its own code', () => {
    expect(codeOfRecordingError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toBe(
      SignalingCodes.RECORDING_DISK_FULL,
    );
    expect(codeOfRecordingError(new Error('EIO: i/o error'))).toBe(SignalingCodes.RECORDING_FAILED);
  });
  it('configured path first, then PATH; nothing → null', () => {
    const onPath = findFfmpeg(null);
    if (onPath) expect(onPath.source === 'path' || onPath.source === 'npm').toBe(true);
    if (onPath) expect(findFfmpeg(onPath.path)).toEqual({ path: onPath.path, source: 'config' });
    expect(findFfmpeg('/nonexistent/ffmpeg', { PATH: '/nonexistent' })?.source ?? null).not.toBe('config');
  });
});

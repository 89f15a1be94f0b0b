/** The committed demo clip, read by the project's own IVF / Ogg readers and VP8 packetizer. */
import { describe, expect, it } from 'vitest';
import { isVp8KeyframeStart } from '../../media/rtp/keyframe';
import { loadClip } from './clip';
import { packetizeVp8, VP8_MAX_PAYLOAD } from './vp8Packetizer';

describe('demo clip', () => {
  const clip = loadClip();

  it('is a 6 s loop: VP8 320x240 at 15 fps with a key frame every second, Opus in 20 ms packets with a level each', () => {
    expect([clip.width, clip.height]).toEqual([320, 240]);
    expect(clip.video).toHaveLength(90);
    expect(clip.durationMs).toBe(6000);
    expect(clip.video.every((f) => f.ticks === 6000)).toBe(true);
    expect(clip.video.map((f, i) => (f.keyframe ? i : -1)).filter((i) => i >= 0)).toEqual([0, 15, 30, 45, 60, 75]);
    expect(clip.audio.length).toBeGreaterThanOrEqual(299);
    expect(clip.audio.every((p) => p.samples === 960)).toBe(true);
    // The tone: loud (low -dBov) in the first half of the loop, quiet in the second.
    const half = Math.floor(clip.audio.length / 2);
    const loud = (from: number, to: number) => clip.audio.slice(from, to).filter((p) => p.level < 30).length / (to - from);
    expect(loud(5, half - 5)).toBeGreaterThan(0.95);
    expect(loud(half + 5, clip.audio.length)).toBeLessThan(0.05);
  });

  it('packetizes every frame into ≤ MTU payloads that reassemble it; the media node sees key frames start', () => {
    for (const [i, f] of clip.video.entries()) {
      const payloads = packetizeVp8(f.data, i);
      expect(payloads.every((p) => p.length <= VP8_MAX_PAYLOAD)).toBe(true);
      expect(Buffer.concat(payloads.map((p) => p.subarray(4)))).toEqual(f.data);
      expect(payloads.map((p) => (p[0]! & 0x10) !== 0)).toEqual(payloads.map((_, j) => j === 0));
      expect(payloads.every((p) => (p.readUInt16BE(2) & 0x7fff) === i)).toBe(true);
      expect(isVp8KeyframeStart(payloads[0]!)).toBe(f.keyframe);
    }
  });
});

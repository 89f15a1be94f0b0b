import { describe, expect, it } from 'vitest';
import { RtpRewriter } from './RtpRewriter';
import { RetransmissionBuffer } from './RetransmissionBuffer';
import { RecvStats, rttFromReport, ntpMiddle } from './RecvStats';
import { isH264Keyframe, isVp8KeyframeStart } from './keyframe';
import { seqDiff } from './seq';
import { NackGenerator } from './NackGenerator';

describe('RtpRewriter', () => {
  it('maps seq/ts to a fresh base and keeps continuity across resync (pause/resume)', () => {
    const r = new RtpRewriter(90000, 1000, 5000);
    expect(r.rewrite(40000, 123456, 0)).toEqual({ seq: 1000, ts: 5000 });
    expect(r.rewrite(40001, 123456 + 3000, 33)).toEqual({ seq: 1001, ts: 8000 });
    r.resync();
    // after a 1 s pause the source jumped far ahead
    const out = r.rewrite(50000, 999_999, 1033)!;
    expect(out.seq).toBe(1002);
    expect(out.ts).toBe(8000 + 90000);
    expect(r.rewrite(50001, 999_999 + 3000, 1066)).toEqual({ seq: 1003, ts: 8000 + 93000 });
  });

  it('wraps sequence numbers and timestamps', () => {
    const r = new RtpRewriter(48000, 0xfffe, 0xffffff00);
    expect(r.rewrite(10, 0, 0)).toEqual({ seq: 0xfffe, ts: 0xffffff00 });
    expect(r.rewrite(11, 960, 20)).toEqual({ seq: 0xffff, ts: (0xffffff00 + 960) >>> 0 });
    expect(r.rewrite(12, 1920, 40)!.seq).toBe(0);
  });

  it('drops packets from before a switch and tolerates reordering after it', () => {
    const r = new RtpRewriter(90000, 100, 0);
    r.rewrite(10, 0, 0);
    r.resync();
    expect(r.rewrite(500, 0, 10)!.seq).toBe(101);
    expect(r.rewrite(499, 0, 10)).toBeNull();
    expect(r.rewrite(502, 0, 10)!.seq).toBe(103);
    expect(r.rewrite(501, 0, 10)!.seq).toBe(102);
  });

  it('closes the gap left by a dropped in-order padding packet', () => {
    const r = new RtpRewriter(90000, 100, 0);
    r.rewrite(10, 0, 0);
    r.skip(11);
    expect(r.rewrite(12, 0, 0)!.seq).toBe(101);
  });
});

describe('RetransmissionBuffer (NACK)', () => {
  it('returns stored packets by seq, once per 50 ms, not after max age', () => {
    const b = new RetransmissionBuffer(8, 1000);
    const now = 10_000;
    for (let s = 0; s < 10; s++) b.store({ seq: s, timestamp: s, marker: false, payload: Buffer.from([s]), extensions: [], sentAt: now, resentAt: 0 });
    expect(b.get(0, now)).toBeNull(); // overwritten by 8
    expect(b.get(9, now)!.payload[0]).toBe(9);
    expect(b.get(9, now + 10)).toBeNull(); // rate limited
    expect(b.get(9, now + 100)).not.toBeNull();
    expect(b.get(5, now + 2000)).toBeNull(); // too old
  });
});

describe('RecvStats', () => {
  it('counts loss across wrap and produces RR blocks', () => {
    const s = new RecvStats(90000);
    let t = 0;
    for (const seq of [65533, 65534, 65535, 1, 2]) s.onPacket(seq, seq * 3000, 100, (t += 33));
    expect(s.expected).toBe(6);
    expect(s.packetsLost).toBe(1);
    const rb = s.reportBlock(42, t);
    expect(rb.highestSequence).toBe(65536 + 2);
    expect(rb.fractionLost).toBe(Math.floor((1 << 8) / 6));
  });
  it('computes RTT from lsr/dlsr', () => {
    const sent = 1_000_000;
    const lsr = ntpMiddle(sent);
    const dlsr = Math.floor(0.1 * 65536);
    expect(rttFromReport(lsr, dlsr, sent + 150)).toBeGreaterThan(45);
    expect(rttFromReport(lsr, dlsr, sent + 150)).toBeLessThan(55);
  });
});

describe('keyframe detection', () => {
  it('VP8', () => {
    expect(isVp8KeyframeStart(Buffer.from([0x10, 0x00]))).toBe(true);
    expect(isVp8KeyframeStart(Buffer.from([0x10, 0x01]))).toBe(false);
    expect(isVp8KeyframeStart(Buffer.from([0x00, 0x00]))).toBe(false); // not start of partition
    // X=1, I=1 with 15-bit picture id
    expect(isVp8KeyframeStart(Buffer.from([0x90, 0x80, 0x81, 0x23, 0x00]))).toBe(true);
  });
  it('H264', () => {
    expect(isH264Keyframe(Buffer.from([0x65]))).toBe(true);
    expect(isH264Keyframe(Buffer.from([0x41]))).toBe(false);
    expect(isH264Keyframe(Buffer.from([0x18, 0x00, 0x02, 0x67, 0x42]))).toBe(true);
    expect(isH264Keyframe(Buffer.from([0x7c, 0x85]))).toBe(true);
    expect(isH264Keyframe(Buffer.from([0x7c, 0x05]))).toBe(false);
  });
  it('seqDiff', () => {
    expect(seqDiff(1, 65535)).toBe(2);
    expect(seqDiff(65535, 1)).toBe(-2);
  });
});

describe('NackGenerator', () => {
  it('NACKs gaps at once, retries after retryMs, forgets recovered / old / huge gaps', () => {
    const n = new NackGenerator(3, 100, 1000, 200);
    expect(n.onPacket(65534, 0)).toEqual([]);
    expect(n.onPacket(1, 10)).toEqual([65535, 0]); // across wrap
    expect(n.onPacket(2, 20)).toEqual([]); // too early to retry
    expect(n.onPacket(0, 30)).toEqual([]); // 0 recovered (RTX)
    expect(n.onPacket(3, 150)).toEqual([65535]); // retry
    expect(n.onPacket(4, 300)).toEqual([65535]); // 3rd try
    expect(n.onPacket(5, 450)).toEqual([]); // gave up
    expect(n.onPacket(1000, 500)).toEqual([]); // source jump: no NACK storm
    expect(n.packetsNacked).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import { RtcpPacketConverter, RtcpTransportLayerFeedback, TransportWideCC } from 'werift';
import { DownlinkEstimator } from './DownlinkEstimator';
import { LayerAllocator } from './LayerAllocator';
import { TransportCcFeedback } from './TransportCcFeedback';
import { encodeTwcc, twccResults, type TwccResult } from './twccPacket';

/** Parse our bytes with werift's RTCP parser (as the engine receives them) and walk the result. */
function parse(buf: Buffer): { fb: TransportWideCC; results: TwccResult[] } {
  const [pkt] = RtcpPacketConverter.deSerialize(buf);
  expect(pkt).toBeInstanceOf(RtcpTransportLayerFeedback);
  const fb = (pkt as RtcpTransportLayerFeedback).feedback as TransportWideCC;
  expect(fb).toBeInstanceOf(TransportWideCC);
  return { fb, results: twccResults(fb) };
}

describe('transport-cc feedback wire format', () => {
  it('round-trips small and large deltas, losses, and every chunk kind through werift’s parser', () => {
    const arrivals: (number | null)[] = [];
    let t = 1_000_000.25;
    for (let i = 0; i < 40; i++) {
      // runs of receptions (→ run-length chunk), scattered losses (→ 1-bit vector), a large and a negative delta (→ 2-bit vector)
      if (i === 17 || i === 19 || (i >= 30 && i < 33)) arrivals.push(null);
      else {
        t += i === 25 ? 90 : i === 26 ? -3 : 2.5;
        arrivals.push(t);
      }
    }
    const [buf, ...more] = encodeTwcc({ senderSsrc: 1, mediaSsrc: 2, baseSeq: 65530, arrivals, fbPktCount: 7 });
    expect(more).toHaveLength(0);
    expect(buf.length % 4).toBe(0);
    expect(buf.readUInt16BE(2)).toBe(buf.length / 4 - 1);
    const { fb, results } = parse(buf);
    expect(fb.fbPktCount).toBe(7);
    expect(fb.packetStatusCount).toBe(40);
    expect(results.map((r) => r.seq)).toEqual(arrivals.map((_, i) => (65530 + i) & 0xffff));
    const base = arrivals.find((a) => a !== null)!;
    for (const [i, r] of results.entries()) {
      expect(r.received).toBe(arrivals[i] !== null);
      // arrival times relative to the first, to 250 µs
      if (r.received) expect(r.arrivalMs - results[0].arrivalMs).toBeCloseTo(arrivals[i]! - base, 0);
    }
  });

  it('splits a gap a 16-bit delta cannot hold into a second packet', () => {
    const packets = encodeTwcc({ senderSsrc: 1, mediaSsrc: 2, baseSeq: 10, arrivals: [100, 101, 20_000, 20_001], fbPktCount: 255 });
    expect(packets).toHaveLength(2);
    const a = parse(packets[0]);
    const b = parse(packets[1]);
    expect(a.results.map((r) => r.seq)).toEqual([10, 11]);
    expect(b.results.map((r) => r.seq)).toEqual([12, 13]);
    expect(b.fb.fbPktCount).toBe(0);
    expect(b.results[1].arrivalMs - b.results[0].arrivalMs).toBeCloseTo(1, 1);
  });

  it('TransportCcFeedback reports each packet once, losses in between, across the 16-bit wrap', () => {
    const f = new TransportCcFeedback(0x4d53);
    f.onPacket(65534, 10);
    f.onPacket(0, 12); // 65535 lost
    f.onPacket(1, 13);
    const first = f.build(99).map((b) => parse(b).results);
    expect(first.flat().map((r) => [r.seq, r.received])).toEqual([
      [65534, true],
      [65535, false],
      [0, true],
      [1, true],
    ]);
    expect(f.build(99)).toEqual([]); // nothing new
    f.onPacket(65535, 14); // too late: already reported lost
    f.onPacket(3, 20);
    expect(f.build(99).flatMap((b) => parse(b).results.map((r) => [r.seq, r.received]))).toEqual([
      [2, false],
      [3, true],
    ]);
  });
});

/** Feeds the estimator a link: packets sent at `sendBps`, delivered at most at `linkBps` through a FIFO. */
function simulate(est: DownlinkEstimator, seconds: number, sendBps: () => number, linkBps: number, queueLimitBytes = 60_000) {
  const size = 1000;
  let now = 0;
  let linkFreeAt = 0;
  let pending: TwccResult[] = [];
  let nextFeedback = 100;
  const results: number[] = [];
  while (now < seconds * 1000) {
    const seq = est.onSend(size, now);
    const queueMs = Math.max(0, linkFreeAt - now);
    if ((queueMs * linkBps) / 8000 > queueLimitBytes) pending.push({ seq, received: false, arrivalMs: 0 });
    else {
      linkFreeAt = Math.max(linkFreeAt, now) + (size * 8 * 1000) / linkBps;
      pending.push({ seq, received: true, arrivalMs: linkFreeAt + 5 });
    }
    now += (size * 8 * 1000) / sendBps();
    if (now >= nextFeedback) {
      // the feedback covers what has arrived by now
      const ready = pending.filter((r) => !r.received || r.arrivalMs <= now);
      pending = pending.filter((r) => r.received && r.arrivalMs > now);
      est.onFeedback(ready, now);
      nextFeedback += 100;
      results.push(est.bps);
    }
  }
  return results;
}

describe('DownlinkEstimator', () => {
  it('settles near a 300 kbit/s bottleneck, from above, when the sender follows the estimate', () => {
    const est = new DownlinkEstimator({ initialBps: 1_000_000 });
    est.desiredBps = 1_500_000;
    const trace = simulate(est, 15, () => est.bps, 300_000);
    expect(Math.max(...trace.slice(-50))).toBeLessThan(400_000);
    expect(Math.min(...trace.slice(-50))).toBeGreaterThan(150_000);
    expect(est.bps).toBeLessThan(330_000);
    expect(est.bps).toBeGreaterThan(150_000);
  });

  it('grows towards what the consumers want on an unconstrained link', () => {
    const est = new DownlinkEstimator({ initialBps: 600_000 });
    est.desiredBps = 1_500_000;
    // the sender follows the estimate, as the allocator would
    simulate(est, 12, () => Math.min(est.bps, 1_200_000), 100_000_000);
    expect(est.bps).toBeGreaterThan(1_300_000);
    expect(est.signal).not.toBe('overuse');
  });

  it('cuts the estimate on heavy loss', () => {
    const est = new DownlinkEstimator({ initialBps: 4_000_000 });
    let seq = 0;
    for (let k = 0; k < 10; k++) {
      const results: TwccResult[] = [];
      for (let i = 0; i < 40; i++) {
        const s = est.onSend(1000, k * 100 + i);
        seq = s;
        results.push({ seq: s, received: i % 3 !== 0, arrivalMs: k * 100 + i + 5 });
      }
      est.onFeedback(results, k * 100 + 99);
    }
    expect(seq).toBeGreaterThan(0);
    expect(est.lossFraction).toBeGreaterThan(0.3);
    // a third of 3.2 Mbit/s lost: the estimate is cut, never below 0.85 × what got through
    expect(est.bps).toBeLessThan(4_000_000 * 0.9);
    expect(est.bps).toBeGreaterThan(0.85 * est.ackedBps - 1);
  });
});

describe('LayerAllocator', () => {
  const rates = [150_000, 500_000, 1_200_000];
  const sim = (id: string, maxLayer = 2) => ({ id, layerBitrates: rates, maxLayer });

  it('gives each consumer the highest layer that fits, capped by its preferred layer', () => {
    const a = new LayerAllocator();
    expect([...a.allocate(5_000_000, [sim('a'), sim('b', 1)], 0)]).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    const b = new LayerAllocator();
    expect(b.allocate(800_000, [sim('x')], 0).get('x')).toBe(1);
    expect(new LayerAllocator().allocate(300_000, [sim('x')], 0).get('x')).toBe(0);
  });

  it('pauses when even the lowest layer does not fit, and resumes with headroom', () => {
    const a = new LayerAllocator();
    expect(a.allocate(100_000, [sim('x')], 0).get('x')).toBe(-1);
    expect(a.allocate(160_000, [sim('x')], 1000).get('x')).toBe(-1); // fits, but not with 20 % to spare
    expect(a.allocate(200_000, [sim('x')], 2000).get('x')).toBe(0);
  });

  it('steps down at once; steps up with headroom, and backs off after a failed probe', () => {
    const a = new LayerAllocator();
    expect(a.allocate(600_000, [sim('x')], 0).get('x')).toBe(1);
    expect(a.wantBps).toBeCloseTo(1_200_000 * 1.1); // its next move: the top layer, with headroom
    expect(a.allocate(400_000, [sim('x')], 100).get('x')).toBe(0); // down at once
    expect(a.allocate(520_000, [sim('x')], 200).get('x')).toBe(0); // 500k fits, but not with 10 % headroom
    expect(a.allocate(560_000, [sim('x')], 300).get('x')).toBe(1); // probe up
    expect(a.allocate(300_000, [sim('x')], 1300).get('x')).toBe(0); // it failed
    expect(a.allocate(900_000, [sim('x')], 2000).get('x')).toBe(0); // backing off
    expect(a.wantBps).toBe(150_000); // no move allowed: the estimate has no reason to grow
    expect(a.allocate(900_000, [sim('x')], 5400).get('x')).toBe(1); // 4 s later
  });

  it('shares a budget round robin', () => {
    const a = new LayerAllocator();
    const out = a.allocate(1_400_000, [sim('a'), sim('b')], 0);
    expect([out.get('a'), out.get('b')]).toEqual([1, 1]);
  });
});

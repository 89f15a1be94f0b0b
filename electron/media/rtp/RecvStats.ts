import { seqDiff } from './seq';

/** Receive-side RTP stream statistics (RFC 3550 A.3 / A.8): loss, jitter, RR generation. */
export class RecvStats {
  packetCount = 0;
  byteCount = 0;
  private baseSeq = -1;
  private maxSeq = 0;
  private cycles = 0;
  private expectedPrior = 0;
  private receivedPrior = 0;
  jitter = 0;
  private lastTransit: number | null = null;
  lastSrNtpMiddle = 0;
  lastSrRecvAt = 0;
  private windowBytes = 0;
  private windowStart = Date.now();
  bitrate = 0;
  fractionLost = 0;

  constructor(private readonly clockRate: number) {}

  onPacket(seq: number, timestamp: number, bytes: number, now = Date.now()): void {
    this.packetCount++;
    this.byteCount += bytes;
    this.windowBytes += bytes;
    if (this.baseSeq < 0) {
      this.baseSeq = seq;
      this.maxSeq = seq;
    } else {
      const d = seqDiff(seq, this.maxSeq);
      if (d > 0) {
        if (seq < this.maxSeq) this.cycles += 0x10000;
        this.maxSeq = seq;
      }
    }
    const arrival = (now * this.clockRate) / 1000;
    const transit = arrival - timestamp;
    if (this.lastTransit !== null) {
      let d = Math.abs(transit - this.lastTransit);
      if (d > this.clockRate * 10) d = 0; // timestamp jump (new stream / pause)
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
    this.updateBitrate(now);
  }

  updateBitrate(now = Date.now()): void {
    const el = now - this.windowStart;
    if (el >= 1000) {
      this.bitrate = Math.round((this.windowBytes * 8 * 1000) / el);
      this.windowBytes = 0;
      this.windowStart = now;
    }
  }

  get extendedMaxSeq(): number {
    return this.cycles + this.maxSeq;
  }
  get expected(): number {
    return this.baseSeq < 0 ? 0 : this.extendedMaxSeq - this.baseSeq + 1;
  }
  get packetsLost(): number {
    return Math.max(0, this.expected - this.packetCount);
  }

  /** Build an RTCP receiver-report block body (fields of RtcpReceiverInfo). */
  reportBlock(ssrc: number, now = Date.now()) {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packetCount - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packetCount;
    const lostInterval = expectedInterval - receivedInterval;
    const fraction = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    this.fractionLost = fraction / 256;
    const dlsr = this.lastSrRecvAt ? Math.floor(((now - this.lastSrRecvAt) / 1000) * 65536) : 0;
    return {
      ssrc,
      fractionLost: fraction,
      packetsLost: Math.min(this.packetsLost, 0x7fffff),
      highestSequence: this.extendedMaxSeq >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
      lsr: this.lastSrNtpMiddle >>> 0,
      dlsr: dlsr >>> 0,
    };
  }

  onSenderReport(ntpTimestamp: bigint, now = Date.now()): void {
    this.lastSrNtpMiddle = Number((ntpTimestamp >> 16n) & 0xffffffffn);
    this.lastSrRecvAt = now;
  }
}

/** NTP timestamp (64-bit) for a wall-clock time in ms. */
export function ntpFromMs(ms: number): bigint {
  const secs = Math.floor(ms / 1000) + 2208988800;
  const frac = Math.floor(((ms % 1000) / 1000) * 0x100000000);
  return (BigInt(secs) << 32n) | BigInt(frac);
}

/** Middle 32 bits of NTP time for `ms`. */
export function ntpMiddle(ms: number): number {
  return Number((ntpFromMs(ms) >> 16n) & 0xffffffffn);
}

/** RTT in ms from an RR block's lsr/dlsr received at `now`. */
export function rttFromReport(lsr: number, dlsr: number, now = Date.now()): number {
  if (!lsr) return 0;
  const nowMid = ntpMiddle(now);
  const rtt = ((nowMid - lsr - dlsr) >>> 0) / 65536;
  return rtt > 60 ? 0 : rtt * 1000;
}

import { seqAdd, seqDiff } from './seq';

/**
 * Per-consumer sequence-number / timestamp rewriting. Output sequence numbers and timestamps stay
 * continuous across pause/resume and source (simulcast layer) switches: after `resync()` the next
 * input packet is mapped to lastOutSeq+1 and to a timestamp advanced by the wall-clock gap.
 */
export class RtpRewriter {
  private seqOffset = 0;
  private tsOffset = 0;
  private needSync = true;
  private started = false;
  lastOutSeq: number;
  lastOutTs: number;
  lastOutAt = 0;
  private lastInSeq = -1;
  /** first outgoing seq after the last sync: older input (reordered from before the switch) is dropped */
  private syncOutSeq = 0;

  constructor(
    private readonly clockRate: number,
    initialSeq = Math.floor(Math.random() * 0x8000),
    initialTs = Math.floor(Math.random() * 0x7fffffff),
  ) {
    this.lastOutSeq = seqAdd(initialSeq, -1);
    this.lastOutTs = initialTs >>> 0;
  }

  /** The next packet starts a new mapping (resume, layer switch). */
  resync(): void {
    this.needSync = true;
  }

  /** Map an input packet; null means drop (stale, from before the last sync). */
  rewrite(inSeq: number, inTs: number, now = Date.now()): { seq: number; ts: number } | null {
    if (this.needSync) {
      this.seqOffset = (this.lastOutSeq + 1 - inSeq) & 0xffff;
      const gapTicks = this.started ? Math.max(1, Math.round(((now - this.lastOutAt) * this.clockRate) / 1000)) : 0;
      this.tsOffset = (this.lastOutTs + gapTicks - inTs) >>> 0;
      this.needSync = false;
      this.started = true;
      this.syncOutSeq = seqAdd(inSeq, this.seqOffset);
      this.lastInSeq = inSeq;
    }
    const seq = seqAdd(inSeq, this.seqOffset);
    if (seqDiff(seq, this.syncOutSeq) < 0) return null;
    const ts = (inTs + this.tsOffset) >>> 0;
    if (seqDiff(seq, this.lastOutSeq) > 0) {
      this.lastOutSeq = seq;
      this.lastOutTs = ts;
      this.lastOutAt = now;
    }
    if (seqDiff(inSeq, this.lastInSeq) > 0) this.lastInSeq = inSeq;
    return { seq, ts };
  }

  /** An in-order input packet is being dropped (padding-only): close the gap it would leave. */
  skip(inSeq: number): void {
    if (this.needSync || !this.started) return;
    if (seqDiff(inSeq, this.lastInSeq) === 1) {
      this.seqOffset = (this.seqOffset - 1) & 0xffff;
      this.lastInSeq = inSeq;
    }
  }

  /** RTP timestamp corresponding to wall-clock `now` (for sender reports). */
  rtpTimeAt(now: number): number {
    return (this.lastOutTs + Math.round(((now - this.lastOutAt) * this.clockRate) / 1000)) >>> 0;
  }

  get hasStarted(): boolean {
    return this.started;
  }
}

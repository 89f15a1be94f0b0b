import { seqAdd, seqDiff } from './seq';

/**
 * Receive-side loss detection for a producer stream: on a sequence gap, the missing packets are
 * NACKed at once and re-NACKed (at most `maxTries` times, ≥ `retryMs` apart) as later packets
 * arrive. No timers: driven by incoming packets.
 */
export class NackGenerator {
  private maxSeq = -1;
  private readonly missing = new Map<number, { tries: number; lastAt: number; since: number }>();
  nacksSent = 0;
  packetsNacked = 0;

  constructor(
    private readonly maxTries = 3,
    private readonly retryMs = 100,
    private readonly maxAgeMs = 1000,
    private readonly maxMissing = 200,
  ) {}

  /** Returns the sequence numbers to NACK now (possibly empty). */
  onPacket(seq: number, now = Date.now()): number[] {
    if (this.maxSeq < 0) {
      this.maxSeq = seq;
      return [];
    }
    const d = seqDiff(seq, this.maxSeq);
    if (d <= 0) {
      this.missing.delete(seq); // recovered (RTX / reordering)
    } else {
      if (d > 1) {
        if (d - 1 > this.maxMissing)
          this.missing.clear(); // huge jump (source restart): don't NACK
        else for (let i = 1; i < d; i++) this.missing.set(seqAdd(this.maxSeq, i), { tries: 0, lastAt: 0, since: now });
      }
      this.maxSeq = seq;
    }
    if (this.missing.size === 0) return [];
    const out: number[] = [];
    for (const [s, m] of this.missing) {
      if (now - m.since > this.maxAgeMs || m.tries >= this.maxTries) {
        this.missing.delete(s);
        continue;
      }
      if (m.tries === 0 || now - m.lastAt >= this.retryMs) {
        m.tries++;
        m.lastAt = now;
        out.push(s);
      }
    }
    if (this.missing.size > this.maxMissing) this.missing.clear();
    if (out.length) {
      this.nacksSent++;
      this.packetsNacked += out.length;
    }
    return out;
  }
}

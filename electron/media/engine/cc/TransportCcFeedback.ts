/**
 * The receiving side of transport-wide congestion control (mediasoup's
 * TransportCongestionControlServer): records the transport-wide sequence number and arrival time of
 * every packet a sender stamps, and turns them into transport-cc feedback for that sender every
 * tick, so the sender (Chrome) runs its own send-side bandwidth estimation.
 */
import { encodeTwcc } from './twccPacket';

/** Reported sequence ranges longer than this are cut: the sender only keeps a few seconds anyway. */
const MAX_RANGE = 1000;

export class TransportCcFeedback {
  private readonly arrivals = new Map<number, number>();
  /** first extended sequence number not reported yet (-1 before the first packet) */
  private nextBase = -1;
  private maxSeq = -1;
  private lastExt = -1;
  private fbPktCount = 0;
  packetsSeen = 0;
  feedbackSent = 0;

  constructor(private readonly senderSsrc: number) {}

  /** One incoming packet's transport-wide sequence number (16 bits) and arrival time (ms, monotonic). */
  onPacket(seq16: number, arrivalMs: number): void {
    const ext = this.unwrap(seq16);
    this.packetsSeen++;
    if (this.nextBase < 0) this.nextBase = ext;
    if (ext < this.nextBase) return; // late: already reported as lost
    if (!this.arrivals.has(ext)) this.arrivals.set(ext, arrivalMs);
    if (ext > this.maxSeq) this.maxSeq = ext;
  }

  private unwrap(seq16: number): number {
    if (this.lastExt < 0) {
      this.lastExt = seq16;
      return seq16;
    }
    let diff = (seq16 - (this.lastExt & 0xffff)) & 0xffff;
    if (diff >= 0x8000) diff -= 0x10000;
    const ext = this.lastExt + diff;
    if (diff > 0) this.lastExt = ext;
    return ext;
  }

  /** Feedback packets for everything received since the last call (none when nothing arrived). */
  build(mediaSsrc: number): Buffer[] {
    if (this.arrivals.size === 0) return [];
    if (this.maxSeq - this.nextBase + 1 > MAX_RANGE) {
      const from = this.maxSeq - MAX_RANGE + 1;
      for (const k of this.arrivals.keys()) if (k < from) this.arrivals.delete(k);
      this.nextBase = from;
    }
    const arrivals: (number | null)[] = [];
    for (let s = this.nextBase; s <= this.maxSeq; s++) arrivals.push(this.arrivals.get(s) ?? null);
    const packets = encodeTwcc({ senderSsrc: this.senderSsrc, mediaSsrc, baseSeq: this.nextBase & 0xffff, arrivals, fbPktCount: this.fbPktCount });
    this.fbPktCount = (this.fbPktCount + packets.length) & 0xff;
    this.feedbackSent += packets.length;
    this.arrivals.clear();
    this.nextBase = this.maxSeq + 1;
    return packets;
  }
}

/** Ring buffer of sent packets keyed by (outgoing) sequence number, for answering NACKs. */
export interface StoredPacket {
  seq: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
  /** header extensions as sent */
  extensions: { id: number; payload: Buffer }[];
  /** the transport-wide sequence number's payload among `extensions` (re-stamped on each resend) */
  transportCc?: Buffer;
  sentAt: number;
  resentAt: number;
}

export class RetransmissionBuffer {
  private readonly slots: (StoredPacket | undefined)[];
  constructor(
    private readonly size = 600,
    private readonly maxAgeMs = 2000,
  ) {
    this.slots = new Array(size);
  }

  store(p: StoredPacket): void {
    this.slots[p.seq % this.size] = p;
  }

  /** The packet for `seq` if still held and not too old; null otherwise. Rate-limits resends per packet (1 per RTT-ish 50 ms). */
  get(seq: number, now = Date.now()): StoredPacket | null {
    const p = this.slots[seq % this.size];
    if (!p || p.seq !== seq) return null;
    if (now - p.sentAt > this.maxAgeMs) return null;
    if (p.resentAt && now - p.resentAt < 50) return null;
    p.resentAt = now;
    return p;
  }

  clear(): void {
    this.slots.fill(undefined);
  }
}

/** The bench's synthetic publisher load: paced 1 Mbit/s VP8-shaped streams into any RTP sink. */

export const PAYLOAD = 1100; // bytes per packet
/** packets/s of one 1 Mbit/s stream (payload + RTP/UDP/IP headers) ≈ 110 */
export const PPS = Math.round(1_000_000 / 8 / (PAYLOAD + 12 + 28));

/** Most packets one tick may catch up after a stall (≈ 290 ms of one stream; well inside a socket buffer). */
const MAX_BURST = 32;

/** Where a publisher's packets go: a peer of our node or of Janus. */
export interface RtpSink {
  send(h: { sequenceNumber: number; timestamp: number; marker: boolean }, payload: Buffer): void;
}

/** Paced 1 Mbit/s synthetic VP8 stream: 4 packets per frame, a keyframe every 2 s. */
export class PacedVp8Sender {
  private seq = 0;
  private ts = 0;
  private timer?: NodeJS.Timeout;
  sent = 0;
  /** Packets not sent because this process stalled (see MAX_BURST). */
  skipped = 0;
  constructor(private readonly sink: RtpSink) {}

  start(): void {
    const body = Buffer.alloc(PAYLOAD, 0x55);
    let due = 0;
    const t0 = Date.now();
    this.timer = setInterval(() => {
      const shouldHave = Math.floor(((Date.now() - t0) / 1000) * PPS);
      // after a stall of this process, skip whole frames instead of bursting them into the SFU's
      // socket (an encoder would not have produced them either); sequence numbers stay continuous
      if (shouldHave - due > MAX_BURST) {
        const skip = Math.floor((shouldHave - due - MAX_BURST) / 4) * 4;
        due += skip;
        this.skipped += skip;
      }
      while (due < shouldHave) {
        const payload = Buffer.from(body);
        payload[0] = due % 4 === 0 ? 0x10 : 0x00; // VP8 descriptor: S bit on a frame's first packet
        payload[1] = due % (PPS * 2) === 0 ? 0x00 : 0x01; // keyframe bit (inverted)
        this.sink.send({ sequenceNumber: this.seq++ & 0xffff, timestamp: this.ts, marker: due % 4 === 3 }, payload);
        if (due % 4 === 3) this.ts = (this.ts + 3000) >>> 0;
        due++;
        this.sent++;
      }
    }, 5);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * RFC 4571 framing of ICE-TCP: every STUN / DTLS / RTP / RTCP packet travels behind a 16-bit
 * big-endian length. A TCP read may hold part of a frame or several frames; the decoder keeps
 * the unfinished tail and hands out whole frames only.
 */

/** Largest frame a peer may send. Media and handshake packets stay under the path MTU; a larger
 * declared length means the stream is not RFC 4571 (e.g. an HTTP request: "GE" = 18245 bytes). */
export const MAX_FRAME_LENGTH = 16_384;

export class FrameTooLargeError extends Error {
  constructor(readonly length: number) {
    super(`RFC 4571 frame of ${length} bytes exceeds ${MAX_FRAME_LENGTH}`);
    this.name = 'FrameTooLargeError';
  }
}

/** The 2-byte length prefix and the packet, as one buffer for one socket write. */
export function encodeFrame(packet: Buffer): Buffer {
  if (packet.length > 0xffff) throw new RangeError(`packet of ${packet.length} bytes cannot be framed`);
  const out = Buffer.allocUnsafe(packet.length + 2);
  out.writeUInt16BE(packet.length, 0);
  packet.copy(out, 2);
  return out;
}

export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxFrameLength = MAX_FRAME_LENGTH) {}

  /**
   * The whole frames completed by `chunk`, in order. Zero-length frames (RFC 4571's null packet)
   * are skipped. Throws FrameTooLargeError as soon as a header declares an oversize frame; the
   * connection should then be closed.
   */
  push(chunk: Buffer): Buffer[] {
    const data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: Buffer[] = [];
    let at = 0;
    while (data.length - at >= 2) {
      const length = data.readUInt16BE(at);
      if (length > this.maxFrameLength) throw new FrameTooLargeError(length);
      if (data.length - at - 2 < length) break;
      // copy out: the packet outlives this read (SRTP decrypts in place, queues keep it)
      if (length > 0) frames.push(Buffer.from(data.subarray(at + 2, at + 2 + length)));
      at += 2 + length;
    }
    this.pending = at === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(at));
    return frames;
  }

  /** Bytes held for an unfinished frame. */
  get buffered(): number {
    return this.pending.length;
  }
}

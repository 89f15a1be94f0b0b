/**
 * Transport-wide congestion control feedback on the wire (RTCP RTPFB fmt 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01). werift parses incoming feedback into its
 * `TransportWideCC` (chunks + receive deltas) but its `packetResults` skips status-vector chunks
 * and its serializer truncates a packet that is not a multiple of 4 bytes, so the walk over the
 * chunks and the encoder are ours. Times: receive deltas are 250 µs ticks, the reference time is
 * 64 ms ticks (24 bits).
 */
import type { RtcpPacket } from 'werift';

/** One packet the feedback speaks about: received (with its arrival time, ms) or lost. */
export interface TwccResult {
  seq: number;
  received: boolean;
  /** arrival time in ms on the receiver's clock: reference time + the sum of deltas (unwrapped by the caller) */
  arrivalMs: number;
}

/** What an encoder needs: the packets it saw, in sequence order from `baseSeq`. */
export interface TwccFeedbackInput {
  senderSsrc: number;
  mediaSsrc: number;
  baseSeq: number;
  /** one entry per sequence number from baseSeq on: arrival time in ms, or null when not received (ends with a received one) */
  arrivals: (number | null)[];
  fbPktCount: number;
}

const STATUS_NOT_RECEIVED = 0;
const STATUS_SMALL = 1;
const STATUS_LARGE = 2;
const MAX_RUN = 0x1fff;
const REF_TICK_MS = 64;
const DELTA_TICK_US = 250;

/** The fields of werift's parsed TransportWideCC that the walk reads. */
export interface ParsedTwcc {
  baseSequenceNumber: number;
  packetStatusCount: number;
  referenceTime: number;
  packetChunks: ({ packetStatus: number; runLength: number } | { symbolSize: number; symbolList: number[] })[];
  recvDeltas: { delta: number }[];
}

/** Every packet a parsed feedback reports, in order; arrival times relative to the 24-bit reference time. */
export function twccResults(fb: ParsedTwcc): TwccResult[] {
  const out: TwccResult[] = [];
  let seq = fb.baseSequenceNumber;
  let deltaIdx = 0;
  let t = fb.referenceTime * REF_TICK_MS;
  const push = (status: number) => {
    if (out.length >= fb.packetStatusCount) return;
    const received = status === STATUS_SMALL || status === STATUS_LARGE;
    if (received) {
      const d = fb.recvDeltas[deltaIdx++];
      if (d) t += d.delta / 1000;
    }
    out.push({ seq, received, arrivalMs: received ? t : 0 });
    seq = (seq + 1) & 0xffff;
  };
  for (const chunk of fb.packetChunks) {
    if ('runLength' in chunk) for (let i = 0; i < chunk.runLength; i++) push(chunk.packetStatus);
    else for (const s of chunk.symbolList) push(chunk.symbolSize === 0 ? (s ? STATUS_SMALL : STATUS_NOT_RECEIVED) : s);
  }
  return out;
}

/**
 * Encode feedback packets for the arrivals given. A gap between two arrivals that a 16-bit delta
 * cannot hold (> 8 s) ends the packet; the rest goes into the next one, so the result may hold
 * several packets (each with its own fbPktCount, starting at `input.fbPktCount`).
 */
export function encodeTwcc(input: TwccFeedbackInput): Buffer[] {
  const packets: Buffer[] = [];
  let start = 0;
  let count = input.fbPktCount;
  while (start < input.arrivals.length) {
    const { buf, used } = encodeOne(input, start, count & 0xff);
    packets.push(buf);
    start += used;
    count++;
  }
  return packets;
}

function encodeOne(input: TwccFeedbackInput, start: number, fbPktCount: number): { buf: Buffer; used: number } {
  const arrivals = input.arrivals;
  const first = arrivals.slice(start).find((a): a is number => a !== null) ?? 0;
  const refTicks = Math.floor(first / REF_TICK_MS);
  let prevUs = refTicks * REF_TICK_MS * 1000;
  const statuses: number[] = [];
  const deltas: number[] = [];
  let i = start;
  for (; i < arrivals.length && statuses.length < 0xffff; i++) {
    const a = arrivals[i];
    if (a === null) {
      statuses.push(STATUS_NOT_RECEIVED);
      continue;
    }
    const us = Math.round(a * 1000);
    const ticks = Math.round((us - prevUs) / DELTA_TICK_US);
    if (ticks < -0x8000 || ticks > 0x7fff) break;
    statuses.push(ticks >= 0 && ticks <= 0xff ? STATUS_SMALL : STATUS_LARGE);
    deltas.push(ticks);
    prevUs += ticks * DELTA_TICK_US;
  }
  const chunks = encodeChunks(statuses);
  let deltaBytes = 0;
  for (const d of deltas) deltaBytes += d >= 0 && d <= 0xff ? 1 : 2;
  const bodyLen = 8 + 8 + chunks.length * 2 + deltaBytes;
  const total = 4 + bodyLen + ((4 - (bodyLen % 4)) % 4);
  const buf = Buffer.alloc(total);
  buf[0] = 0x80 | 15;
  buf[1] = 205;
  buf.writeUInt16BE(total / 4 - 1, 2);
  buf.writeUInt32BE(input.senderSsrc >>> 0, 4);
  buf.writeUInt32BE(input.mediaSsrc >>> 0, 8);
  buf.writeUInt16BE((input.baseSeq + start) & 0xffff, 12);
  buf.writeUInt16BE(statuses.length, 14);
  buf.writeUIntBE(refTicks & 0xffffff, 16, 3);
  buf[19] = fbPktCount;
  let off = 20;
  for (const c of chunks) off = buf.writeUInt16BE(c, off);
  for (const d of deltas) off = d >= 0 && d <= 0xff ? buf.writeUInt8(d, off) : buf.writeInt16BE(d, off);
  return { buf, used: Math.max(1, i - start) };
}

/** Status chunks: run-length chunks for long runs, else 1-bit (lost/small only) or 2-bit vectors. */
function encodeChunks(statuses: number[]): number[] {
  const chunks: number[] = [];
  let i = 0;
  while (i < statuses.length) {
    let run = 1;
    while (i + run < statuses.length && statuses[i + run] === statuses[i] && run < MAX_RUN) run++;
    if (run >= 14) {
      chunks.push((statuses[i] << 13) | run);
      i += run;
      continue;
    }
    const next14 = statuses.slice(i, i + 14);
    if (next14.length === 14 && next14.every((s) => s !== STATUS_LARGE)) {
      let c = 0x8000;
      next14.forEach((s, k) => (c |= s << (13 - k)));
      chunks.push(c);
      i += 14;
      continue;
    }
    let c = 0xc000;
    statuses.slice(i, i + 7).forEach((s, k) => (c |= s << (12 - 2 * k)));
    chunks.push(c);
    i += 7;
  }
  return chunks;
}

/** An already encoded RTCP packet in the shape werift's `sendRtcp` serializes. */
export function rawRtcp(buf: Buffer): RtcpPacket {
  return { serialize: () => buf } as unknown as RtcpPacket;
}

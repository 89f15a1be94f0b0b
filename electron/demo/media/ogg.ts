/**
 * Ogg Opus reader: pages (`OggS`, segment table) → packets, skipping the OpusHead / OpusTags
 * header packets (RFC 7845). Each audio packet's duration comes from its TOC byte (RFC 6716 §3.1).
 */
export interface OpusPacket {
  data: Buffer;
  /** Duration in 48 kHz samples. */
  samples: number;
}

/** Raw packets of the first logical stream, in order. */
export function oggPackets(buf: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let pending: Buffer[] = [];
  let o = 0;
  let serial: number | null = null;
  while (o + 27 <= buf.length) {
    if (buf.toString('ascii', o, o + 4) !== 'OggS') throw new Error(`no Ogg page at byte ${o}`);
    const pageSerial = buf.readUInt32LE(o + 14);
    const nSegs = buf[o + 26]!;
    const table = buf.subarray(o + 27, o + 27 + nSegs);
    let p = o + 27 + nSegs;
    const mine = serial === null || pageSerial === serial;
    serial ??= pageSerial;
    for (const len of table) {
      if (p + len > buf.length) throw new Error('Ogg page runs past the end of the file');
      if (mine) pending.push(buf.subarray(p, p + len));
      p += len;
      // A lacing value under 255 ends a packet; 255 continues it on the next segment.
      if (mine && len < 255) {
        packets.push(Buffer.concat(pending));
        pending = [];
      }
    }
    o = p;
  }
  return packets;
}

/** Samples (48 kHz) in one Opus packet, from its TOC byte and frame count code. */
export function opusPacketSamples(packet: Buffer): number {
  if (!packet.length) return 0;
  const toc = packet[0]!;
  const config = toc >> 3;
  let frame: number;
  if (config < 12)
    frame = [480, 960, 1920, 2880][config & 3]!; // SILK 10/20/40/60 ms
  else if (config < 16)
    frame = [480, 960][config & 1]!; // hybrid 10/20 ms
  else frame = [120, 240, 480, 960][config & 3]!; // CELT 2.5/5/10/20 ms
  const code = toc & 3;
  const count = code === 0 ? 1 : code === 3 ? (packet[1] ?? 0) & 0x3f : 2;
  return frame * count;
}

export function parseOggOpus(buf: Buffer): OpusPacket[] {
  const raw = oggPackets(buf);
  if (!raw[0] || raw[0].toString('ascii', 0, 8) !== 'OpusHead') throw new Error('not an Ogg Opus stream');
  return raw
    .slice(1)
    .filter((p) => p.toString('ascii', 0, 8) !== 'OpusTags')
    .map((data) => ({ data, samples: opusPacketSamples(data) }));
}

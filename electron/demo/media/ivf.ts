/**
 * IVF reader (the container libvpx writes): a 32-byte file header, then frames of
 * `size u32le, pts u64le, data`. Enough for VP8 clips; see scripts/make-demo-clip.sh.
 */
export interface IvfFrame {
  pts: number;
  data: Buffer;
}

export interface IvfClip {
  fourcc: string;
  width: number;
  height: number;
  /** Seconds per pts unit = timebaseNum / timebaseDen. */
  timebaseDen: number;
  timebaseNum: number;
  frames: IvfFrame[];
}

export function parseIvf(buf: Buffer): IvfClip {
  if (buf.length < 32 || buf.toString('ascii', 0, 4) !== 'DKIF') throw new Error('not an IVF file');
  const headerLen = buf.readUInt16LE(6);
  const clip: IvfClip = {
    fourcc: buf.toString('ascii', 8, 12),
    width: buf.readUInt16LE(12),
    height: buf.readUInt16LE(14),
    timebaseDen: buf.readUInt32LE(16),
    timebaseNum: buf.readUInt32LE(20),
    frames: [],
  };
  let o = headerLen;
  while (o + 12 <= buf.length) {
    const size = buf.readUInt32LE(o);
    const pts = Number(buf.readBigUInt64LE(o + 4));
    o += 12;
    if (o + size > buf.length) throw new Error(`IVF frame at ${o - 12} runs past the end of the file`);
    clip.frames.push({ pts, data: buf.subarray(o, o + size) });
    o += size;
  }
  if (!clip.frames.length) throw new Error('IVF file has no frames');
  return clip;
}

/** VP8 key frame: bit 0 of the first payload byte is 0 (RFC 6386 §9.1). */
export function isVp8Keyframe(frame: Buffer): boolean {
  return frame.length > 0 && (frame[0]! & 0x01) === 0;
}

/** Keyframe detection on RTP payloads (start of a key frame), VP8 and H264. */
export function isKeyframeStart(mimeType: string, payload: Buffer): boolean {
  const mime = mimeType.toLowerCase();
  if (mime === 'video/vp8') return isVp8KeyframeStart(payload);
  if (mime === 'video/h264') return isH264Keyframe(payload);
  return true;
}

export function isVp8KeyframeStart(p: Buffer): boolean {
  if (p.length < 1) return false;
  const x = (p[0] & 0x80) !== 0;
  const s = (p[0] & 0x10) !== 0;
  const pid = p[0] & 0x07;
  if (!s || pid !== 0) return false;
  let off = 1;
  if (x) {
    if (p.length < 2) return false;
    const ext = p[1];
    off = 2;
    if (ext & 0x80) off += p[off] & 0x80 ? 2 : 1; // I: picture id (7 or 15 bits)
    if (ext & 0x40) off += 1; // L: TL0PICIDX
    if (ext & 0x20 || ext & 0x10) off += 1; // T/K
  }
  if (off >= p.length) return false;
  return (p[off] & 0x01) === 0; // P bit 0 => key frame
}

export function isH264Keyframe(p: Buffer): boolean {
  if (p.length < 1) return false;
  const nal = p[0] & 0x1f;
  if (nal === 5 || nal === 7) return true;
  if (nal === 24) {
    // STAP-A
    let off = 1;
    while (off + 2 < p.length) {
      const size = p.readUInt16BE(off);
      const t = p[off + 2] & 0x1f;
      if (t === 5 || t === 7) return true;
      off += 2 + size;
    }
    return false;
  }
  if (nal === 28 && p.length >= 2) {
    const start = (p[1] & 0x80) !== 0;
    const t = p[1] & 0x1f;
    return start && (t === 5 || t === 7);
  }
  return false;
}

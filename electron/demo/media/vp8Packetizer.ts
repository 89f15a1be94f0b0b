/**
 * VP8 RTP payloads (RFC 7741): a payload descriptor with a 15-bit PictureID, then a slice of the
 * frame. S=1 on a frame's first packet; the RTP marker goes on its last.
 */
export const VP8_MAX_PAYLOAD = 1100;

export function packetizeVp8(frame: Buffer, pictureId: number, maxPayload = VP8_MAX_PAYLOAD): Buffer[] {
  const out: Buffer[] = [];
  const room = maxPayload - 4;
  for (let o = 0; o < frame.length || out.length === 0; o += room) {
    const head = Buffer.alloc(4);
    head[0] = 0x80 | (o === 0 ? 0x10 : 0); // X=1, S on the first packet, PartID 0
    head[1] = 0x80; // I: PictureID present
    head.writeUInt16BE(0x8000 | (pictureId & 0x7fff), 2); // M=1: 15-bit PictureID
    out.push(Buffer.concat([head, frame.subarray(o, o + room)]));
  }
  return out;
}

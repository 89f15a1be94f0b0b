import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameTooLargeError, MAX_FRAME_LENGTH, encodeFrame } from './rfc4571';

const packet = (n: number, fill: number) => Buffer.alloc(n, fill);

describe('RFC 4571 framing', () => {
  it('prefixes a 16-bit big-endian length', () => {
    const f = encodeFrame(Buffer.from([1, 2, 3]));
    expect([...f]).toEqual([0, 3, 1, 2, 3]);
    expect(encodeFrame(packet(300, 7)).readUInt16BE(0)).toBe(300);
    expect(() => encodeFrame(packet(0x10000, 0))).toThrow(RangeError);
  });

  it('reassembles a frame split over many reads, byte by byte and across the length field', () => {
    const d = new FrameDecoder();
    const wire = Buffer.concat([encodeFrame(packet(1200, 0xaa)), encodeFrame(packet(20, 0xbb))]);
    const out: Buffer[] = [];
    for (let i = 0; i < wire.length; i++) out.push(...d.push(wire.subarray(i, i + 1)));
    expect(out.map((f) => [f.length, f[0]])).toEqual([
      [1200, 0xaa],
      [20, 0xbb],
    ]);
    expect(d.buffered).toBe(0);
  });

  it('splits several frames merged in one read, keeps the unfinished tail, skips null packets', () => {
    const d = new FrameDecoder();
    const third = encodeFrame(packet(500, 3));
    const wire = Buffer.concat([encodeFrame(packet(10, 1)), encodeFrame(Buffer.alloc(0)), encodeFrame(packet(30, 2)), third.subarray(0, 100)]);
    const first = d.push(wire);
    expect(first.map((f) => [f.length, f[0]])).toEqual([
      [10, 1],
      [30, 2],
    ]);
    expect(d.buffered).toBe(100);
    const rest = d.push(third.subarray(100));
    expect(rest.map((f) => [f.length, f[0]])).toEqual([[500, 3]]);
    expect(d.buffered).toBe(0);
  });

  it('frames handed out stay intact after later reads (they are copies)', () => {
    const d = new FrameDecoder();
    const chunk = encodeFrame(packet(4, 9));
    const [f] = d.push(chunk);
    chunk.fill(0);
    expect([...f]).toEqual([9, 9, 9, 9]);
  });

  it('an oversize length throws at the header, before its body arrives', () => {
    const d = new FrameDecoder();
    const header = Buffer.alloc(2);
    header.writeUInt16BE(MAX_FRAME_LENGTH + 1);
    expect(() => d.push(Buffer.concat([encodeFrame(packet(5, 1)), header]))).toThrow(FrameTooLargeError);
    // an HTTP request is not RFC 4571: "GE" reads as 18245 bytes
    expect(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/18245/);
    // exactly the maximum is fine
    const max = new FrameDecoder();
    expect(max.push(encodeFrame(packet(MAX_FRAME_LENGTH, 5)))[0].length).toBe(MAX_FRAME_LENGTH);
  });
});

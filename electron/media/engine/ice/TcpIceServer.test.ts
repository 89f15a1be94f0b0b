/**
 * The passive ICE-TCP listener on real sockets: a connection that never passes an ICE check is
 * closed at its deadline even while it keeps sending frames; one that passes is kept and its
 * RFC 4571 frames reach the ICE-lite server whole, however TCP splits them.
 */
import { connect, type Socket } from 'node:net';
import { Message, classes, methods } from 'werift';
import { afterEach, describe, expect, it } from 'vitest';
import { IceLiteServer } from './IceLiteServer';
import { encodeFrame } from './rfc4571';
import { TcpIceServer } from './TcpIceServer';

const range = { ip: '127.0.0.1', min: 42720, max: 42740 };
let server: TcpIceServer | undefined;
const sockets: Socket[] = [];
afterEach(() => {
  for (const s of sockets.splice(0)) s.destroy();
  server?.close();
  server = undefined;
});

async function dial(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  sockets.push(s);
  await new Promise((r) => s.once('connect', r));
  s.on('error', () => {});
  return s;
}

const closed = (s: Socket) => new Promise<true>((r) => (s.destroyed ? r(true) : s.once('close', () => r(true))));

function check(ice: IceLiteServer): Buffer {
  return new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', `${ice.usernameFragment}:peer`)
    .setAttribute('PRIORITY', 1_845_501_695)
    .setAttribute('ICE-CONTROLLING', 1n)
    .setAttribute('USE-CANDIDATE', null)
    .addMessageIntegrity(Buffer.from(ice.password, 'utf8'))
    .addFingerprint().bytes;
}

describe('TcpIceServer', () => {
  it('listens on the preferred port when free, else on another free one of the range', async () => {
    const ice = new IceLiteServer();
    server = await TcpIceServer.listen(range, ice, () => {}, 42735);
    expect(server.port).toBe(42735);
    const second = await TcpIceServer.listen(range, ice, () => {}, 42735);
    expect(second.port).not.toBe(42735);
    expect(second.port).toBeGreaterThanOrEqual(range.min);
    expect(second.port).toBeLessThanOrEqual(range.max);
    second.close();
  });

  it('a connection streaming frames that are no valid check is closed at its deadline', async () => {
    const ice = new IceLiteServer();
    server = await TcpIceServer.listen(range, ice, () => {}, undefined, 300);
    const s = await dial(server.port);
    const dtlsLike = encodeFrame(Buffer.from([22, 254, 253, 0, 0, 0, 0]));
    const keepTalking = setInterval(() => s.writable && s.write(dtlsLike), 50);
    expect(await closed(s)).toBe(true);
    clearInterval(keepTalking);
  });

  it('a connection that passes a check stays, and its split frames arrive whole', async () => {
    const ice = new IceLiteServer();
    const got: Buffer[] = [];
    ice.onData.subscribe((p) => got.push(p));
    server = await TcpIceServer.listen(range, ice, () => {}, undefined, 300);
    const s = await dial(server.port);
    const answered = new Promise<Buffer>((r) => s.once('data', (d: Buffer) => r(d)));
    s.write(encodeFrame(check(ice)));
    const answer = await answered;
    expect(answer.readUInt16BE(0)).toBe(answer.length - 2); // the response comes back framed
    expect(ice.state).toBe('completed');
    expect(ice.selectedTuple?.protocol).toBe('tcp');
    // one 1,200-byte packet written in three pieces, then two packets in one write
    const big = encodeFrame(Buffer.alloc(1200, 0x80));
    for (const piece of [big.subarray(0, 1), big.subarray(1, 700), big.subarray(700)]) {
      s.write(piece);
      await new Promise((r) => setImmediate(r));
    }
    s.write(Buffer.concat([encodeFrame(Buffer.alloc(40, 0x81)), encodeFrame(Buffer.alloc(60, 0x82))]));
    await expect.poll(() => got.length).toBe(3);
    expect(got.map((p) => [p.length, p[0]])).toEqual([
      [1200, 0x80],
      [40, 0x81],
      [60, 0x82],
    ]);
    // past the check deadline it is still open: the selected tuple
    await new Promise((r) => setTimeout(r, 400));
    expect(s.destroyed).toBe(false);
    s.destroy();
    await expect.poll(() => ice.state).toBe('disconnected');
  });
});

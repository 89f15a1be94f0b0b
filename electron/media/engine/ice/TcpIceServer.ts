/**
 * A transport's passive ICE-TCP listener (mediasoup's TcpServer + TcpConnection): each accepted
 * connection is one tuple; its RFC 4571 frames (STUN, DTLS, SRTP, SRTCP) go to the same ICE-lite
 * server the UDP socket feeds. A connection that sends an oversize frame, or does not pass an ICE
 * check within a few seconds, is closed; a closed connection stops being a valid tuple.
 */
import type { Server, Socket } from 'node:net';
import type { IceLiteServer, IceTuple, IceLog } from './IceLiteServer';
import { listenTcpInRange, type PortRange } from './portRange';
import { FrameDecoder, FrameTooLargeError, encodeFrame } from './rfc4571';

/** A connection must pass an ICE check within this long after it opens. */
export const TCP_CHECK_TIMEOUT_MS = 10_000;
/** Connections one transport accepts at once (a browser opens one per candidate pair it tries). */
const MAX_CONNECTIONS = 16;
/** Outgoing bytes queued on a connection beyond which packets are dropped (a stalled reader must not eat memory). */
const MAX_QUEUED_BYTES = 1 << 20;

export class TcpIceServer {
  private readonly connections = new Set<Socket>();
  droppedPackets = 0;

  private constructor(
    private readonly ice: IceLiteServer,
    private readonly log: IceLog,
    private readonly checkTimeoutMs: number,
  ) {}

  private server!: Server;

  static async listen(range: PortRange, ice: IceLiteServer, log: IceLog, preferredPort?: number, checkTimeoutMs = TCP_CHECK_TIMEOUT_MS): Promise<TcpIceServer> {
    const s = new TcpIceServer(ice, log, checkTimeoutMs);
    s.server = await listenTcpInRange(range, (socket) => s.accept(socket), preferredPort);
    return s;
  }

  get port(): number {
    const a = this.server.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  private accept(socket: Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS || !socket.remoteAddress || !socket.remotePort) {
      socket.destroy();
      return;
    }
    this.connections.add(socket);
    socket.setNoDelay(true);
    const decoder = new FrameDecoder();
    const tuple: IceTuple = {
      protocol: 'tcp',
      remoteIp: socket.remoteAddress,
      remotePort: socket.remotePort,
      localIp: socket.localAddress ?? '',
      localPort: socket.localPort ?? 0,
      send: (packet) => {
        if (socket.destroyed || !socket.writable) return;
        if (socket.writableLength > MAX_QUEUED_BYTES) {
          this.droppedPackets++;
          return;
        }
        socket.write(encodeFrame(packet));
      },
      close: () => socket.destroy(),
    };
    // a wall-clock deadline, not an idle timeout: a peer streaming frames that are no valid check goes too
    const checkDeadline = setTimeout(() => {
      if (!this.ice.hasTuple(tuple)) socket.destroy();
    }, this.checkTimeoutMs);
    checkDeadline.unref();
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = decoder.push(chunk);
      } catch (e) {
        if (e instanceof FrameTooLargeError) this.log('warn', `ICE-TCP ${tuple.remoteIp}:${tuple.remotePort}: ${e.message}; closing`);
        socket.destroy();
        return;
      }
      for (const f of frames) {
        if (socket.destroyed) return;
        this.ice.receive(f, tuple);
      }
    });
    socket.on('error', () => {}); // reset by peer and the like; 'close' follows
    socket.on('close', () => {
      clearTimeout(checkDeadline);
      this.connections.delete(socket);
      this.ice.removeTuple(tuple);
    });
  }

  close(): void {
    this.server.close();
    for (const s of this.connections) s.destroy();
    this.connections.clear();
  }
}

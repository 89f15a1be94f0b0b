/**
 * A transport's UDP socket: every datagram goes to the ICE-lite server with its tuple (one per
 * remote address, made on first sight).
 */
import type { Socket } from 'node:dgram';
import type { IceLiteServer, IceTuple } from './IceLiteServer';

/** Remote addresses remembered per socket; a flood of spoofed sources cannot grow it without bound. */
const MAX_REMOTE_ADDRESSES = 64;

export class UdpIceSocket {
  private readonly tuples = new Map<string, IceTuple>();
  readonly localIp: string;
  readonly localPort: number;

  constructor(
    private readonly socket: Socket,
    private readonly ice: IceLiteServer,
  ) {
    const a = socket.address();
    this.localIp = a.address;
    this.localPort = a.port;
    socket.on('message', (msg, rinfo) => this.ice.receive(msg, this.tupleOf(rinfo.address, rinfo.port)));
    socket.on('error', () => {}); // ICMP unreachable and the like: the peer's problem, consent covers it
  }

  get port(): number {
    return this.localPort;
  }

  private tupleOf(ip: string, port: number): IceTuple {
    const key = `${ip}:${port}`;
    let t = this.tuples.get(key);
    if (!t) {
      if (this.tuples.size >= MAX_REMOTE_ADDRESSES) {
        for (const [k, old] of this.tuples) {
          if (this.ice.hasTuple(old)) continue;
          this.tuples.delete(k);
          break;
        }
      }
      const socket = this.socket;
      t = {
        protocol: 'udp',
        remoteIp: ip,
        remotePort: port,
        localIp: this.localIp,
        localPort: this.localPort,
        send: (packet) => {
          try {
            socket.send(packet, port, ip);
          } catch {
            // socket closed under us (transport closing)
          }
        },
      };
      this.tuples.set(key, t);
    }
    return t;
  }

  close(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }
}

/**
 * Inside the engine: sends producers' RTP as plain RTP to loopback UDP ports (one per producer),
 * where an external ffmpeg reads them through an SDP — the media node's side of a live
 * composition (what a mediasoup PlainTransport + consumer gives mediasoup's recording examples).
 * Packets keep their sequence numbers and timestamps (gaps stay visible to the decoder); each
 * target has its own SSRC and payload type, as written in the SDP. A send never throws into the
 * RTP path; simulcast producers are forwarded from their top layer.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { ForwardPacket, PacketSink, PacketSource, ProducerStream } from '../engine/types';

export interface RtpTarget {
  producerId: string;
  /** 0: only watch the producer's liveness, send nothing */
  port: number;
  payloadType: number;
  ssrc: number;
}

/** Per producer: packets sent, and how long ago the producer last sent one (ms; null: never). */
export interface RtpForwardStats {
  [producerId: string]: { packets: number; lastPacketAgoMs: number | null };
}

interface Out {
  target: RtpTarget;
  /** one socket per stream, as separate senders would have (ffmpeg's RTP input expects that) */
  socket?: Socket;
  producer: PacketSource;
  packets: number;
  lastAt: number | null;
}

export class RtpForwarder implements PacketSink {
  private readonly outs = new Map<PacketSource, Out>();
  private closed = false;

  constructor(
    readonly id: string,
    producers: PacketSource[],
    targets: RtpTarget[],
    private readonly host = '127.0.0.1',
  ) {
    for (const target of targets) {
      const producer = producers.find((p) => p.id === target.producerId);
      if (!producer) throw new Error(`producer ${target.producerId} not found`);
      let socket: Socket | undefined;
      if (target.port !== 0) {
        socket = createSocket('udp4');
        socket.on('error', () => undefined); // e.g. ICMP port unreachable before ffmpeg listens
      }
      this.outs.set(producer, { target, producer, packets: 0, lastAt: null, socket });
    }
  }

  start(): void {
    for (const o of this.outs.values()) o.producer.sinks.add(this);
    this.requestKeyFrame();
  }

  requestKeyFrame(): void {
    for (const o of this.outs.values()) if (o.producer.kind === 'video') o.producer.requestKeyFrameAll();
  }

  onPacket(fp: ForwardPacket, stream: ProducerStream, producer: PacketSource, now: number): void {
    const o = this.outs.get(producer);
    if (!o || this.closed || stream.index !== producer.streams.length - 1) return;
    const header = Buffer.alloc(12);
    header[0] = 0x80;
    header[1] = (fp.marker ? 0x80 : 0) | (o.target.payloadType & 0x7f);
    header.writeUInt16BE(fp.seq & 0xffff, 2);
    header.writeUInt32BE(fp.timestamp >>> 0, 4);
    header.writeUInt32BE(o.target.ssrc >>> 0, 8);
    o.packets++;
    o.lastAt = now;
    // no socket: watched only (a source left out of the current composition)
    o.socket?.send([header, fp.payload], o.target.port, this.host, () => undefined);
  }

  stats(now = Date.now()): RtpForwardStats {
    const s: RtpForwardStats = {};
    for (const o of this.outs.values()) {
      s[o.target.producerId] = { packets: o.packets, lastPacketAgoMs: o.lastAt === null ? null : now - o.lastAt };
    }
    return s;
  }

  stop(): Promise<RtpForwardStats> {
    const s = this.stats();
    if (!this.closed) {
      this.closed = true;
      for (const o of this.outs.values()) {
        o.producer.sinks.delete(this);
        o.socket?.close();
      }
    }
    return Promise.resolve(s);
  }
}

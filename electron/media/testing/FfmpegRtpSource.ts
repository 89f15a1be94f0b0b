/**
 * Test/bench media source: a real ffmpeg encodes a lavfi picture and tone (VP8 + Opus) in real
 * time and sends them as plain RTP to loopback UDP ports we listen on; each packet is handed to
 * `onPacket` (to be relayed into the SFU through a NodePeer, re-stamped with our SSRC/PT).
 * The default source flashes white and beeps for the first 100 ms of every second, so A/V sync
 * can be measured from a recorded file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface RtpPacketIn {
  kind: 'audio' | 'video';
  seq: number;
  timestamp: number;
  marker: boolean;
  payload: Buffer;
}

export interface FfmpegSourceOptions {
  ffmpeg?: string;
  seconds: number;
  /** tone frequency (Hz); different per publisher so a mix can be analysed */
  toneHz?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** flash + beep during the first 100 ms of each second (A/V sync markers) */
  markers?: boolean;
  onPacket(p: RtpPacketIn): void;
}

/** What `relayTo` needs of a peer (NodePeer's `sendRtp`). */
export interface RtpSender {
  sendRtp(h: { ssrc: number; payloadType: number; sequenceNumber: number; timestamp: number; marker?: boolean }, payload: Buffer): Promise<unknown>;
}

/**
 * An `onPacket` that relays ffmpeg's packets into the SFU through `peer`, re-stamped with the
 * producers' SSRCs and payload types (Opus 111, VP8 96 unless given). A lost send is ignored,
 * as on a real network.
 */
export function relayTo(peer: RtpSender, ssrc: { audio: number; video: number }, payloadType = { audio: 111, video: 96 }): (p: RtpPacketIn) => void {
  return (k) =>
    void peer
      .sendRtp({ ssrc: ssrc[k.kind], payloadType: payloadType[k.kind], sequenceNumber: k.seq, timestamp: k.timestamp, marker: k.marker }, k.payload)
      .catch(() => undefined);
}

/** Parses a plain RTP packet (header, CSRCs, extension, padding). */
export function parseRtp(buf: Buffer): Omit<RtpPacketIn, 'kind'> | null {
  if (buf.length < 12 || buf[0] >> 6 !== 2) return null;
  const cc = buf[0] & 0x0f;
  let off = 12 + cc * 4;
  if (buf[0] & 0x10) {
    if (buf.length < off + 4) return null;
    off += 4 + buf.readUInt16BE(off + 2) * 4;
  }
  let end = buf.length;
  if (buf[0] & 0x20) end -= buf[buf.length - 1];
  if (off > end) return null;
  return { seq: buf.readUInt16BE(2), timestamp: buf.readUInt32BE(4), marker: (buf[1] & 0x80) !== 0, payload: buf.subarray(off, end) };
}

export class FfmpegRtpSource {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly sockets: Socket[],
    readonly exited: Promise<number | null>,
  ) {}

  static async start(o: FfmpegSourceOptions): Promise<FfmpegRtpSource> {
    const sockets: Socket[] = [];
    const ports: number[] = [];
    for (const kind of ['video', 'audio'] as const) {
      const s = createSocket('udp4');
      s.on('message', (m) => {
        const p = parseRtp(m);
        if (p) o.onPacket({ kind, ...p });
      });
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      sockets.push(s);
      ports.push((s.address() as AddressInfo).port);
    }
    const w = o.width ?? 320;
    const h = o.height ?? 240;
    const hz = o.toneHz ?? 1000;
    const fps = o.fps ?? 30;
    const video = o.markers
      ? `color=c=black:s=${w}x${h}:r=${fps},drawbox=x=0:y=0:w=iw:h=ih:color=white:t=fill:enable='lt(mod(t,1),0.1)'`
      : `testsrc=s=${w}x${h}:r=${fps}`;
    const audio = o.markers ? `sine=f=${hz}:r=48000,volume=volume=0:enable='gte(mod(t,1),0.1)'` : `sine=f=${hz}:r=48000`;
    const args = [
      '-hide_banner',
      '-nostdin',
      '-v',
      'error',
      '-re',
      '-f',
      'lavfi',
      '-i',
      video,
      '-f',
      'lavfi',
      '-i',
      audio,
      '-t',
      String(o.seconds),
      '-map',
      '0:v',
      '-c:v',
      'libvpx',
      '-deadline',
      'realtime',
      '-cpu-used',
      '8',
      '-b:v',
      '300k',
      '-g',
      String(fps),
      '-keyint_min',
      String(fps),
      '-payload_type',
      '96',
      '-ssrc',
      '1111',
      '-f',
      'rtp',
      `rtp://127.0.0.1:${ports[0]}?pkt_size=1200`,
      '-map',
      '1:a',
      '-c:a',
      'libopus',
      '-b:a',
      '48k',
      '-application',
      'lowdelay',
      '-frame_duration',
      '20',
      '-payload_type',
      '111',
      '-ssrc',
      '2222',
      '-f',
      'rtp',
      `rtp://127.0.0.1:${ports[1]}?pkt_size=1200`,
    ];
    const proc = spawn(o.ffmpeg ?? 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    const exited = new Promise<number | null>((r) => proc.on('close', (code) => r(code)));
    return new FfmpegRtpSource(proc, sockets, exited);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
    await this.exited;
    for (const s of this.sockets) s.close();
  }
}

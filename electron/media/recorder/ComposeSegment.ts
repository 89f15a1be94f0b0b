/**
 * One segment of a live composition: a fixed set of streams, forwarded by the media node as plain
 * RTP to loopback ports (RtpForwarder), read by one external ffmpeg through an SDP, decoded,
 * composed (canvas + mix) and encoded into a WebM as it arrives. A segment never changes its
 * inputs: a join or leave starts a new segment (RoomRecording), so ffmpeg is never given an input
 * that may stay silent. Keyframes are requested once ffmpeg listens and again every second until
 * the first composed frame. Stopped with `q` on stdin (portable, unlike signals on Windows).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { rm, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { Router } from '../api';
import type { MediaNode } from '../MediaNode';
import { buildLiveGraph, composedEncoderArgs, type CompositeLayout, type LiveStream } from './compositeGraph';
import { buildSdp, type SdpStream } from './liveSdp';
import type { RtpForwardStats, RtpTarget } from './RtpForwarder';

export interface SegmentSource {
  /** the source's cell / channel (0 = the main source) */
  source: number;
  producerIds: string[];
}

export interface ComposeSegmentOptions {
  node: MediaNode;
  router: Router;
  ffmpegPath: string;
  /** the segment's WebM */
  file: string;
  layout: CompositeLayout;
  /** how many cells the grid has (every source seen so far keeps its cell) */
  cells: number;
  sources: SegmentSource[];
  /** producers whose liveness is watched but which are not composed (they sent nothing lately) */
  watched: string[];
  logger: Logger;
}

export interface SegmentEnd {
  file: string;
  /** seconds of output ffmpeg reported */
  seconds: number;
  error?: string;
}

const KEYFRAME_RETRY_MS = 1000;
const KEYFRAME_RETRIES = 30;
const STOP_TIMEOUT_MS = 15_000;
/** no new frame for this long after the forwarding stopped: ffmpeg has composed what it had */
const DRAINED_MS = 1500;
const DRAIN_MAX_MS = 5000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Even ports with a free neighbour (RTCP), found by binding; released just before ffmpeg binds them. */
async function reservePorts(n: number): Promise<{ ports: number[]; release: () => void }> {
  const held: Socket[] = [];
  const bind = (port: number) =>
    new Promise<Socket | null>((resolve) => {
      const s = createSocket('udp4');
      s.once('error', () => {
        s.close();
        resolve(null);
      });
      s.bind(port, '127.0.0.1', () => resolve(s));
    });
  const ports: number[] = [];
  for (let attempt = 0; ports.length < n && attempt < 50 * n; attempt++) {
    const a = await bind(0);
    if (!a) continue;
    const p = a.address().port;
    const b = p % 2 === 0 && p < 65535 ? await bind(p + 1) : null;
    if (!b) {
      a.close();
      continue;
    }
    held.push(a, b);
    ports.push(p);
  }
  const release = () => held.forEach((s) => s.close());
  if (ports.length < n) {
    release();
    throw new Error('no free loopback UDP ports for the composition');
  }
  return { ports, release };
}

/** Resolves once something (ffmpeg) has bound `port`, or gave up (bounded). */
async function waitBound(port: number, gaveUp: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && !gaveUp()) {
    const s = createSocket('udp4');
    const free = await new Promise<boolean>((resolve) => {
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => resolve(true));
    });
    s.close();
    if (!free) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export class ComposeSegment {
  /** output seconds so far (ffmpeg's progress) */
  outSeconds = 0;
  frames = 0;
  /** bytes written so far (ffmpeg's progress) */
  bytes = 0;
  lastProgressAt = Date.now();
  readonly startedAt = Date.now();
  /** resolves at the first composed frame (every video input decoded) */
  readonly firstFrame: Promise<void>;
  private onFirstFrame!: () => void;
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private stopping?: Promise<SegmentEnd>;
  private keyframeTimer?: NodeJS.Timeout;
  /** wall-clock span of the media this segment receives (its file covers it, after the start-up lag) */
  forwardStartedAt = Date.now();
  forwardStoppedAt?: number;

  private constructor(
    private readonly o: ComposeSegmentOptions,
    private readonly proc: ChildProcess,
    private readonly forwardId: string,
    private readonly sdpFile: string,
  ) {
    this.firstFrame = new Promise((r) => (this.onFirstFrame = r));
    this.exited = new Promise((r) => proc.on('close', (code) => r(code)));
    proc.on('error', (err) => (this.stderr += `${err.message}\n`));
    proc.stderr?.on('data', (d: Buffer) => {
      if (this.stderr.length < (process.env.ANYCHAT_FFMPEG_LOG ? 4e6 : 8000)) this.stderr += d.toString();
    });
    let buf = '';
    proc.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) this.onProgress(line);
    });
  }

  get exitedEarly(): boolean {
    return this.proc.exitCode !== null && !this.stopping;
  }

  private onProgress(line: string) {
    const [k, v] = line.trim().split('=');
    if (k === 'frame') {
      const n = Number(v);
      if (n > this.frames) this.lastProgressAt = Date.now();
      this.frames = n;
      if (n > 0) {
        this.onFirstFrame();
        clearInterval(this.keyframeTimer);
      }
    } else if (k === 'total_size' && /^\d+$/.test(v ?? '')) this.bytes = Number(v);
    else if (k === 'out_time_us' && /^\d+$/.test(v ?? '')) this.outSeconds = Number(v) / 1e6;
  }

  static async start(o: ComposeSegmentOptions): Promise<ComposeSegment> {
    const streams: (SdpStream & { producerId: string; source: number })[] = [];
    for (const s of o.sources)
      for (const id of s.producerIds) {
        const p = o.router.getProducer(id);
        const codec = p?.consumableRtpParameters.codecs[0];
        if (!p || !codec) continue;
        streams.push({
          producerId: id,
          source: s.source,
          kind: p.kind,
          port: 0,
          payloadType: codec.payloadType,
          mimeType: codec.mimeType,
          clockRate: codec.clockRate,
          channels: codec.channels,
          parameters: codec.parameters as Record<string, string | number>,
        });
      }
    const { ports, release } = await reservePorts(streams.length);
    streams.forEach((s, i) => (s.port = ports[i]));
    const sdpFile = `${o.file}.sdp`;
    await writeFile(sdpFile, buildSdp(streams));
    const live: LiveStream[] = streams.map((s, index) => ({ source: s.source, kind: s.kind, index }));
    const { fps } = o.layout;
    const args = [
      '-hide_banner',
      '-v',
      process.env.ANYCHAT_FFMPEG_LOG ?? 'error',
      '-protocol_whitelist',
      'file,udp,rtp',
      // small probe: the streams are known from the SDP. (RTP timestamps, not
      // -use_wallclock_as_timestamps: that one stalled the graph on DTS discontinuities here.)
      // a short probe: the streams are known from the SDP (a longer one — 5 s — stalled the graph
      // with ffmpeg 5.1: the probed backlog is never caught up); a video stream without a keyframe
      // yet is configured when its first frame arrives
      '-analyzeduration',
      '500000',
      '-probesize',
      '500000',
      // a source that changes its resolution must not rebuild the graph (a rebuilt graph restarts
      // the canvas clock and lags the composition behind the wall clock); scale follows the change
      '-reinit_filter',
      '0',
      '-fflags',
      '+genpts',
      '-reorder_queue_size',
      '100',
      '-max_delay',
      '300000',
      '-buffer_size',
      '4000000',
      '-f',
      'sdp',
      '-i',
      sdpFile,
      '-filter_complex',
      buildLiveGraph(live, o.cells, o.layout),
      ...composedEncoderArgs(fps, { live: true }),
      '-progress',
      'pipe:1',
      '-y',
      '-f',
      'webm',
      o.file,
    ];
    o.logger.debug({ args }, 'live composition segment starting');
    release();
    const proc = spawn(o.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stdin?.on('error', () => undefined);
    // keyframes sent before ffmpeg listens would be lost: forward once its sockets are bound
    await waitBound(ports[ports.length - 1], () => proc.exitCode !== null);
    const targets: RtpTarget[] = [
      ...streams.map((s, i) => ({ producerId: s.producerId, port: s.port, payloadType: s.payloadType, ssrc: 0x10000 + i })),
      ...o.watched.map((producerId) => ({ producerId, port: 0, payloadType: 0, ssrc: 0 })),
    ];
    let forwardId: string;
    try {
      forwardId = await o.node.startRtpForward(o.router, targets);
    } catch (err) {
      proc.kill('SIGKILL');
      throw err;
    }
    const seg = new ComposeSegment(o, proc, forwardId, sdpFile);
    seg.forwardStartedAt = Date.now();
    // ffmpeg opens its sockets while it starts: ask for keyframes until the first frame is composed
    let tries = 0;
    seg.keyframeTimer = setInterval(() => {
      if (++tries > KEYFRAME_RETRIES) clearInterval(seg.keyframeTimer);
      void o.node.requestRtpForwardKeyFrame(o.router, forwardId).catch(() => undefined);
    }, KEYFRAME_RETRY_MS);
    seg.keyframeTimer.unref();
    return seg;
  }

  requestKeyFrame(): Promise<unknown> {
    return this.o.node.requestRtpForwardKeyFrame(this.o.router, this.forwardId).catch(() => undefined);
  }

  stats(): Promise<RtpForwardStats> {
    return this.o.node.rtpForwardStats(this.o.router, this.forwardId).catch(() => ({}));
  }

  /**
   * Ends the segment: the forwarding stops and ffmpeg finishes its file (q on stdin). With `drain`
   * (the last segment) ffmpeg first composes what it still holds — it lags the wall clock by its
   * start-up (probe, first keyframe) — bounded in time. `seconds` is capped at the media it
   * received: output time 0 is its first forwarded packet.
   */
  stop(drain = false): Promise<SegmentEnd> {
    this.stopping ??= (async () => {
      clearInterval(this.keyframeTimer);
      this.forwardStoppedAt = Date.now();
      await this.o.node.stopRtpForward(this.o.router, this.forwardId).catch(() => undefined);
      const received = (this.forwardStoppedAt - this.forwardStartedAt) / 1000;
      const until = Date.now() + DRAIN_MAX_MS;
      while (drain && this.proc.exitCode === null && this.frames > 0 && this.outSeconds < received - 0.2 && Date.now() < until) {
        if (Date.now() - this.lastProgressAt > DRAINED_MS) break;
        await sleep(100);
      }
      if (this.proc.exitCode === null) this.proc.stdin?.end('q');
      const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const code = await this.exited;
      clearTimeout(timer);
      await rm(this.sdpFile, { force: true });
      if (process.env.ANYCHAT_FFMPEG_LOG) this.o.logger.debug({ stderr: this.stderr }, 'ffmpeg said');
      const errors = this.stderr.trim().split('\n').filter(Boolean);
      const error = code === 0 ? undefined : `ffmpeg exited ${code}: ${errors.slice(-3).join(' | ')}`;
      return { file: this.o.file, seconds: Math.min(this.outSeconds, received), error };
    })();
    return this.stopping;
  }
}

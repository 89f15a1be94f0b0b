/**
 * Server-side recording of one user's producers into a WebM file (Opus + VP8), inside the media
 * engine. It is a packet sink on the producers: it never blocks forwarding (file writes go through
 * an async write stream; a write error stops the recording and reports it, never throws into the
 * RTP path). Video starts at a keyframe; both tracks are placed on one wall-clock timeline
 * (anchored at each track's first packet arrival, then advanced by RTP time) so A/V stay in sync.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';
import { H264RtpPayload, MP4Base, WEBMContainer } from 'werift/nonstandard';
import type { ForwardPacket, PacketSink, PacketSource as EngineProducer, ProducerStream } from '../engine/types';
import { RecordFlags, type RecordingResult } from '../types';
import { seqAdd } from '../rtp/seq';
import { FrameReorderQueue } from './FrameReorderQueue';
import { sanitizeBaseName, uniqueBaseName } from './fileNames';

const MAX_CLUSTER_MS = 5000;
/** base names of this engine's recordings in progress: two recordings never share a file */
const liveNames = new Set<string>();
/** An RTP clock this far from the wall clock means the sender restarted its clock: re-anchor. */
const REANCHOR_DRIFT_MS = 10_000;

/** Length of the VP8 payload descriptor at the start of an RTP payload. */
export function vp8DescriptorLength(p: Buffer): number {
  let off = 1;
  if (p[0] & 0x80) {
    const ext = p[1];
    off = 2;
    if (ext & 0x80) off += p[off] & 0x80 ? 2 : 1;
    if (ext & 0x40) off += 1;
    if (ext & 0x20 || ext & 0x10) off += 1;
  }
  return off;
}

/**
 * Header patches written on stop: the Segment's (unknown) size → real size, and Info/Duration
 * (float, ms with the default 1 ms TimecodeScale) → real duration. Positions are found by scanning
 * the header we wrote, not hard-coded.
 */
export function patchWebmHeader(header: Buffer, fileSize: number, durationMs: number): { position: number; data: Buffer }[] {
  const patches: { position: number; data: Buffer }[] = [];
  const seg = header.indexOf(Buffer.from([0x18, 0x53, 0x80, 0x67]));
  if (seg >= 0) {
    const sizePos = seg + 4;
    const first = header[sizePos];
    let len = 1;
    while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
    const dataStart = sizePos + len;
    const size = BigInt(fileSize - dataStart);
    if (len <= 8 && size < (1n << BigInt(7 * len)) - 1n) {
      const data = Buffer.alloc(len);
      let v = size | (1n << BigInt(7 * len)); // length marker bit
      for (let i = len - 1; i >= 0; i--) {
        data[i] = Number(v & 0xffn);
        v >>= 8n;
      }
      patches.push({ position: sizePos, data });
    }
  }
  const info = header.indexOf(Buffer.from([0x15, 0x49, 0xa9, 0x66]));
  const dur = header.indexOf(Buffer.from([0x44, 0x89]), info >= 0 ? info : 0);
  if (dur >= 0) {
    const sizeByte = header[dur + 2];
    if (sizeByte === 0x84) {
      const data = Buffer.alloc(4);
      data.writeFloatBE(durationMs);
      patches.push({ position: dur + 3, data });
    } else if (sizeByte === 0x88) {
      const data = Buffer.alloc(8);
      data.writeDoubleBE(durationMs);
      patches.push({ position: dur + 3, data });
    }
  }
  return patches;
}

/** Depacketize one H264 access unit's RTP payloads (single NAL / STAP-A / FU-A) to Annex-B. */
export function depacketizeH264(payloads: Buffer[]): Buffer {
  const out: Buffer[] = [];
  let fragment: Buffer | undefined;
  for (const p of payloads) {
    if (p.length === 0) continue;
    const d = H264RtpPayload.deSerialize(p, fragment);
    fragment = d.fragment;
    if (d.payload?.length) out.push(d.payload);
  }
  return Buffer.concat(out);
}

interface Track {
  producer: EngineProducer;
  kind: 'audio' | 'video';
  trackNumber: number;
  clockRate: number;
  anchorMs?: number;
  firstTs?: number;
  lastTsUnwrapped?: number;
  /** last timestamp (ms from file start) written for this track: blocks must strictly increase */
  lastRel: number;
  /** sequence number expected for the next video frame's first packet (gap → wait for a keyframe) */
  nextFrameSeq?: number;
  // frame assembly (video)
  frameTs?: number;
  frameParts: Buffer[];
  frameKey: boolean;
  frameNextSeq?: number;
  frameBroken: boolean;
  gotKeyframe: boolean;
}

export class Recording implements PacketSink {
  readonly tracks: Track[] = [];
  private out?: WriteStream;
  private builder?: WEBMContainer;
  private startMs?: number;
  private clusterMs = -1;
  private lastFrameMs = 0;
  private bytes = 0;
  private header?: Buffer;
  /** current cluster's content, written with a known size when the next cluster starts / on stop */
  private cluster: Buffer[] = [];
  private stopped = false;
  private failed = false;
  readonly fileName: string;
  /** where the finished file goes (MediaNode remuxes the live file into it on stop) */
  readonly filePath: string;
  /** the file written while recording */
  readonly livePath: string;
  private stopping?: Promise<RecordingResult>;
  private readonly liveKey: string;
  /** WebM (Opus + VP8) or, when the video is H264, fragmented MP4 (H264 + Opus) */
  readonly format: 'webm' | 'mp4';
  private mp4?: MP4Base;
  private mp4Done?: Promise<void>;
  /** frames of both tracks pass through here so the file's blocks are in time order */
  private readonly queue = new FrameReorderQueue<{ t: Track; frame: Buffer; key: boolean }>();

  constructor(
    readonly id: string,
    producers: EngineProducer[],
    readonly flags: number,
    dir: string,
    fileBaseName: string,
    private readonly onError: (err: Error) => void,
  ) {
    const wantVideo = (flags & (RecordFlags.VIDEO | RecordFlags.AUDIO)) === 0 || (flags & RecordFlags.VIDEO) !== 0;
    const wantAudio = (flags & (RecordFlags.VIDEO | RecordFlags.AUDIO)) === 0 || (flags & RecordFlags.AUDIO) !== 0;
    const video = producers.find((p) => p.kind === 'video' && wantVideo);
    const audio = producers.find((p) => p.kind === 'audio' && wantAudio);
    const vmime = video?.mimeType.toLowerCase();
    if (video && vmime !== 'video/vp8' && vmime !== 'video/h264') throw new Error(`recording ${video.mimeType} is not supported`);
    this.format = vmime === 'video/h264' ? 'mp4' : 'webm';
    if (audio && audio.mimeType.toLowerCase() !== 'audio/opus') throw new Error(`recording ${audio.mimeType} is not supported`);
    let n = 1;
    for (const p of [video, audio]) {
      if (!p) continue;
      this.tracks.push({
        producer: p,
        kind: p.kind,
        trackNumber: n++,
        clockRate: p.clockRate,
        frameParts: [],
        frameKey: false,
        frameBroken: false,
        gotKeyframe: p.kind === 'audio',
        lastRel: -1,
      });
    }
    if (this.tracks.length === 0) throw new Error('nothing to record (no producer matches the flags)');
    const ext = `.${this.format}`;
    const base = uniqueBaseName(dir, sanitizeBaseName(fileBaseName) || `rec_${id}`, [ext, '.jpg'], (b) => liveNames.has(path.join(dir, b)));
    this.fileName = `${base}${ext}`;
    this.filePath = path.join(dir, this.fileName);
    this.livePath = `${this.filePath}.part`;
    this.liveKey = path.join(dir, base);
    liveNames.add(this.liveKey);
  }

  /** What the main thread needs to finish the file if the recording ends on its own. */
  describe(): { filePath: string; fileName: string; livePath: string; format: 'webm' | 'mp4' } {
    return { filePath: this.filePath, fileName: this.fileName, livePath: this.livePath, format: this.format };
  }

  get hasVideo() {
    return this.tracks.some((t) => t.kind === 'video');
  }
  get resultFlags() {
    let f = this.flags & ~(RecordFlags.VIDEO | RecordFlags.AUDIO);
    if (this.hasVideo) f |= RecordFlags.VIDEO;
    if (this.tracks.some((t) => t.kind === 'audio')) f |= RecordFlags.AUDIO;
    return f | RecordFlags.SERVER;
  }

  async start(): Promise<void> {
    await mkdir(path.dirname(this.filePath), { recursive: true });
    if (this.format === 'mp4') {
      this.out = createWriteStream(this.livePath);
      this.out.on('error', (e) => this.fail(e));
      let done!: () => void;
      this.mp4Done = new Promise<void>((r) => (done = r));
      this.mp4 = new MP4Base(
        this.tracks.map((t) =>
          t.kind === 'video'
            ? { kind: 'video' as const, codec: 'avc1' as const, clockRate: 90000, trackNumber: t.trackNumber, width: 640, height: 480 }
            : { kind: 'audio' as const, codec: 'opus' as const, clockRate: 48000, trackNumber: t.trackNumber },
        ),
        (o) => {
          if (o.eol) done();
          else this.write(Buffer.from(o.data));
        },
      );
      for (const t of this.tracks) t.producer.sinks.add(this);
      for (const t of this.tracks) if (t.kind === 'video') t.producer.requestKeyFrameAll();
      return;
    }
    this.builder = new WEBMContainer(
      this.tracks.map((t) =>
        t.kind === 'video'
          ? { kind: 'video', codec: 'VP8', width: 640, height: 480, trackNumber: t.trackNumber }
          : { kind: 'audio', codec: 'OPUS', trackNumber: t.trackNumber },
      ),
    );
    this.out = createWriteStream(this.livePath);
    this.out.on('error', (e) => this.fail(e));
    const header = Buffer.concat([this.builder.ebmlHeader, this.builder.createSegment(1)]); // placeholder Duration, patched on stop
    this.header = header;
    this.write(header);
    for (const t of this.tracks) t.producer.sinks.add(this);
    // ask for a keyframe right away
    for (const t of this.tracks) if (t.kind === 'video') t.producer.requestKeyFrameAll();
  }

  private write(buf: Buffer | Uint8Array) {
    if (!this.out || this.failed) return;
    const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
    this.bytes += b.length;
    this.out.write(b);
  }

  private fail(e: Error) {
    if (this.failed) return;
    this.failed = true;
    liveNames.delete(this.liveKey);
    this.detach();
    this.out?.destroy();
    this.onError(e);
  }

  private detach() {
    for (const t of this.tracks) t.producer.sinks.delete(this);
  }

  onProducerClose(p: EngineProducer) {
    const t = this.tracks.find((x) => x.producer === p);
    if (t) this.flushFrame(t);
  }

  onPacket(fp: ForwardPacket, stream: ProducerStream, producer: EngineProducer, now: number): void {
    if (this.stopped || this.failed) return;
    const t = this.tracks.find((x) => x.producer === producer);
    if (!t || stream.index !== producer.streams.length - 1) return; // simulcast: record the top layer
    if (t.anchorMs === undefined || this.drifted(t, fp.timestamp, now)) {
      t.anchorMs = now;
      t.firstTs = fp.timestamp;
      t.lastTsUnwrapped = fp.timestamp;
    }
    if (t.kind === 'audio') {
      if (this.hasVideo && this.startMs === undefined) return; // wait for the video keyframe
      this.writeFrame(t, this.timeOf(t, fp.timestamp), fp.payload, true);
      return;
    }
    // video: assemble frames by timestamp
    if (t.frameTs !== undefined && fp.timestamp !== t.frameTs) this.flushFrame(t);
    if (t.frameTs === undefined) {
      const start = this.format === 'mp4' ? true : (fp.payload[0] & 0x10) !== 0 && (fp.payload[0] & 0x07) === 0;
      if (!start) return; // missed the start of this frame
      t.frameTs = fp.timestamp;
      t.frameParts = [];
      t.frameKey = fp.keyframe;
      t.frameBroken = false;
      t.frameNextSeq = fp.seq;
      // packets lost between frames: the next frame may reference what we never saw
      if (t.nextFrameSeq !== undefined && fp.seq !== t.nextFrameSeq && !fp.keyframe) t.gotKeyframe = false;
    }
    if (fp.seq !== t.frameNextSeq) t.frameBroken = true;
    t.frameNextSeq = seqAdd(fp.seq, 1);
    t.nextFrameSeq = t.frameNextSeq;
    t.frameParts.push(this.format === 'mp4' ? fp.payload : fp.payload.subarray(vp8DescriptorLength(fp.payload)));
    if (fp.keyframe) t.frameKey = true;
    if (fp.marker) this.flushFrame(t);
  }

  private flushFrame(t: Track) {
    if (t.frameTs === undefined) return;
    const ts = t.frameTs;
    const parts = t.frameParts;
    const key = t.frameKey;
    const broken = t.frameBroken;
    t.frameTs = undefined;
    t.frameParts = [];
    if (broken) {
      if (key) t.gotKeyframe = false;
      t.producer.requestKeyFrameAll();
      return;
    }
    if (!t.gotKeyframe && !key) {
      t.producer.requestKeyFrameAll();
      return;
    }
    t.gotKeyframe = true;
    const ms = this.timeOf(t, ts);
    if (this.startMs === undefined) {
      if (!key) return;
      this.startMs = ms;
    }
    this.writeFrame(t, ms, this.format === 'mp4' ? depacketizeH264(parts) : Buffer.concat(parts), key);
  }

  /** The track's RTP clock no longer follows the wall clock (sender restarted, or a long jump). */
  private drifted(t: Track, ts: number, now: number): boolean {
    if (t.anchorMs === undefined) return false;
    const d = (ts - (t.lastTsUnwrapped! >>> 0)) | 0;
    const ms = t.anchorMs + ((t.lastTsUnwrapped! + d - t.firstTs!) * 1000) / t.clockRate;
    return Math.abs(ms - now) > REANCHOR_DRIFT_MS;
  }

  /** Wall-clock ms of an RTP timestamp on track t. */
  private timeOf(t: Track, ts: number): number {
    // unwrap relative to the last seen timestamp
    let d = (ts - (t.lastTsUnwrapped! >>> 0)) | 0;
    const unwrapped = t.lastTsUnwrapped! + d;
    if (d > 0) t.lastTsUnwrapped = unwrapped;
    d = unwrapped - t.firstTs!;
    return t.anchorMs! + (d * 1000) / t.clockRate;
  }

  private writeFrame(t: Track, ms: number, frame: Buffer, key: boolean) {
    if (this.startMs === undefined) this.startMs = ms;
    if (frame.length === 0) return;
    const rel = Math.max(0, Math.round(ms - this.startMs));
    for (const f of this.queue.push(rel, { t, frame, key })) this.writeBlock(f.item.t, f.time, f.item.frame, f.item.key);
  }

  private writeBlock(t: Track, time: number, frame: Buffer, key: boolean) {
    // strictly increasing per track, also for a very late frame the queue moved up (equal or
    // backward stamps make players and ffmpeg complain)
    let rel = Math.max(time, t.lastRel + 1);
    if (this.mp4) {
      t.lastRel = rel;
      if (frame.length === 0) return;
      if (t.kind === 'video') this.mp4.processVideoInput({ frame: { data: frame, isKeyframe: key, time: rel } });
      else this.mp4.processAudioInput({ frame: { data: frame, isKeyframe: true, time: rel } });
      this.lastFrameMs = Math.max(this.lastFrameMs, rel);
      return;
    }
    if (!this.builder) return;
    const videoKey = t.kind === 'video' && key;
    if (this.clusterMs < 0 || videoKey || rel - this.clusterMs > MAX_CLUSTER_MS) {
      const c = Math.max(rel, this.clusterMs < 0 ? 0 : this.clusterMs);
      if (c !== this.clusterMs) {
        this.flushCluster();
        this.clusterMs = c;
        // createCluster() = ID(4) + unknown size(8) + Timecode element: keep the Timecode element
        this.cluster = [Buffer.from(this.builder.createCluster(c)).subarray(12)];
      }
    }
    // A frame of one track can come out of the reorder queue just behind a cluster that another
    // track's key frame opened: it is written at the cluster's start, and the track's own clock
    // (lastRel) follows what was written, so the next frame still lands strictly after it.
    rel = Math.max(rel, this.clusterMs);
    t.lastRel = rel;
    const off = Math.min(32767, rel - this.clusterMs);
    this.cluster.push(this.builder.createSimpleBlock(frame, key, t.trackNumber, off));
    this.lastFrameMs = Math.max(this.lastFrameMs, this.clusterMs + off);
  }

  private flushCluster() {
    if (this.cluster.length === 0) return;
    const content = Buffer.concat(this.cluster);
    this.cluster = [];
    const size = Buffer.alloc(8);
    size.writeBigUInt64BE(BigInt(content.length) | (1n << 56n));
    this.write(Buffer.concat([Buffer.from([0x1f, 0x43, 0xb6, 0x75]), size, content]));
  }

  /** Idempotent: a router closing and an explicit stop may both ask. */
  stop(): Promise<RecordingResult> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<RecordingResult> {
    liveNames.delete(this.liveKey);
    {
      this.stopped = true;
      this.detach();
      for (const t of this.tracks) if (t.kind === 'video') this.flushFrame(t);
      for (const f of this.queue.drain()) this.writeBlock(f.item.t, f.time, f.item.frame, f.item.key);
      this.flushCluster();
      if (this.mp4 && !this.failed) {
        await this.mp4.stop();
        await Promise.race([this.mp4Done, new Promise((r) => setTimeout(r, 2000))]);
      }
      const out = this.out;
      if (out && !this.failed && this.mp4) {
        await new Promise<void>((resolve) => out.end(() => resolve()));
      } else if (out && !this.failed) {
        await new Promise<void>((resolve) => out.end(() => resolve()));
        const durationMs = this.lastFrameMs + 20;
        try {
          const size = (await stat(this.livePath)).size;
          const patches = patchWebmHeader(this.header!, size, durationMs);
          const h = await open(this.livePath, 'r+');
          try {
            for (const p of patches) await h.write(p.data, 0, p.data.length, p.position);
          } finally {
            await h.close();
          }
        } catch (e) {
          this.fail(e as Error);
        }
      }
    }
    let bytes = this.bytes;
    try {
      bytes = (await stat(this.livePath)).size;
    } catch {
      /* file missing */
    }
    return {
      filePath: this.filePath,
      fileName: this.fileName,
      livePath: this.livePath,
      format: this.format,
      empty: this.startMs === undefined,
      failed: this.failed,
      durationSeconds: this.startMs === undefined ? 0 : Math.round((this.lastFrameMs + 20) / 10) / 100,
      bytes,
      flags: this.resultFlags,
    };
  }
}

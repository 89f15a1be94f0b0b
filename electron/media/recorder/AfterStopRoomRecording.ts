/**
 * The fallback composer (`recording.composition: "afterStop"`; the default is the live
 * RoomRecording): same layouts and result, composed after the recording stops.
 *
 * Each source is recorded by the stream-copy recorder (clean WebM per source, A/V on the wall
 * clock) while it publishes: a source that joins starts a part at its offset, one that leaves
 * ends its part, one that changes its producers starts a new part. On stop one external ffmpeg
 * composes the parts at their offsets (canvas, layout, mix) and encodes VP8 + Opus into the
 * final WebM. Composing after the fact keeps the live path as cheap as a single recording and
 * never stalls on a source that sends nothing.
 */
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { blankResult } from './finishRecording';
import type { RecordingHandle } from '../MediaNode';
import { RecordFlags, type RecordingResult } from '../types';
import { buildFilterGraph, composedEncoderArgs, type CompositePart } from './compositeGraph';
import type { ComposedRecording, CompositeSource, RoomRecordingOptions } from './composedRecording';
import { runFfmpeg } from './runFfmpeg';

interface ActivePart {
  key: string;
  producers: string;
  handle: RecordingHandle;
  offset: number;
}

interface DonePart {
  key: string;
  file: string;
  offset: number;
  hasVideo: boolean;
  hasAudio: boolean;
}

/**
 * Composition of N seconds may take a while on a busy machine (several times real time when the
 * cores are shared); bound it anyway, but never so tightly that load alone loses a recording.
 */
const COMPOSE_TIMEOUT_PER_SECOND_MS = 10_000;
const COMPOSE_TIMEOUT_MIN_MS = 300_000;

export class AfterStopRoomRecording implements ComposedRecording {
  private readonly active = new Map<string, ActivePart>();
  private readonly done: DonePart[] = [];
  /** sources in order of first appearance: their cell in the grid */
  private readonly order: string[] = [];
  readonly startedAt = Date.now();
  private chain: Promise<void> = Promise.resolve();
  private partNo = 0;
  private stopped = false;
  private ending?: Promise<void>;

  constructor(private readonly o: RoomRecordingOptions) {}

  /** Sets the current sources (serialized); parts start and end accordingly. */
  update(sources: CompositeSource[]): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : this.apply(sources)));
    this.chain = run.catch((err) => this.o.logger.error({ err }, 'room recording update failed'));
    return run;
  }

  private async apply(sources: CompositeSource[]): Promise<void> {
    const wanted = new Map(sources.filter((s) => s.producerIds.length > 0).map((s) => [s.key, [...s.producerIds].sort().join(',')]));
    for (const [key, part] of [...this.active]) if (wanted.get(key) !== part.producers) await this.endPart(key);
    for (const s of sources) {
      const producers = wanted.get(s.key);
      if (!producers || this.active.has(s.key)) continue;
      if (!this.order.includes(s.key)) this.order.push(s.key);
      const base = path.basename(this.o.filePath, '.webm');
      const handle = await this.o.node.startRecording({
        router: this.o.router,
        userId: s.key,
        producers: s.producerIds,
        flags: RecordFlags.AUDIO | RecordFlags.VIDEO,
        fileBaseName: `${base}.part${this.partNo++}`,
      });
      this.active.set(s.key, { key: s.key, producers, handle, offset: (Date.now() - this.startedAt) / 1000 });
    }
  }

  private async endPart(key: string): Promise<void> {
    const part = this.active.get(key);
    if (!part) return;
    this.active.delete(key);
    const stoppedAt = Date.now();
    try {
      const r = await this.o.node.stopRecording(part.handle);
      if (r.empty || !r.bytes) return;
      // the file starts at the first keyframe, not at the part's start
      const lead = Math.max(0, (stoppedAt - part.handle.startedAt) / 1000 - r.durationSeconds);
      this.done.push({
        key,
        file: r.filePath,
        offset: part.offset + lead,
        hasVideo: (r.flags & RecordFlags.VIDEO) !== 0,
        hasAudio: (r.flags & RecordFlags.AUDIO) !== 0,
      });
    } catch (err) {
      this.o.logger.warn({ err, key }, 'a room recording part was lost');
    }
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** Ends every part and deletes them (the live composition made the file). */
  async discard(): Promise<void> {
    await this.endParts();
    if (!process.env.ANYCHAT_KEEP_PARTS) for (const d of this.done) await rm(d.file, { force: true });
  }

  /**
   * Ends every part now (idempotent). A part's offset is derived from when it ended, so a caller
   * that composes later (the live composer's safety net) ends the parts first, on time.
   */
  endParts(): Promise<void> {
    this.ending ??= (async () => {
      this.stopped = true;
      await this.chain;
      await Promise.all([...this.active.keys()].map((key) => this.endPart(key)));
    })();
    return this.ending;
  }

  /** Ends every part and composes the final file. */
  async stop(stoppedAt = Date.now()): Promise<RecordingResult> {
    const total = (stoppedAt - this.startedAt) / 1000;
    await this.endParts();
    const result = blankResult(this.o.filePath, this.o.flags);
    if (this.done.length === 0) return { ...result, empty: true };
    const parts: CompositePart[] = this.done.map((d) => ({ source: this.order.indexOf(d.key), offset: d.offset, hasVideo: d.hasVideo, hasAudio: d.hasAudio }));
    const { width, height, fps } = this.o.layout;
    const t = total.toFixed(3);
    const args = [
      '-y',
      '-f',
      'lavfi',
      '-t',
      t,
      '-i',
      `color=c=black:s=${width}x${height}:r=${fps}`,
      '-f',
      'lavfi',
      '-t',
      t,
      '-i',
      'anullsrc=r=48000:cl=stereo',
      ...this.done.flatMap((d) => ['-i', d.file]),
      '-filter_complex',
      buildFilterGraph(parts, this.order.length, this.o.layout),
      ...composedEncoderArgs(fps, { live: false }),
      '-t',
      t,
      '-f',
      'webm',
      `${this.o.filePath}.part`,
    ];
    this.o.logger.debug({ args }, 'composing the room recording');
    try {
      await runFfmpeg(this.o.ffmpegPath, args, Math.max(COMPOSE_TIMEOUT_MIN_MS, total * COMPOSE_TIMEOUT_PER_SECOND_MS));
      await rename(`${this.o.filePath}.part`, this.o.filePath);
      const bytes = (await stat(this.o.filePath)).size;
      return { ...result, bytes, durationSeconds: Math.round(total * 100) / 100 };
    } catch (e) {
      await rm(`${this.o.filePath}.part`, { force: true });
      return { ...result, failed: true, error: `composing failed: ${(e as Error).message}` };
    } finally {
      if (!process.env.ANYCHAT_KEEP_PARTS) for (const d of this.done) await rm(d.file, { force: true });
    }
  }
}

/**
 * The live composed recording (the default for "Record room" and flags 0x10/0x20/0x100/0x200):
 * the media node forwards the sources' RTP over loopback to an external ffmpeg that decodes,
 * composes and encodes as the recording runs (ComposeSegment). The set of streams one ffmpeg reads
 * never changes: a join, a leave, or a source that falls silent (paused, gone quiet) starts a new
 * segment, made before the old one is broken so no time is lost; the segments are joined with
 * `-f concat -c copy` on stop. A source that sends nothing is left out of the next segment (an
 * input without packets would hold ffmpeg's whole filter graph) and watched; when it sends again
 * it is composed again.
 *
 * Safety net: each source is also stream-copied (AfterStopRoomRecording, cheap). If the live
 * output covers less than LIVE_COVERAGE of the time it was fed (ffmpeg fell behind — seen on a
 * machine whose cores are oversubscribed), the file is composed from those parts instead;
 * otherwise the parts are deleted. `composition` in the result says which path made the file.
 */
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { blankResult } from './finishRecording';
import type { RecordingResult } from '../types';
import { AfterStopRoomRecording } from './AfterStopRoomRecording';
import { ComposeSegment, type SegmentEnd } from './ComposeSegment';
import type { ComposedRecording, CompositeSource, RoomRecordingOptions } from './composedRecording';
import { runFfmpeg } from './runFfmpeg';

export type { CompositeSource, RoomRecordingOptions } from './composedRecording';

/** how often the segment is checked for a stall, a failure or a silent / returning source */
const WATCH_MS = 2000;
/** a source that forwarded nothing this long is left out of the composition */
const SILENT_MS = 3000;
/** no new composed frame this long (or no first frame) means ffmpeg is held by an input */
const STALL_MS = 6000;
const FIRST_FRAME_MS = 12_000;
/** how long a new segment may take to compose its first frame before the old one is stopped anyway */
const HANDOVER_MS = 10_000;
const MAX_FAILED_STARTS = 5;
/** the live file must cover this share of the time it was fed, or the parts are composed instead */
const LIVE_COVERAGE = 0.8;

interface Done extends SegmentEnd {
  /** seconds of this segment kept (the rest overlaps the next one) */
  keep: number;
  /** wall-clock seconds of media it was fed (up to the next segment's start) */
  span: number;
  bytes: number;
  /** segments end out of order (handovers run in the background): joined by start time */
  order: number;
}

export class RoomRecording implements ComposedRecording {
  readonly startedAt = Date.now();
  /** sources in order of first appearance: their cell in the grid */
  private readonly order: string[] = [];
  private wanted: CompositeSource[] = [];
  /** producers left out because they sent nothing lately */
  private readonly silent = new Set<string>();
  private current?: { seg: ComposeSegment; signature: string };
  private readonly done: Done[] = [];
  private chain: Promise<void> = Promise.resolve();
  private segNo = 0;
  private readonly handovers: Promise<void>[] = [];
  /** wall-clock seconds of media the segments were fed */
  private fed = 0;
  private failedStarts = 0;
  private stopped = false;
  private readonly watchdog: NodeJS.Timeout;
  private readonly safetyNet: AfterStopRoomRecording;

  constructor(private readonly o: RoomRecordingOptions) {
    this.safetyNet = new AfterStopRoomRecording(o);
    this.watchdog = setInterval(() => void this.serialize(() => this.watch()), WATCH_MS);
    this.watchdog.unref();
  }

  get elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  get bytesSoFar(): number {
    return this.done.reduce((n, d) => n + d.bytes, 0) + (this.current?.seg.bytes ?? 0);
  }

  /**
   * Sets the current sources; the composition follows them (serialized, in the background: an
   * ffmpeg start-up can take seconds on a busy machine). Resolves once the parts of the safety
   * net have started, and rejects if they could not.
   */
  update(sources: CompositeSource[]): Promise<void> {
    const net = this.safetyNet.update(sources);
    void this.serialize(async () => {
      this.wanted = sources.filter((s) => s.producerIds.length > 0);
      for (const s of this.wanted) if (!this.order.includes(s.key)) this.order.push(s.key);
      await this.recompose();
    }).catch(() => undefined);
    return net;
  }

  private serialize(fn: () => Promise<void>): Promise<void> {
    const run = this.chain.then(() => (this.stopped ? undefined : fn()));
    this.chain = run.catch((err) => this.o.logger.error({ err }, 'live composition update failed'));
    return run;
  }

  /** Starts a segment for the sources that publish and send now, unless the current one has them. */
  private async recompose(): Promise<void> {
    const sources = this.wanted
      .map((s) => ({ source: this.order.indexOf(s.key), producerIds: s.producerIds.filter((id) => !this.silent.has(id)).sort() }))
      .filter((s) => s.producerIds.length > 0);
    const signature = JSON.stringify([this.order.length, sources]);
    if (this.current?.signature === signature && !this.current.seg.exitedEarly) return;
    const old = this.current;
    this.current = undefined;
    if (sources.length > 0) {
      const base = path.basename(this.o.filePath, '.webm');
      const seg = await ComposeSegment.start({
        node: this.o.node,
        router: this.o.router,
        ffmpegPath: this.o.ffmpegPath,
        file: path.join(path.dirname(this.o.filePath), `${base}.seg${this.segNo++}.webm`),
        layout: this.o.layout,
        cells: this.order.length,
        sources,
        watched: this.wanted.flatMap((s) => s.producerIds).filter((id) => this.silent.has(id)),
        logger: this.o.logger,
      });
      this.current = { seg, signature };
    }
    if (!old) return;
    // make before break: the old segment runs until the new one composes (in the background)
    const next = this.current?.seg;
    const handover = next && !old.seg.exitedEarly ? Promise.race([next.firstFrame, sleep(HANDOVER_MS)]) : Promise.resolve();
    this.handovers.push(handover.then(() => this.finishSegment(old.seg, next)));
  }

  private async finishSegment(seg: ComposeSegment, next?: ComposeSegment): Promise<void> {
    const order = seg.forwardStartedAt;
    const end = await seg.stop(!next);
    // a segment's output starts at its first forwarded packet: this one is kept up to where the next begins
    const span = ((next?.forwardStartedAt ?? seg.forwardStoppedAt ?? Date.now()) - seg.forwardStartedAt) / 1000;
    const keep = Math.min(end.seconds, Math.max(0, span));
    const bytes = await stat(end.file).then(
      (s) => s.size,
      () => 0,
    );
    if (end.error) this.o.logger.warn({ error: end.error, file: end.file }, 'a live composition segment failed');
    this.o.logger.debug({ ...end, bytes, keep, frames: seg.frames }, 'live composition segment ended');
    if (bytes > 0 && keep > 0) this.done.push({ ...end, bytes, keep, span, order });
    else await rm(end.file, { force: true });
    this.fed += span;
  }

  /** Stalls, failures, sources gone silent or back. */
  private async watch(): Promise<void> {
    const cur = this.current;
    const now = Date.now();
    if (cur?.seg.exitedEarly) {
      if (++this.failedStarts > MAX_FAILED_STARTS) return;
      this.o.logger.warn({ failedStarts: this.failedStarts }, 'live composition ffmpeg exited: restarting the segment');
      return this.recompose();
    }
    if (!cur) return;
    if (cur.seg.frames > 0) this.failedStarts = 0;
    const stats = await cur.seg.stats();
    let changed = false;
    for (const [id, s] of Object.entries(stats)) {
      const quiet = s.lastPacketAgoMs === null ? now - cur.seg.startedAt > SILENT_MS : s.lastPacketAgoMs > SILENT_MS;
      if (this.silent.has(id) && !quiet) changed = this.silent.delete(id) || changed;
      else if (!this.silent.has(id) && quiet) {
        this.silent.add(id);
        changed = true;
      }
    }
    const stalled = cur.seg.frames === 0 ? now - cur.seg.startedAt > FIRST_FRAME_MS : now - cur.seg.lastProgressAt > STALL_MS;
    if (changed) {
      this.o.logger.info({ silent: [...this.silent] }, 'live composition: sources changed, new segment');
      return this.recompose();
    }
    if (stalled) {
      this.o.logger.warn('live composition stalled: asking for a keyframe');
      await cur.seg.requestKeyFrame();
    }
  }

  /** Ends the composition and joins its segments into the final file. */
  async stop(): Promise<RecordingResult> {
    this.stopped = true;
    const stoppedAt = Date.now();
    // the safety net's parts end now (their offsets follow from when they end), not after the live drain
    const partsEnded = this.safetyNet.endParts();
    clearInterval(this.watchdog);
    await this.chain;
    if (this.current) this.handovers.push(this.finishSegment(this.current.seg));
    this.current = undefined;
    await Promise.all(this.handovers);
    this.done.sort((a, b) => a.order - b.order);
    const result = blankResult(this.o.filePath, this.o.flags);
    await partsEnded;
    const live = this.done.reduce((n, d) => n + d.keep, 0);
    if (this.fed === 0 || live < LIVE_COVERAGE * this.fed) {
      this.o.logger.warn({ liveSeconds: live, fedSeconds: this.fed }, 'the live composition fell behind: composing the recorded parts instead');
      await this.removeSegments();
      return { ...(await this.safetyNet.stop(stoppedAt)), composition: 'afterStop' };
    }
    await this.safetyNet.discard();
    const list = `${this.o.filePath}.concat.txt`;
    const quote = (f: string) => `'${f.replace(/'/g, "'\\''")}'`;
    await writeFile(list, this.done.map((d) => `file ${quote(d.file)}\noutpoint ${d.keep.toFixed(3)}\n`).join(''));
    try {
      await runFfmpeg(this.o.ffmpegPath, ['-y', '-f', 'concat', '-safe', '0', '-i', list, '-c', 'copy', '-f', 'webm', `${this.o.filePath}.part`]);
      await rename(`${this.o.filePath}.part`, this.o.filePath);
      const bytes = (await stat(this.o.filePath)).size;
      const seconds = this.done.reduce((n, d) => n + d.keep, 0);
      return { ...result, bytes, durationSeconds: Math.round(seconds * 100) / 100, composition: 'live' };
    } catch (e) {
      await rm(`${this.o.filePath}.part`, { force: true });
      return { ...result, failed: true, error: `joining the composition failed: ${(e as Error).message}` };
    } finally {
      await rm(list, { force: true });
      await this.removeSegments();
    }
  }

  private async removeSegments(): Promise<void> {
    if (!process.env.ANYCHAT_KEEP_PARTS) for (const d of this.done) await rm(d.file, { force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * MediaNode: the local SFU. Owns N media workers (worker_threads, one engine each), spreads routers
 * across them, restarts crashed workers, and runs server-side recordings.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Logger } from 'pino';
import { Router, type Producer } from './api';
import { EngineContext } from './EngineContext';
import { InProcessHost, WorkerHost, defaultWorkerScript, type EngineHost } from './channel';
import type { EngineSettings, RecordingLiveFile } from './engine/protocol';
import { EnhancedEmitter } from './EnhancedEmitter';
import { RecordFlags, type AppData, type RecordingResult } from './types';
import { finishRecording } from './recorder/finishRecording';
import type { RtpForwardStats, RtpTarget } from './recorder/RtpForwarder';
import type { RouterMediaCodec } from './ortc';

export interface MediaNodeOptions {
  listenIp: string;
  announcedIp: string | null;
  rtcMinPort: number;
  rtcMaxPort: number;
  /** offer a UDP host candidate (default true) */
  enableUdp?: boolean;
  /** offer a passive ICE-TCP host candidate on a port of the same range (default true) */
  enableTcp?: boolean;
  /** rank the UDP candidate above the TCP one (default true) */
  preferUdp?: boolean;
  /** media workers; default one per core. 0 = run the engine in-process (tests, benches). */
  numWorkers?: number;
  recordingsDir: string;
  logger: Logger;
  /** worker entry override (default: next to this module, TS source under tsx or bundled JS) */
  workerScript?: string;
  workerExecArgv?: string[];
  /** ffmpeg used to finish files (WebM Cues, MP4 index), snapshots and compositions; null = none (files stay as muxed live) */
  ffmpegPath?: string | null;
  /** close a connected transport after this long without traffic/consent checks (default 30 s) */
  iceConsentTimeoutMs?: number;
  /** close a transport that never gets connected after this long (default 60 s) */
  iceConnectTimeoutMs?: number;
}

export type MediaNodeEvents = {
  /** a media worker crashed; map to server message 14 with lParam = workerId. Its routers got 'workerclose'. */
  workerdied: [{ workerId: number; error: Error; routerIds: string[] }];
  workerrestarted: [{ workerId: number }];
  /** a recording ended on its own (write error such as a full disk); `result` is the kept, finished file */
  recordingerror: [{ recordingId: string; error: Error; result?: RecordingResult }];
  close: [];
};

export interface RecordingHandle {
  recordingId: string;
  routerId: string;
  userId: string | number;
  flags: number;
  startedAt: number;
}

/** Where the engine writes a recording (its answer to recorder.start). */
type LiveFile = RecordingLiveFile;

export class MediaNode extends EnhancedEmitter<MediaNodeEvents> {
  private readonly contexts: EngineContext[] = [];
  readonly routers = new Map<string, Router>();
  private readonly recordings = new Map<string, RecordingHandle & { workerId: number; live: LiveFile }>();
  closed = false;
  private readonly settings: EngineSettings;
  private readonly logger: Logger;

  private constructor(private readonly opts: MediaNodeOptions) {
    super((event, err) => opts.logger.error({ event, err }, 'media node listener threw'));
    this.logger = opts.logger;
    this.settings = {
      listenIp: opts.listenIp,
      announcedIp: opts.announcedIp,
      rtcMinPort: opts.rtcMinPort,
      rtcMaxPort: opts.rtcMaxPort,
      enableUdp: opts.enableUdp ?? true,
      enableTcp: opts.enableTcp ?? true,
      preferUdp: opts.preferUdp ?? true,
      recordingsDir: opts.recordingsDir,
      iceConsentTimeoutMs: opts.iceConsentTimeoutMs,
      iceConnectTimeoutMs: opts.iceConnectTimeoutMs,
    };
  }

  static async create(opts: MediaNodeOptions): Promise<MediaNode> {
    if (!(opts.rtcMinPort > 0 && opts.rtcMaxPort >= opts.rtcMinPort && opts.rtcMaxPort <= 65535)) throw new RangeError('invalid rtc port range');
    if (opts.enableUdp === false && opts.enableTcp === false) throw new RangeError('enableUdp and enableTcp cannot both be false');
    const node = new MediaNode(opts);
    const n = opts.numWorkers ?? availableParallelism();
    if (n === 0) {
      node.addContext(await InProcessHost.create(0, node.settings, node.logger));
    } else {
      const hosts = await Promise.all(Array.from({ length: n }, (_, i) => node.spawn(i + 1)));
      for (const h of hosts) node.addContext(h);
    }
    node.logger.info({ workers: n, ports: [opts.rtcMinPort, opts.rtcMaxPort] }, 'media node started');
    return node;
  }

  get workerIds(): number[] {
    return this.contexts.map((c) => c.workerId);
  }

  /** Each worker's event-loop utilisation (0–1) since the previous call (metrics). */
  workerLoad(): { workerId: number; utilization: number }[] {
    return this.contexts.map((c) => ({ workerId: c.workerId, utilization: c.host.eventLoopUtilization?.() ?? 0 }));
  }

  /** Server recordings running now. */
  get activeRecordingCount(): number {
    return this.recordings.size;
  }

  private spawn(workerId: number): Promise<EngineHost> {
    const script = this.opts.workerScript
      ? { file: this.opts.workerScript, execArgv: this.opts.workerExecArgv ?? (this.opts.workerScript.endsWith('.ts') ? ['--import', 'tsx'] : []) }
      : defaultWorkerScript();
    return WorkerHost.create(workerId, this.settings, this.logger, script);
  }

  private addContext(host: EngineHost, ctx = new EngineContext(host, (event, err) => this.logger.error({ event, err }, 'media listener threw'))) {
    ctx.host = host;
    host.onNotification = (n) => {
      if (n.event === 'recordingerror') {
        const rec = this.recordings.get(n.targetId);
        if (!rec) return;
        const error = new Error(n.data.message);
        this.recordings.delete(n.targetId);
        this.logger.error({ recordingId: n.targetId, err: error }, 'recording failed');
        void this.finishFailed(n.targetId, rec, error);
        return;
      }
      ctx.dispatch(n);
    };
    host.onDied = (error) => void this.onWorkerDied(ctx, error);
    if (!this.contexts.includes(ctx)) this.contexts.push(ctx);
  }

  /** A recording that stopped on its own: keep and finish what was written, then report it. */
  private async finishFailed(recordingId: string, rec: RecordingHandle & { live: LiveFile }, error: Error) {
    const raw: RecordingResult = { ...rec.live, durationSeconds: (Date.now() - rec.startedAt) / 1000, bytes: 0, flags: rec.flags, failed: true };
    const result = await finishRecording(raw, { ffmpegPath: this.opts.ffmpegPath ?? null, writeError: error });
    this.emit('recordingerror', { recordingId, error, result });
  }

  private async onWorkerDied(ctx: EngineContext, error: Error) {
    const workerId = ctx.workerId;
    this.logger.error({ workerId, err: error }, 'media worker died');
    const routers = [...this.routers.values()].filter((r) => r.ctx === ctx);
    for (const [id, rec] of this.recordings) {
      if (rec.workerId !== workerId) continue;
      this.recordings.delete(id);
      void this.finishFailed(id, rec, new Error(`media worker ${workerId} died`));
    }
    for (const r of routers) {
      this.routers.delete(r.id);
      r.closeInternal(true);
    }
    this.emit('workerdied', { workerId, error, routerIds: routers.map((r) => r.id) });
    if (this.closed) return;
    for (let attempt = 0; attempt < 5 && !this.closed; attempt++) {
      try {
        const host = await this.spawn(workerId);
        if (this.closed) {
          await host.close();
          return;
        }
        this.addContext(host, ctx);
        this.logger.info({ workerId }, 'media worker restarted');
        this.emit('workerrestarted', { workerId });
        return;
      } catch (e) {
        this.logger.error({ workerId, err: e }, 'media worker restart failed');
        await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      }
    }
  }

  /** Create a router on the least-loaded worker. */
  async createRouter(appData: AppData = {}, options: { mediaCodecs?: RouterMediaCodec[] } = {}): Promise<Router> {
    if (this.closed) throw new Error('media node closed');
    const load = (c: EngineContext) => [...this.routers.values()].filter((r) => r.ctx === c).length;
    const ctx = [...this.contexts].sort((a, b) => load(a) - load(b))[0];
    const router = await Router.create(ctx, appData, options.mediaCodecs);
    this.routers.set(router.id, router);
    router.once('close', () => this.routers.delete(router.id));
    return router;
  }

  /**
   * Start a server-side recording of one user's producers (Opus audio + VP8 video → WebM).
   * flags: RecordFlags bit mask (0x1 video, 0x2 audio; neither = both).
   */
  async startRecording({
    router,
    userId,
    producers,
    flags,
    fileBaseName,
  }: {
    router: Router;
    userId: string | number;
    producers: (Producer | string)[];
    flags: number;
    fileBaseName?: string;
  }): Promise<RecordingHandle> {
    if (router.closed) throw new Error('router closed');
    if (flags & RecordFlags.SNAPSHOT) {
      if (!this.opts.ffmpegPath) throw new Error('a snapshot needs ffmpeg (recording.ffmpegPath, @ffmpeg-installer/ffmpeg or PATH)');
      flags = (flags & ~RecordFlags.AUDIO) | RecordFlags.VIDEO; // one video frame
    }
    const recordingId = randomUUID();
    const startedAt = Date.now();
    const stamp = new Date(startedAt).toISOString().replace(/[:.]/g, '-');
    const live = await router.ctx.request('recorder.start', {
      recordingId,
      routerId: router.id,
      producerIds: producers.map((p) => (typeof p === 'string' ? p : p.id)),
      flags,
      fileBaseName: fileBaseName ?? `${flags & RecordFlags.SNAPSHOT ? 'snap' : 'rec'}_${userId}_${stamp}`,
    });
    const handle = { recordingId, routerId: router.id, userId, flags, startedAt };
    this.recordings.set(recordingId, { ...handle, workerId: router.workerId, live });
    return handle;
  }

  async stopRecording(recording: RecordingHandle | string): Promise<RecordingResult> {
    const id = typeof recording === 'string' ? recording : recording.recordingId;
    const rec = this.recordings.get(id);
    if (!rec) throw new Error(`recording ${id} not found (stopped, failed or its worker died)`);
    this.recordings.delete(id);
    const router = this.routers.get(rec.routerId);
    const ctx = router?.ctx ?? this.contexts.find((c) => c.workerId === rec.workerId)!;
    const raw = await ctx.request('recorder.stop', { recordingId: id });
    return finishRecording(raw, { ffmpegPath: this.opts.ffmpegPath ?? null, writeError: raw.failed ? new Error('write error') : undefined });
  }

  /**
   * Live composition: send producers' RTP to loopback UDP ports (an external ffmpeg reads them
   * through an SDP). Target port 0 only watches a producer's liveness. Returns the forward's id.
   */
  async startRtpForward(router: Router, targets: RtpTarget[]): Promise<string> {
    if (router.closed) throw new Error('router closed');
    const forwardId = randomUUID();
    await router.ctx.request('rtpout.start', { forwardId, routerId: router.id, targets });
    return forwardId;
  }

  requestRtpForwardKeyFrame(router: Router, forwardId: string): Promise<unknown> {
    return router.ctx.request('rtpout.requestKeyFrame', { forwardId });
  }

  rtpForwardStats(router: Router, forwardId: string): Promise<RtpForwardStats> {
    return router.ctx.request('rtpout.stats', { forwardId });
  }

  async stopRtpForward(router: Router, forwardId: string): Promise<RtpForwardStats> {
    if (router.closed) return {};
    return router.ctx.request('rtpout.stop', { forwardId });
  }

  /** Snapshots and compositions need ffmpeg. */
  get hasFfmpeg(): boolean {
    return Boolean(this.opts.ffmpegPath);
  }

  get ffmpegPath(): string | null {
    return this.opts.ffmpegPath ?? null;
  }

  get recordingsDir(): string {
    return this.opts.recordingsDir;
  }

  /** The file a recording in progress is writing (to show its size live). */
  liveFileOf(recordingId: string): string | undefined {
    return this.recordings.get(recordingId)?.live.livePath;
  }

  /** Recordings in progress (ids), e.g. to finish them all before a shutdown. */
  get activeRecordingIds(): string[] {
    return [...this.recordings.keys()];
  }

  /** Test/diagnostic hook: crash a worker on purpose. */
  async crashWorker(workerId: number): Promise<void> {
    const ctx = this.contexts.find((c) => c.workerId === workerId);
    if (!ctx) throw new Error(`no worker ${workerId}`);
    await ctx.request('engine.crash', {}).catch(() => {});
  }

  async dump() {
    return Promise.all(this.contexts.map(async (c) => ({ workerId: c.workerId, ...(await c.request('engine.dump', {}).catch(() => ({}))) })));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const r of [...this.routers.values()]) r.close();
    this.routers.clear();
    await Promise.all(this.contexts.map((c) => c.host.close().catch(() => {})));
    this.emit('close');
  }
}

/**
 * Observability of a running core: history and room timelines (HistoryRecorder → HistoryStore),
 * per-participant quality (MediaWatcher), alert rules (AlertBook) and the Prometheus registry
 * (Metrics). The core builds it once every component is up and closes it first on stop.
 */
import type { Logger } from 'pino';
import type { AlertRecord } from '../../shared/ipc/observability';
import type { BusinessLayer } from '../business';
import type { Config } from '../config/schema';
import { TypedEmitter } from '../util/TypedEmitter';
import type { Gateway } from '../gateway';
import type { MediaNode } from '../media';
import type { AnyChatSdk } from '../sdk';
import type { SignalingServer } from '../signaling';
import type { Db } from '../store/Database';
import { AlertBook } from './AlertBook';
import { HistoryRecorder } from './HistoryRecorder';
import { HistoryStore } from './HistoryStore';
import { MediaWatcher } from './MediaWatcher';
import { Metrics } from './Metrics';

export interface ObservabilityDeps {
  db: Db;
  config: Pick<Config, 'history' | 'alerts'> & { dataDir: string };
  logger: Logger;
  sdk: AnyChatSdk;
  business: BusinessLayer;
  media: MediaNode;
  signaling: SignalingServer;
  gateway: Gateway;
  ready: () => boolean;
}

export class Observability extends TypedEmitter<{ alert: AlertRecord }> {
  readonly history: HistoryStore;
  readonly recorder: HistoryRecorder | null;
  readonly watcher: MediaWatcher;
  readonly alerts: AlertBook;
  readonly metrics: Metrics;
  private readonly disposers: (() => void)[] = [];
  private readonly diskTimer: NodeJS.Timeout;

  constructor(d: ObservabilityDeps) {
    super();
    const { config } = d;
    const log = d.logger;
    // Said once per outage: a full disk must not flood the log either.
    this.history = new HistoryStore(d.db, {
      retentionDays: config.history.retentionDays,
      qualityRetentionHours: config.history.qualityRetentionHours,
      onError: (err, what) => log.error({ err, what }, 'history could not be written; dropping rows until the store accepts writes again'),
      onRecovered: (droppedRows) => log.warn({ droppedRows }, 'history writes work again'),
    });
    this.recorder = config.history.enabled ? new HistoryRecorder(this.history, d.sdk, d.business) : null;
    let sampleFailing = false;
    this.watcher = new MediaWatcher(
      d.media,
      (router) => d.signaling.roomMedia?.roomOfRouterId(router.id) ?? null,
      1000,
      (err) => {
        if (!sampleFailing) log.error({ err }, 'media quality sample failed');
        sampleFailing = true;
      },
    );
    this.alerts = new AlertBook(d.db, config.alerts);
    const outbox = d.gateway.outbox;
    this.metrics = new Metrics({
      rooms: () => d.business.listRooms().length,
      users: () => d.sdk.onlineUserCount(),
      producers: () => this.watcher.last.producers,
      consumers: () => this.watcher.last.consumers,
      signalingConnections: () => d.signaling.connectionCount,
      forwardedPacketsTotal: () => this.watcher.forwardedPacketsTotal,
      forwardedPacketsPerSecond: () => this.watcher.last.forwardedPacketsPerSecond,
      workerLoad: () => d.media.workerLoad(),
      outboxDepth: () => outbox.depth(),
      webhookAttempts: () => outbox.attempts,
      recordingsActive: () => d.media.activeRecordingCount,
      activeCalls: () => d.sdk.listCalls().length,
      ready: d.ready,
    });
    this.disposers.push(
      this.watcher.on('sample', (s) => {
        if (this.recorder) for (const p of s.points) this.history.addQuality(p);
        this.alerts.onSample(s);
      }),
      this.watcher.on('publish', (p) => p.roomId && this.recorder?.roomEvent(p.roomId, 'publish', p.userId, p.kind)),
      this.watcher.on('unpublish', (p) => p.roomId && this.recorder?.roomEvent(p.roomId, 'unpublish', p.userId, p.kind)),
      this.alerts.on('raised', (a) => {
        this.metrics.alerts.inc({ rule: a.rule });
        log.warn({ alert: a.rule, subject: a.subject, detail: a.detail }, a.title);
        this.emit('alert', a);
      }),
      d.sdk.on('login', () => this.metrics.logins.inc()),
      d.sdk.on('enterRoom', () => this.metrics.roomEnters.inc()),
      // Never let a failing read throw into the gateway's emitter (its outbox worker).
      d.gateway.on('outboxChanged', () => {
        outbox.depth().then(
          (depth) => this.alerts.onOutboxDepth(depth),
          (err: unknown) => log.warn({ err }, 'webhook dead-letter check failed'),
        );
      }),
    );
    const onRestart = ({ workerId }: { workerId: number }) =>
      this.alerts.onWorkerRestarted(workerId, 'the worker died and was restarted; its rooms lost their media');
    d.media.on('workerrestarted', onRestart);
    this.disposers.push(() => d.media.off('workerrestarted', onRestart));
    const onRecordingError = ({ recordingId, error }: { recordingId: string; error: Error }) => this.alerts.onRecordingFailed(recordingId, error.message);
    d.media.on('recordingerror', onRecordingError);
    this.disposers.push(() => d.media.off('recordingerror', onRecordingError));
    outbox.depth().then(
      (depth) => this.alerts.onOutboxDepth(depth),
      (err: unknown) => log.warn({ err }, 'webhook dead-letter check failed'),
    );
    this.watcher.start();
    const disk = () => void this.alerts.checkDisk(config.dataDir);
    disk();
    this.diskTimer = setInterval(disk, 60_000);
    this.diskTimer.unref();
  }

  close(): void {
    clearInterval(this.diskTimer);
    this.watcher.stop();
    this.disposers.splice(0).forEach((fn) => fn());
    this.recorder?.close();
    this.history.close();
  }
}

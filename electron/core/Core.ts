/**
 * The composition root: the only place that knows every component. It builds them in order
 * (store → SDK → media → signaling → business → gateway → HTTP), starts them, reports each one's
 * state on the status board, and stops them in reverse order.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ServerMessages, Codes } from '../../shared/codes';
import { AuditLog, auditMigrations } from '../audit/AuditLog';
import { OperatorAuth } from '../auth/OperatorAuth';
import { BusinessLayer, businessMigrations } from '../business';
import { DOWNLOAD_PREFIX, Gateway, gatewayMigrations, SdkPlatform } from '../gateway';
import { MediaNode } from '../media';
import { AnyChatSdk, InProcessRoomTable, InProcessSessionTable, sdkMigrations } from '../sdk';
import { SignalingServer, attachMediaNode } from '../signaling';
import { OperatorRepository, operatorMigrations } from '../auth/operatorRepository';
import type { LoadedConfig } from '../config/loadConfig';
import { HttpServer } from '../http/HttpServer';
import { sendJson } from '../http/httpUtil';
import { staticFiles } from '../http/staticFiles';
import { openDatabase, runMigrations, type Db, type Migration } from '../store/Database';
import { StatusBoard } from './StatusBoard';

export interface CoreOptions {
  config: LoadedConfig;
  logger: Logger;
  /** Directory with the built renderer (console index.html, demo/). */
  rendererDir: string;
}

/** The components the core built; present once `start()` resolved. */
export interface CoreComponents {
  sdk: AnyChatSdk;
  media: MediaNode;
  signaling: SignalingServer;
  business: BusinessLayer;
  platform: SdkPlatform;
  gateway: Gateway;
}

/** Something the core started and must stop, in reverse order. */
interface Stoppable {
  name: string;
  stop(): Promise<void> | void;
}

export class Core {
  readonly status = new StatusBoard();
  readonly http: HttpServer;
  readonly startedAt = Date.now();
  private readonly stoppables: Stoppable[] = [];
  private readonly finalClosers: (() => void)[] = [];
  private stopping: Promise<void> | null = null;
  private built: CoreComponents | null = null;
  readonly audit: AuditLog;

  private constructor(
    readonly config: LoadedConfig,
    readonly logger: Logger,
    readonly db: Db,
    readonly operatorAuth: OperatorAuth,
  ) {
    this.http = new HttpServer(logger.child({ component: 'http' }));
    this.audit = new AuditLog(db, logger.child({ component: 'audit' }));
  }

  /** The running components (throws before `start()`). */
  get components(): CoreComponents {
    if (!this.built) throw new Error('core not started');
    return this.built;
  }

  static async create(opts: CoreOptions): Promise<Core> {
    const { config, logger } = opts;
    mkdirSync(config.dataDir, { recursive: true });
    const db = openDatabase(config.dataDir, logger);
    const migrations: Migration[] = [...operatorMigrations, ...auditMigrations, ...sdkMigrations, ...gatewayMigrations, ...businessMigrations];
    runMigrations(db, migrations, logger);
    const operatorAuth = await OperatorAuth.create({
      repo: new OperatorRepository(db),
      config,
      dataDir: config.dataDir,
      logger: logger.child({ component: 'auth' }),
    });
    const core = new Core(config, logger, db, operatorAuth);
    core.status.set('core', 'starting', 'store open');
    core.mountBaseRoutes(opts.rendererDir);
    return core;
  }

  private register(name: string, stop: () => Promise<void> | void): void {
    this.stoppables.push({ name, stop });
  }

  /** Builds and starts every component in order, then the HTTP listener. Returns the URL. */
  async start(): Promise<string> {
    const { config, logger } = this;
    // Live state tables: in-process here; a cluster would pass shared (e.g. Redis) tables instead.
    const sdk = await AnyChatSdk.create({
      sessions: new InProcessSessionTable(),
      rooms: new InProcessRoomTable(),
      db: this.db,
      logger: logger.child({ component: 'sdk' }),
      users: config.users.map((u) => ({ ...u, password: u.password ?? '' })),
      settings: { ...config.signaling, guestLogin: config.guestLogin },
      tempDir: path.join(config.dataDir, 'transfers'),
    });
    this.register('sdk', () => sdk.close());
    // A record-server error reported through the SDK (seed message 11) shows on the status bar.
    sdk.on('serverMessage', ({ msg, wParam }) => {
      if (msg === ServerMessages.RECORD_SERVER_CONN && wParam !== 0) this.status.set('recorder', 'degraded', `record server error ${wParam}`, wParam);
    });

    this.status.set('media', 'starting', 'spawning media workers');
    this.status.set('recorder', 'starting', 'waiting for the media node');
    const recordingsDir = path.join(config.dataDir, 'recordings');
    mkdirSync(recordingsDir, { recursive: true });
    let media: MediaNode;
    try {
      media = await MediaNode.create({
        listenIp: config.media.listenIp,
        announcedIp: config.media.announcedIp,
        rtcMinPort: config.media.rtcMinPort,
        rtcMaxPort: config.media.rtcMaxPort,
        numWorkers: config.media.numWorkers,
        recordingsDir,
        logger: logger.child({ component: 'media' }),
      });
    } catch (err) {
      this.status.set('media', 'down', `media node failed to start: ${(err as Error).message}`, Codes.UNAVAILABLE);
      throw err;
    }
    this.register('media', async () => {
      await media.close();
      this.status.set('media', 'stopped', 'stopped');
      this.status.set('recorder', 'stopped', 'stopped');
    });
    const workers = () => `${media.workerIds.length} worker(s), UDP ${config.media.rtcMinPort}–${config.media.rtcMaxPort}`;
    this.status.set('media', 'up', workers());
    this.status.set('recorder', 'up', `recording to ${recordingsDir}`);
    media.on('workerdied', ({ workerId, error }) =>
      this.status.set('media', 'degraded', `worker ${workerId} died (${error.message}); restarting`, Codes.UNAVAILABLE),
    );
    media.on('workerrestarted', () => this.status.set('media', 'up', workers()));
    media.on('recordingerror', ({ recordingId, error }) =>
      this.status.set('recorder', 'degraded', `recording ${recordingId} failed: ${error.message}`, Codes.INTERNAL),
    );

    // Media rows and the recorder plug into the SDK here; unplugged before the media node stops.
    const mediaWiring = attachMediaNode(sdk, media, logger.child({ component: 'signaling' }));
    this.register('media-wiring', () => mediaWiring.detach());
    const signaling = await SignalingServer.create({
      sdk,
      media: mediaWiring.requests,
      logger: logger.child({ component: 'signaling' }),
      settings: config.signaling,
    });
    this.http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
    this.register('signaling', async () => {
      await signaling.close();
      this.status.set('signaling', 'stopped', 'stopped');
    });

    const business = await BusinessLayer.create({ sdk, db: this.db, config, logger: logger.child({ component: 'business' }) });
    this.register('rooms', async () => {
      await business.close();
      this.status.set('rooms', 'stopped', 'stopped');
    });
    this.status.set('gateway', 'starting', 'loading apps and the notice outbox');
    const platform = await SdkPlatform.create({ sdk, db: this.db, logger: logger.child({ component: 'gateway-platform' }) });
    this.register('gateway-platform', () => platform.close());
    const gateway = await Gateway.create({
      db: this.db,
      config,
      logger: logger.child({ component: 'gateway' }),
      platform,
      publicBaseUrl: () => this.http.url,
    });
    this.http.route('*', '/gateway', gateway.handle);
    this.http.mount(DOWNLOAD_PREFIX, gateway.handleDownload);
    this.register('gateway', async () => {
      await gateway.close();
      this.status.set('gateway', 'stopped', 'stopped');
    });
    this.built = { sdk, media, signaling, business, platform, gateway };

    const addr = await this.http.listen(config.listen.host, config.listen.port);
    this.status.set('signaling', 'up', `clients on ws://${addr.address}:${addr.port}/ws`);
    this.status.set('rooms', 'up', 'rooms, mic seats and queues');
    this.status.set('gateway', 'up', `${config.apps.length} app(s) at POST /gateway`);
    sdk.reportServerMessage(ServerMessages.LOGIN_SERVER_CONN, 0, 0);
    sdk.reportServerMessage(ServerMessages.ROOM_SERVER_CONN, 0, 0);
    sdk.reportServerMessage(ServerMessages.RECORD_SERVER_CONN, 0, 0);
    sdk.reportServerMessage(ServerMessages.MEDIA_SERVER_CONN, 0, 0);
    this.status.set('core', 'up', `listening on ${addr.address}:${addr.port}`);
    this.logger.info({ url: this.http.url }, 'core started');
    return this.http.url;
  }

  /** Graceful shutdown: stop accepting, flush, close components in reverse order. Idempotent. */
  stop(): Promise<void> {
    if (!this.stopping) this.stopping = this.doStop();
    return this.stopping;
  }

  /** Runs after every component stopped, just before the last connections close (console sockets). */
  onFinalClose(fn: () => void): void {
    this.finalClosers.push(fn);
  }

  private async doStop(): Promise<void> {
    this.logger.info('core stopping');
    this.http.stopAccepting();
    for (const s of [...this.stoppables].reverse()) {
      try {
        await s.stop();
      } catch (err) {
        this.logger.error({ err, component: s.name }, 'component failed to stop cleanly');
      }
    }
    this.status.set('core', 'stopped', 'stopped');
    for (const fn of this.finalClosers) {
      try {
        fn();
      } catch (err) {
        this.logger.error({ err }, 'final closer failed');
      }
    }
    await this.http.close();
    try {
      this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
      this.db.close();
    } catch (err) {
      this.logger.error({ err }, 'store failed to close cleanly');
    }
    this.logger.info('core stopped');
  }

  private mountBaseRoutes(rendererDir: string): void {
    this.http.route('GET', '/healthz', (_req, res) => {
      const ok = this.status.allUp();
      sendJson(res, ok ? 200 : 503, ok ? { ok: true } : { ok: false, components: this.status.snapshot() });
    });
    this.http.mount('/demo', staticFiles(path.join(rendererDir, 'demo'), { urlPrefix: '/demo', fallback: 'index.html' }));
    this.http.mount('/', staticFiles(rendererDir, { urlPrefix: '/', fallback: 'index.html' }));
  }
}

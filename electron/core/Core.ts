/**
 * The composition root: the only place that knows every component. It builds them in order
 * (store → SDK → media → signaling → business → gateway → HTTP), starts them, reports each one's
 * state on the status board, and stops them in reverse order.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { Codes, ServerMessages } from '../../shared/codes';
import { AuditLog } from '../audit/AuditLog';
import { OperatorAuth } from '../auth/OperatorAuth';
import { BusinessLayer } from '../business';
import { DOWNLOAD_PREFIX, Gateway, SdkPlatform } from '../gateway';
import { findFfmpeg } from '../media/recorder/ffmpegLocator';
import { MediaNode } from '../media';
import { AnyChatSdk, InProcessRoomTable, InProcessSessionTable } from '../sdk';
import { ClusterNode } from '../cluster';
import { SignalingServer, attachMediaNode } from '../signaling';
import type { DemoInstall } from '../demo/DemoInstall';
import { OperatorRepository } from '../auth/operatorRepository';
import { ConfigError, type LoadedConfig } from '../config/loadConfig';
import { HttpServer } from '../http/HttpServer';
import { clientAddress, sendJson } from '../http/httpUtil';
import { ProxyTrust } from '../http/proxyTrust';
import { Observability } from '../observability/Observability';
import { staticFiles } from '../http/staticFiles';
import type { Db } from '../store/Database';
import { openStore, type Store } from '../store/openStore';
import { sharedPgMigrations, sqliteMigrations } from './storeSchema';
import { bridgeServerMessages } from './serverMessageBridge';
import { StatusBoard } from './StatusBoard';

export interface CoreOptions {
  config: LoadedConfig;
  logger: Logger;
  /** Directory with the built renderer (console index.html, demo/). */
  rendererDir: string;
  /** A demo install's sample content, started last and stopped first (`--demo`). */
  demo?: DemoInstall | null;
  /** A cluster node: its id and the shared PostgreSQL (absent: alone, on the embedded SQLite). */
  cluster?: { nodeId: string; postgresUrl: string };
}

/** The components the core built; present once `start()` resolved. */
export interface CoreComponents {
  sdk: AnyChatSdk;
  media: MediaNode;
  signaling: SignalingServer;
  business: BusinessLayer;
  platform: SdkPlatform;
  gateway: Gateway;
  observability: Observability;
  /** This host's node of a cluster (config `cluster`); null on a single host. */
  cluster: ClusterNode | null;
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
  demo: DemoInstall | null = null;
  /** True once every component is up, false again as soon as stop() begins (/readyz). */
  private ready = false;
  /** Who may scrape /metrics. */
  private readonly metricsAllow: ProxyTrust;

  private constructor(
    readonly config: LoadedConfig,
    readonly logger: Logger,
    readonly store: Store,
    readonly operatorAuth: OperatorAuth,
    /** Who holds this node's outbox leases ('local' alone). */
    readonly nodeId: string,
  ) {
    this.http = new HttpServer(logger.child({ component: 'http' }), { tls: readTls(config), trustProxy: config.trustProxy });
    this.metricsAllow = new ProxyTrust(config.metrics.allowFrom);
    this.audit = new AuditLog(store.shared, logger.child({ component: 'audit' }));
    // Sign-ins, good and failed, go into the audit log (a failed one without its user name).
    operatorAuth.on('signIn', (e) => {
      this.audit
        .append({
          operator: e.username ?? '',
          action: e.ok ? 'auth:signIn' : 'auth:signInFailed',
          target: `address ${e.address}`,
          params: { address: e.address, ...(e.reason ? { reason: e.reason } : {}) },
          result: e.ok ? 'ok' : 'error',
          errorCode: e.ok ? null : e.reason === 'throttled' ? Codes.TOO_MANY_REQUESTS : Codes.WRONG_CREDENTIALS,
          message: null,
        })
        .catch((err: unknown) => logger.error({ err }, 'sign-in not audited: the store failed'));
    });
  }

  /** The node's own SQLite. */
  get db(): Db {
    return this.store.local;
  }

  /** The running components (throws before `start()`). */
  get components(): CoreComponents {
    if (!this.built) throw new Error('core not started');
    return this.built;
  }

  static async create(opts: CoreOptions): Promise<Core> {
    const { config, logger } = opts;
    // The config key `cluster` (docs/cluster.md) makes this host a node on the shared PostgreSQL.
    const cluster = opts.cluster ?? config.cluster;
    mkdirSync(config.dataDir, { recursive: true });
    const store = await openStore({
      dataDir: config.dataDir,
      postgresUrl: cluster?.postgresUrl,
      logger,
      migrations: sqliteMigrations,
      pgMigrations: sharedPgMigrations,
    });
    const operatorAuth = await OperatorAuth.create({
      repo: new OperatorRepository(store.shared),
      config,
      dataDir: config.dataDir,
      logger: logger.child({ component: 'auth' }),
    });
    const core = new Core(config, logger, store, operatorAuth, cluster?.nodeId ?? 'local');
    core.demo = opts.demo ?? null;
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
    // Listen first so /healthz and /readyz answer 503 while the components start.
    const addr = await this.http.listen(config.listen.host, config.listen.port);
    const wsScheme = this.http.secure ? 'wss' : 'ws';
    // Live state tables: in-process on a single host; in a cluster, this node's plus a replica of the others' (docs/cluster.md).
    const cluster = config.cluster
      ? await ClusterNode.start({
          nodeId: config.cluster.nodeId,
          redisUrl: config.cluster.redisUrl,
          logger: logger.child({ component: 'cluster' }),
          // What other nodes link to (download URLs of files on this node's disk) and the Nodes panel shows.
          url: () => config.gateway.publicBaseUrl ?? this.http.url,
          mediaLoad: () => this.producerCount(),
        })
      : null;
    // Stops after the SDK: the sessions' logouts are announced to the other nodes first.
    if (cluster) this.register('cluster', () => cluster.stop());
    const sdk = await AnyChatSdk.create({
      sessions: cluster?.sessions ?? new InProcessSessionTable(),
      rooms: cluster?.rooms ?? new InProcessRoomTable(),
      ...(cluster ? { cluster: cluster.port } : {}),
      db: this.db,
      store: this.store.shared,
      ids: this.store.ids,
      logger: logger.child({ component: 'sdk' }),
      users: config.users.map((u) => ({ ...u, password: u.password ?? '' })),
      settings: { ...config.signaling, guestLogin: config.guestLogin },
      tempDir: path.join(config.dataDir, 'transfers'),
    });
    cluster?.attachSdk(sdk);
    this.register('sdk', () => sdk.close());
    // Messages 10–14 follow the components' real states (the signaling reports 10 itself when it
    // starts; media workers and the recorder report their own failures and recoveries).
    this.register(
      'server-messages',
      bridgeServerMessages(
        this.status,
        (msg, wParam, lParam) => sdk.reportServerMessage(msg, wParam, lParam),
        new Set([ServerMessages.RECORD_SERVER_CONN, ServerMessages.MEDIA_SERVER_CONN]),
        new Map([[ServerMessages.CORE_SERVER_CONN, 0]]),
      ),
    );
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
        enableUdp: config.media.enableUdp,
        enableTcp: config.media.enableTcp,
        preferUdp: config.media.preferUdp,
        numWorkers: config.media.numWorkers,
        recordingsDir,
        ffmpegPath: findFfmpeg(config.recording.ffmpegPath)?.path ?? null,
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
    media.on('recordingerror', ({ recordingId, error, result }) =>
      this.status.set('recorder', 'degraded', `recording ${recordingId} failed: ${error.message}`, result?.errorCode || Codes.INTERNAL),
    );

    // Media rows and the recorder plug into the SDK here; unplugged before the media node stops.
    const mediaWiring = attachMediaNode(sdk, media, logger.child({ component: 'signaling' }));
    this.register('media-wiring', () => {
      cluster?.attachMedia(null);
      mediaWiring.detach();
    });
    if (cluster) {
      // Media rows for rooms another node owns go there; this node serves the rooms it owns.
      mediaWiring.requests.forwarder = cluster.mediaForwarder;
      cluster.attachMedia(mediaWiring.requests);
    }
    const signaling = await SignalingServer.create({
      sdk,
      media: mediaWiring,
      logger: logger.child({ component: 'signaling' }),
      settings: config.signaling,
    });
    this.register('signaling', async () => {
      await signaling.close();
      this.status.set('signaling', 'stopped', 'stopped');
    });

    // Mic seats and the queue of a room are decided by the node that owns the room (docs/cluster.md).
    if (cluster) sdk.remote.runAtRoomOwner(['micRequest', 'micRelease', 'getMicState']);
    const business = await BusinessLayer.create({ sdk, db: this.db, store: this.store.shared, config, logger: logger.child({ component: 'business' }) });
    this.register('rooms', async () => {
      await business.close();
      this.status.set('rooms', 'stopped', 'stopped');
    });
    this.status.set('gateway', 'starting', 'loading apps and the notice outbox');
    const platform = await SdkPlatform.create({
      sdk,
      db: this.db,
      store: this.store.shared,
      logger: logger.child({ component: 'gateway-platform' }),
      // In a cluster a file's bytes stay on the node that wrote them: it serves and deletes them.
      ...(cluster ? { cluster: { nodeId: cluster.nodeId, deleteOnNode: (node: string, fileId: string) => cluster.deleteFileOn(node, fileId) } } : {}),
    });
    cluster?.attachFiles(platform.files);
    this.register('gateway-platform', () => platform.close());
    const gateway = await Gateway.create({
      db: this.db,
      store: this.store.shared,
      nodeId: this.nodeId,
      config,
      logger: logger.child({ component: 'gateway' }),
      platform,
      publicBaseUrl: () => this.http.url,
      ...(cluster ? { nodeBaseUrl: (node: string) => cluster.urlOf(node) } : {}),
    });
    this.http.route('*', '/gateway', gateway.handle);
    this.http.mount(DOWNLOAD_PREFIX, gateway.handleDownload);
    this.register('gateway', async () => {
      await gateway.close();
      this.status.set('gateway', 'stopped', 'stopped');
    });
    // Stops first: clients are logged out (reason 0) while the gateway still queues their notices.
    this.register('client-sessions', async () => {
      const n = await sdk.endAllSessions(Codes.LOGOUT_NORMAL);
      this.logger.info({ sessions: n }, 'client sessions closed');
    });
    // Sessions a crash left open: logged out (reason 100) now that the gateway listens; clients
    // reach /ws only after this, so no new login can be mistaken for one left open.
    await sdk.closeSessionsLeftOpen(cluster?.alreadyClosed);
    this.http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
    const observability = new Observability({
      db: this.db,
      config,
      logger: logger.child({ component: 'observability' }),
      sdk,
      business,
      media,
      signaling,
      gateway,
      ready: () => this.ready,
    });
    this.register('observability', () => observability.close());
    // Registered last so it runs first on stop: recordings are indexed and announced while the gateway still runs.
    this.register('recordings', () => signaling.finishRecordings());
    this.built = { sdk, media, signaling, business, platform, gateway, observability, cluster };

    this.status.set('signaling', 'up', `clients on ${wsScheme}://${addr.address}:${addr.port}/ws`);
    this.status.set('rooms', 'up', 'rooms, mic seats and queues');
    this.status.set('gateway', 'up', `${config.apps.length} app(s) at POST /gateway`);
    this.status.set('core', 'up', `listening on ${addr.address}:${addr.port}`);
    this.ready = true;
    this.logger.info({ url: this.http.url }, 'core started');
    if (this.demo) {
      const demo = this.demo;
      this.register('demo', () => demo.stop());
      demo.start(this.built, this.http.url);
    }
    return this.http.url;
  }

  /** Media producers on this host's media node (a cluster node's media load). */
  private producerCount(): number {
    const media = this.built?.signaling.roomMedia;
    if (!media) return 0;
    let n = 0;
    for (const r of this.built!.sdk.listRooms()) n += media.producersOfRoom(r.roomId).length;
    return n;
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
    this.ready = false;
    // Balancers see /readyz turn 503 and stop sending new clients before the listener closes.
    if (this.config.listen.drainSeconds > 0 && this.http.nodeServer.listening) {
      await new Promise((r) => setTimeout(r, this.config.listen.drainSeconds * 1000));
    }
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
      await this.store.close();
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
    // Ready for traffic: every component up and not stopping (liveness stays /healthz).
    this.http.route('GET', '/readyz', (_req, res) => {
      const ready = this.ready && this.status.allUp();
      sendJson(res, ready ? 200 : 503, ready ? { ok: true } : { ok: false, state: this.stopping ? 'stopping' : 'starting' });
    });
    this.http.route('GET', '/metrics', async (req, res) => {
      if (!this.metricsAllow.covers(clientAddress(req))) {
        sendJson(res, 403, { ok: false, error: { code: Codes.FORBIDDEN, message: 'metrics are not served to this address (config metrics.allowFrom)' } });
        return;
      }
      if (!this.built) {
        sendJson(res, 503, { ok: false, error: { code: Codes.UNAVAILABLE, message: 'starting' } });
        return;
      }
      const { contentType, body } = await this.built.observability.metrics.render();
      res.writeHead(200, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    });
    this.http.mount('/demo', staticFiles(path.join(rendererDir, 'demo'), { urlPrefix: '/demo', fallback: 'index.html' }));
    this.http.mount('/', staticFiles(rendererDir, { urlPrefix: '/', fallback: 'index.html' }));
  }
}

/** The TLS certificate and key named by `listen.tls` (paths relative to the config file). */
function readTls(config: LoadedConfig): { cert: Buffer; key: Buffer } | null {
  const tls = config.listen.tls;
  if (!tls) return null;
  const read = (key: string, file: string) => {
    const full = path.resolve(config.configDir, file);
    try {
      return readFileSync(full);
    } catch (err) {
      throw new ConfigError(`config key "listen.tls.${key}": cannot read ${full} (${(err as NodeJS.ErrnoException).code ?? err})`);
    }
  };
  return { cert: read('certFile', tls.certFile), key: read('keyFile', tls.keyFile) };
}

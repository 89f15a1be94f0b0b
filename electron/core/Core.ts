/**
 * The composition root: the only place that knows every component. It builds them in order
 * (store → SDK → media → signaling → business → gateway → HTTP), starts them, reports each one's
 * state on the status board, and stops them in reverse order.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { OperatorAuth } from '../auth/OperatorAuth';
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

  private constructor(
    readonly config: LoadedConfig,
    readonly logger: Logger,
    readonly db: Db,
    readonly operatorAuth: OperatorAuth,
  ) {
    this.http = new HttpServer(logger.child({ component: 'http' }));
  }

  static async create(opts: CoreOptions): Promise<Core> {
    const { config, logger } = opts;
    mkdirSync(config.dataDir, { recursive: true });
    const db = openDatabase(config.dataDir, logger);
    const migrations: Migration[] = [...operatorMigrations];
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

  /** Starts every component, then the HTTP listener. Returns the URL it listens on. */
  async start(): Promise<string> {
    const addr = await this.http.listen(this.config.listen.host, this.config.listen.port);
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
      this.db.pragma('wal_checkpoint(TRUNCATE)');
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

/**
 * The HTTP business gateway (seeds/anychat-business-http-api.txt, docs/gateway-api.md):
 * `POST /gateway?method=…&appid=…&timestamp=…&signtype=MD5|RSA&signstr=…` with a JSON body,
 * signed download URLs for files, and signed webhook notices through the durable outbox.
 * Also owns the smart queue (areas, queues, skills, queue groups, agents, routing).
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from 'pino';
import { Codes, isCodedError } from '../../shared/codes';
import type { AppConfig, Config } from '../config/schema';
import { TypedEmitter } from '../util/TypedEmitter';
import { BodyTooLargeError, readBody, sendJson } from '../http/httpUtil';
import { WarnThrottle } from '../http/warnThrottle';
import type { Db, Migration } from '../store/Database';
import type { SqlClient } from '../store/sql/SqlClient';
import { sqliteClientFor } from '../store/sql/SqliteClient';
import { QueueObjectStore, queueMigrations } from '../queueing/QueueObjectStore';
import { SmartQueue, type QueueSnapshot } from '../queueing/SmartQueue';
import { DOWNLOAD_PREFIX, DownloadSigner, serveFile } from './downloads';
import { methodHandlers, type MethodContext } from './methods';
import { agentStatusNotice, noticeForEvent, noticeMethods, type Notice } from './notices';
import { NotifyOutbox, outboxMigrations, type DeliveryLogEntry, type OutboxDepth, type OutboxEntry } from './outbox/NotifyOutbox';
import type { PlatformFile, PlatformPort } from './platformPort';
import { controlKey, IdempotencyFullError, IdempotencyStore, idempotencyMigrations, type StoredReply } from './idempotency';
import { SharedIdempotencyStore } from './sharedIdempotency';
import { httpStatusFor } from './httpStatus';
import { fileIndexMigrations } from './sdkFileIndex';
import { describeIssue, gatewayMethods, requestSchemas, type GatewayMethod } from './requestSchemas';
import { clusterServerKey, loadOrCreateServerKey, type ServerKey } from './serverKey';
import { loadPublicKey, md5Signature, rsaSignature, verifyMd5, verifyRsa } from './signature';
import { describeZone, formatTimestamp, parseTimestamp, type TimestampZone } from './timestamp';

/** How often a cluster node looks for notices that no live worker is sending. */
const OUTBOX_SWEEP_MS = 5000;

export const gatewayMigrations: Migration[] = [...outboxMigrations, ...queueMigrations, ...fileIndexMigrations, ...idempotencyMigrations];

export interface GatewayOptions {
  /** The node's own SQLite (idempotency replies). */
  db: Db;
  /** The shared store (outbox, objects): the node's SQLite when alone, PostgreSQL in a cluster. */
  store?: SqlClient;
  /** This node's cluster id (who holds outbox leases); 'local' when alone. */
  nodeId?: string;
  config: Pick<Config, 'apps' | 'gateway' | 'dataDir'>;
  logger: Logger;
  platform: PlatformPort;
  /** Base of download URLs, e.g. `http://127.0.0.1:8600` (a function when known only after listen); `gateway.publicBaseUrl` overrides it. */
  publicBaseUrl: string | (() => string);
  /** In a cluster: another node's public base URL (its disk holds the files it recorded); undefined while it is not up. */
  nodeBaseUrl?: (nodeId: string) => Promise<string | undefined>;
}

/** What the Gateway console screen shows per app (never the MD5 key itself). */
export interface GatewayAppInfo {
  appId: string;
  callbackUrl: string | null;
  /** Whether an MD5 key is set, and a short hint (never the key). */
  md5Key: { set: boolean; hint: string };
  rsaPublicKey: { set: boolean; sha256: string | null; pem: string | null };
  timestampWindowSeconds: number;
  downloadUrlSeconds: number;
  retry: { initialDelayMs: number; maxDelayMs: number; maxAttempts: number };
  notifySignType: 'MD5' | 'RSA' | null;
  notifyMethods: string[];
}

export interface GatewayRequestStats {
  total: number;
  success: number;
  byMethod: Record<string, { success: number; fail: number }>;
  byErrorCode: Record<string, number>;
}

export interface GatewayEvents {
  outboxChanged: { appId: string };
  queueChanged: { reason: string };
  request: { method: string; appId: string; ok: boolean; errorCode: number; ms: number };
}

interface AppRuntime {
  config: AppConfig;
  zone: TimestampZone;
  fmt(ms: number): string;
  rsaKey: KeyObject | null;
  noticeSignType: 'MD5' | 'RSA';
  noticeMethods: Set<string>;
}

class GatewayFail extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus = httpStatusFor(code),
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const methodSet = new Set<string>(gatewayMethods);
/** Queries are never refused as replays; everything else is a control, carried out once per URL + body. */
const isQuery = (method: string): boolean => method.endsWith('_get');

export class Gateway extends TypedEmitter<GatewayEvents> {
  private readonly apps = new Map<string, AppRuntime>();
  /** Replies of controls for their repeats: this node's SQLite alone, the shared store in a cluster. */
  private readonly idempotency: Pick<IdempotencyStore, 'run'>;
  /** Refused requests are logged at most a few times per client and error code per minute. */
  private readonly warnings: WarnThrottle;
  private readonly downloads: DownloadSigner;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly stats: GatewayRequestStats = { total: 0, success: 0, byMethod: {}, byErrorCode: {} };
  private closed = false;

  private constructor(
    private readonly opts: GatewayOptions,
    private readonly serverKey: ServerKey,
    readonly queue: SmartQueue,
    readonly outbox: NotifyOutbox,
  ) {
    super();
    const { config } = opts;
    for (const app of config.apps) {
      const rsaKey = app.rsaPublicKeyPem ? loadPublicKey(app.rsaPublicKeyPem) : null;
      const zone = app.timestampZone ?? config.gateway.timestampZone;
      this.apps.set(app.appId, {
        config: app,
        zone,
        fmt: (ms) => formatTimestamp(ms, zone),
        rsaKey,
        noticeSignType: app.notifySignType ?? (app.md5Key ? 'MD5' : 'RSA'),
        noticeMethods: new Set(app.notifyMethods ?? noticeMethods),
      });
    }
    // Server-side failures (5xx, 408) are not kept: a retry may succeed where the first failed.
    this.warnings = new WarnThrottle(opts.logger, { level: 'info' });
    const keep = (r: StoredReply) => r.status < 500 && r.status !== 408;
    const shared = opts.store?.dialect === 'postgres' ? opts.store : null;
    // In a cluster a balancer may send a retry to another node: the replies are shared.
    this.idempotency = shared
      ? new SharedIdempotencyStore(shared, { maxEntries: config.gateway.replayCacheMax, keep, leaseMs: config.gateway.operationTimeoutMs + 5000 })
      : new IdempotencyStore(opts.db, config.gateway.replayCacheMax, keep);
    this.downloads = new DownloadSigner(
      createHash('sha256')
        .update('gateway-downloads\n')
        .update(serverKey.privateKey.export({ type: 'pkcs8', format: 'der' }))
        .digest(),
    );
  }

  static async create(opts: GatewayOptions): Promise<Gateway> {
    const { config, logger } = opts;
    const store = opts.store ?? sqliteClientFor(opts.db);
    let serverKey = loadOrCreateServerKey(path.resolve(config.dataDir, config.gateway.serverKeyFile));
    if (store.dialect === 'postgres') {
      const shared = await clusterServerKey(store, serverKey);
      if (shared.adopted) logger.info({ keyFile: serverKey.file }, "gateway: signing with the cluster's shared server key (this node's key file differs)");
      serverKey = shared.key;
    }
    const sign = (appId: string, method: string) => {
      const app = config.apps.find((a) => a.appId === appId)!;
      const timestamp = formatTimestamp(Date.now(), app.timestampZone ?? config.gateway.timestampZone);
      const type = app.notifySignType ?? (app.md5Key ? 'MD5' : 'RSA');
      const signstr = type === 'MD5' ? md5Signature(method, appId, timestamp, app.md5Key ?? '') : rsaSignature(method, appId, timestamp, serverKey.privateKey);
      return { timestamp, signtype: type, signstr };
    };
    const outbox = await NotifyOutbox.create({
      db: store,
      owner: opts.nodeId ?? 'local',
      // Alone, every notice was queued here; in a cluster, look for other nodes' orphans too.
      sweepMs: store.dialect === 'postgres' ? OUTBOX_SWEEP_MS : 0,
      apps: config.apps.filter((a) => a.callbackUrl).map((a) => ({ appId: a.appId, callbackUrl: a.callbackUrl!, retry: a.retry })),
      sign,
      logger: logger.child({ component: 'gateway-outbox' }),
      timeoutMs: config.gateway.notifyTimeoutMs,
      deliveryLogMax: config.gateway.deliveryLogMax,
    });
    const queue = await SmartQueue.create({
      store: await QueueObjectStore.open(store),
      platform: opts.platform,
      logger: logger.child({ component: 'queueing' }),
    });
    const gw = new Gateway(opts, serverKey, queue, outbox);
    gw.unsubscribers.push(
      opts.platform.onEvent((e) => {
        for (const app of gw.apps.values()) {
          const n = noticeForEvent(e, app.config.appId, app.fmt, gw.strIdOf);
          if (n && e.type === 'userLogin') n.body.userflags = queue.userObject(e.user.userId).flags;
          if (n) gw.enqueueNotice(app, n);
        }
      }),
      queue.on('agentStatus', (c) => {
        for (const app of gw.apps.values()) gw.enqueueNotice(app, agentStatusNotice(c, app.config.appId, app.fmt, gw.strIdOf));
      }),
      queue.on('changed', (c) => gw.emit('queueChanged', c)),
      outbox.on('changed', (c) => gw.emit('outboxChanged', c)),
    );
    const zones = [...gw.apps.values()].filter((a) => a.zone !== config.gateway.timestampZone).map((a) => `${a.config.appId}: ${describeZone(a.zone)}`);
    logger.info(
      { apps: gw.apps.size, serverKey: serverKey.file, timestampZone: describeZone(config.gateway.timestampZone), appZones: zones },
      `gateway ready; timestamps are read and written in ${describeZone(config.gateway.timestampZone)}${zones.length ? ` (apps with their own zone: ${zones.join(', ')})` : ''}`,
    );
    return gw;
  }

  private readonly strIdOf = (userId: number, userName: string): string => this.opts.platform.user(userId)?.strUserId ?? userName;

  /** How timestamps are read and written (the console and the host's start line print it). */
  get timestampZone(): string {
    return describeZone(this.opts.config.gateway.timestampZone);
  }

  private enqueueNotice(app: AppRuntime, n: Notice): void {
    if (!app.config.callbackUrl || !app.noticeMethods.has(n.method) || this.closed) return;
    this.outbox.enqueue(app.config.appId, n.method, n.body);
  }

  private baseUrl(): string {
    const b = this.opts.config.gateway.publicBaseUrl ?? this.opts.publicBaseUrl;
    return (typeof b === 'function' ? b() : b).replace(/\/+$/, '');
  }

  /** Where a file is downloaded from: the node whose disk holds it (in a cluster), else here. */
  private async baseUrlOf(file: PlatformFile): Promise<string> {
    const there = this.elsewhere(file) ? await this.opts.nodeBaseUrl?.(file.node!) : undefined;
    return there?.replace(/\/+$/, '') ?? this.baseUrl();
  }

  /** True when another node of the cluster holds the file's bytes. */
  private elsewhere(file: PlatformFile): boolean {
    return file.node !== undefined && this.opts.nodeId !== undefined && file.node !== this.opts.nodeId;
  }

  // ---- POST /gateway ----------------------------------------------------------------------------

  /** The `/gateway` route (mount for every HTTP method: non-POST gets 405). */
  handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const started = process.hrtime.bigint();
    const method = url.searchParams.get('method') ?? '';
    const appId = url.searchParams.get('appid') ?? '';
    let outcome: StoredReply & { replayed?: boolean };
    try {
      if (req.method !== 'POST') {
        req.resume();
        throw new GatewayFail(Codes.GW_PROTOCOL_ERROR, 'use POST', 405);
      }
      outcome = await this.process(req, url, method, appId);
    } catch (err) {
      outcome = this.failure(err, method, appId, req);
    }
    const { status, reply } = outcome;
    const ok = reply.return_code === 'SUCCESS';
    const headers: Record<string, string> = status === 413 || status === 405 ? { Connection: 'close' } : {};
    if (status === 405) headers.Allow = 'POST';
    // The body is the first call's reply, byte for byte; this header only tells a retry apart.
    if (outcome.replayed) headers['X-Gateway-Replayed'] = '1';
    sendJson(res, status, reply, headers);
    this.count(method, ok, ok ? 0 : (reply.errorcode as number));
    this.emit('request', { method, appId, ok, errorCode: ok ? 0 : (reply.errorcode as number), ms: Number(process.hrtime.bigint() - started) / 1e6 });
  };

  /** A FAIL reply for any error; unexpected ones are 100707 with the stack in the log. */
  private failure(err: unknown, method: string, appId: string, req: IncomingMessage): StoredReply {
    let code: number = Codes.GW_EXCEPTION;
    let message = 'internal error';
    let extra: Record<string, unknown> = {};
    let status: number = httpStatusFor(code);
    if (err instanceof GatewayFail) {
      code = err.code;
      message = err.message;
      status = err.httpStatus;
      extra = err.extra;
    } else if (isCodedError(err)) {
      code = err.code;
      message = err.message;
      extra = err.details ?? {};
      status = httpStatusFor(code);
    } else {
      this.opts.logger.error({ err, method, appId }, 'gateway: method failed');
    }
    this.warnings.warn(req.socket.remoteAddress ?? '', String(code), { method, appId, errorcode: code, msg: message }, 'gateway request refused');
    return { status, reply: { return_code: 'FAIL', return_msg: message, errorcode: code, ...extra } };
  }

  private count(method: string, ok: boolean, code: number): void {
    const s = this.stats;
    s.total++;
    if (ok) s.success++;
    else s.byErrorCode[code] = (s.byErrorCode[code] ?? 0) + 1;
    if (!methodSet.has(method)) return;
    const m = (s.byMethod[method] ??= { success: 0, fail: 0 });
    if (ok) m.success++;
    else m.fail++;
  }

  private async process(req: IncomingMessage, url: URL, method: string, appId: string): Promise<StoredReply & { replayed: boolean }> {
    const q = url.searchParams;
    for (const name of ['method', 'appid', 'timestamp', 'signtype', 'signstr']) {
      if (!q.get(name)) {
        req.resume();
        throw new GatewayFail(Codes.GW_INVALID_PARAM, `URL parameter ${name} is required`);
      }
    }
    const timestamp = q.get('timestamp')!;
    const signtype = q.get('signtype')!.toUpperCase();
    const signstr = q.get('signstr')!;
    const fail = (code: number, msg: string): never => {
      req.resume();
      throw new GatewayFail(code, msg);
    };
    if (!methodSet.has(method)) fail(Codes.GW_INVALID_PARAM, `URL parameter method: unknown method "${method.slice(0, 40)}"`);
    if (signtype !== 'MD5' && signtype !== 'RSA') fail(Codes.GW_INVALID_PARAM, 'URL parameter signtype: expected MD5 or RSA');
    const app = this.apps.get(appId);
    if (!app) return fail(Codes.GW_APPID_UNKNOWN, `app id ${appId.slice(0, 64)} does not exist`);
    const tsMs = parseTimestamp(timestamp, app.zone);
    if (tsMs === null) fail(Codes.GW_TIMESTAMP_INVALID, `timestamp: expected yyyyMMddHHmmss (${describeZone(app.zone)})`);
    const windowMs = app.config.timestampWindowSeconds * 1000;
    const skew = Math.abs(Date.now() - tsMs!);
    if (skew > windowMs)
      fail(Codes.GW_TIMESTAMP_INVALID, `timestamp outside the ${app.config.timestampWindowSeconds} s window (read as ${describeZone(app.zone)})`);
    if (signtype === 'MD5') {
      if (!app.config.md5Key) fail(Codes.GW_SIGNATURE_FAILED, 'this app has no MD5 key; sign with RSA');
      if (!verifyMd5(method, appId, timestamp, app.config.md5Key!, signstr)) fail(Codes.GW_SIGNATURE_FAILED, 'signature verification failed');
    } else {
      if (!app.rsaKey) fail(Codes.GW_SIGNATURE_FAILED, 'this app has no RSA public key; sign with MD5');
      if (!verifyRsa(method, appId, timestamp, app.rsaKey!, signstr)) fail(Codes.GW_SIGNATURE_FAILED, 'signature verification failed');
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, this.opts.config.gateway.maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new GatewayFail(Codes.GW_BODY_INVALID, `body larger than ${err.limit} bytes`, 413);
      throw err;
    }
    // Body checks come first: a body that is not JSON is 100703 whether or not it is a repeat.
    const body = parseBody(raw);
    const execute = async (): Promise<StoredReply> => {
      try {
        return { status: 200, reply: { return_code: 'SUCCESS', return_msg: '', ...(await this.execute(app, method as GatewayMethod, body)) } };
      } catch (err) {
        return this.failure(err, method, appId, req);
      }
    };
    if (isQuery(method)) return { ...(await execute()), replayed: false };
    try {
      return await this.idempotency.run(controlKey(method, appId, url.search, raw), tsMs! + windowMs + 1000, execute);
    } catch (err) {
      if (err instanceof IdempotencyFullError) throw new GatewayFail(Codes.GW_OUT_OF_MEMORY, 'too many controls inside the timestamp window');
      throw err;
    }
  }

  private async execute(app: AppRuntime, method: GatewayMethod, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const parsed = requestSchemas[method].safeParse(body);
    if (!parsed.success) throw new GatewayFail(Codes.GW_INVALID_PARAM, describeIssue(parsed.error));
    const handler = methodHandlers[method] as (ctx: MethodContext, b: unknown) => Record<string, unknown> | Promise<Record<string, unknown>>;
    return handler(this.context(app), parsed.data);
  }

  private context(app: AppRuntime): MethodContext {
    return {
      appId: app.config.appId,
      downloadUrlSeconds: app.config.downloadUrlSeconds,
      platform: this.opts.platform,
      queue: this.queue,
      zone: app.zone,
      fmt: app.fmt,
      logger: this.opts.logger,
      operationTimeoutMs: this.opts.config.gateway.operationTimeoutMs,
      fileUrl: async (file, seconds) => this.downloads.url(await this.baseUrlOf(file), file, seconds),
    };
  }

  /** A signed, expiring URL for a file in the index (the console plays and downloads through it). */
  async fileUrl(fileId: string, seconds: number): Promise<{ url: string; expiresAt: number } | null> {
    const file = await this.opts.platform.files.get(fileId);
    if (!file) return null;
    const now = Date.now();
    return { url: this.downloads.url(await this.baseUrlOf(file), file, seconds, now), expiresAt: now + seconds * 1000 };
  }

  // ---- GET /gateway/files/{fileid}/{name}?expires=…&sign=… ----------------------------------------

  /** Mount on the `/gateway/files` prefix. */
  handleDownload = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const fail = (status: number, code: number, msg: string) => sendJson(res, status, { return_code: 'FAIL', return_msg: msg, errorcode: code });
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(405, Codes.GW_PROTOCOL_ERROR, 'use GET');
    const rest = url.pathname.slice(DOWNLOAD_PREFIX.length).split('/').filter(Boolean);
    let fileId: string;
    try {
      fileId = decodeURIComponent(rest[0] ?? '');
    } catch {
      return fail(400, Codes.GW_INVALID_PARAM, 'bad file id');
    }
    const expires = Number(url.searchParams.get('expires'));
    const sign = url.searchParams.get('sign') ?? '';
    if (!fileId || !Number.isInteger(expires) || !sign) return fail(403, Codes.GW_SIGNATURE_FAILED, 'unsigned download URL');
    const verdict = this.downloads.verify(fileId, expires, sign);
    if (verdict === 'bad') return fail(403, Codes.GW_SIGNATURE_FAILED, 'bad download signature');
    if (verdict === 'expired') return fail(403, Codes.GW_TIMESTAMP_INVALID, 'download URL expired');
    const file = await this.opts.platform.files.get(fileId);
    if (!file) return fail(404, Codes.GW_FILE_MISSING, 'file does not exist');
    if (this.elsewhere(file)) {
      // Signed with the cluster's one key: the holding node accepts the same URL.
      const base = await this.opts.nodeBaseUrl?.(file.node!);
      if (!base) return fail(503, Codes.GW_FILE_MISSING, `the file is on node ${file.node}, which is not up`);
      res.writeHead(307, { location: `${base.replace(/\/+$/, '')}${url.pathname}${url.search}` }).end();
      return;
    }
    serveFile(req, res, file);
  };

  // ---- console ------------------------------------------------------------------------------------

  appsInfo(): GatewayAppInfo[] {
    return [...this.apps.values()].map(({ config: a, noticeSignType, noticeMethods: nm }) => ({
      appId: a.appId,
      callbackUrl: a.callbackUrl,
      md5Key: { set: !!a.md5Key, hint: a.md5Key ? `${a.md5Key.length} chars` : '' },
      rsaPublicKey: {
        set: !!a.rsaPublicKeyPem,
        sha256: a.rsaPublicKeyPem
          ? createHash('sha256')
              .update(loadPublicKey(a.rsaPublicKeyPem).export({ type: 'spki', format: 'der' }))
              .digest('hex')
          : null,
        pem: a.rsaPublicKeyPem,
      },
      timestampWindowSeconds: a.timestampWindowSeconds,
      downloadUrlSeconds: a.downloadUrlSeconds,
      retry: a.retry,
      notifySignType: a.callbackUrl ? noticeSignType : null,
      notifyMethods: [...nm],
    }));
  }

  /** The public half of the key that signs RSA notices (PEM, SPKI). */
  get serverPublicKeyPem(): string {
    return this.serverKey.publicKeyPem;
  }

  outboxDepth(): Promise<OutboxDepth[]> {
    return this.outbox.depth();
  }

  outboxEntries(filter?: { appId?: string; state?: 'pending' | 'dead'; limit?: number }): Promise<OutboxEntry[]> {
    return this.outbox.entries(filter);
  }

  deliveryLog(filter?: { appId?: string; notifyId?: string; limit?: number }): Promise<DeliveryLogEntry[]> {
    return this.outbox.deliveryLog(filter);
  }

  async resendDead(sel?: { notifyId?: string; appId?: string }): Promise<number> {
    const n = await this.outbox.resendDead(sel);
    this.opts.logger.info({ ...sel, count: n }, 'gateway: dead notices re-sent');
    return n;
  }

  requestStats(): GatewayRequestStats {
    return structuredClone(this.stats);
  }

  queueSnapshot(): QueueSnapshot {
    return this.queue.snapshot();
  }

  /** Stops notices and routing; pending notices stay in the store for the next start. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const u of this.unsubscribers.splice(0)) u();
    this.outbox.close();
    this.queue.close();
    this.warnings.close();
    this.removeAllListeners();
  }
}

/** JSON object body; the seed's examples also have keys with stray spaces and typographic quotes. */
function parseBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new GatewayFail(Codes.GW_BODY_INVALID, 'body is empty; expected a JSON object');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    try {
      parsed = JSON.parse(text.replace(/[\u201C\u201D]/g, '"'));
    } catch {
      throw new GatewayFail(Codes.GW_BODY_INVALID, 'body is not valid JSON');
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new GatewayFail(Codes.GW_BODY_INVALID, 'body must be a JSON object');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed)) out[k.trim()] = v;
  return out;
}

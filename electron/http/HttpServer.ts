/**
 * The one HTTP port (protocol.md §1). Components mount exact routes, path-prefix handlers and
 * WebSocket upgrade paths; the server itself knows none of them.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { sendJson } from './httpUtil';
import { Codes } from '../../shared/codes';
import { ProxyTrust } from './proxyTrust';

export interface HttpServerOptions {
  /** PEM certificate and key: serve HTTPS (and WSS upgrades) instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer } | null;
  /** Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. */
  trustProxy?: readonly string[];
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;
export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer, url: URL) => void;

export class HttpServer {
  private readonly server: http.Server;
  private readonly proxies: ProxyTrust;
  readonly secure: boolean;
  private readonly routes = new Map<string, RouteHandler>();
  private readonly prefixes: { prefix: string; handler: RouteHandler }[] = [];
  private readonly upgrades = new Map<string, UpgradeHandler>();
  private address: AddressInfo | null = null;
  /** Every socket, upgraded ones included: `server.close()` alone waits on WebSockets forever. */
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    private readonly logger: Logger,
    opts: HttpServerOptions = {},
  ) {
    this.proxies = new ProxyTrust(opts.trustProxy ?? []);
    this.secure = Boolean(opts.tls);
    const onRequest = (req: IncomingMessage, res: ServerResponse) => void this.dispatch(req, res);
    this.server = opts.tls ? https.createServer({ cert: opts.tls.cert, key: opts.tls.key }, onRequest) : http.createServer(onRequest);
    this.server.on('upgrade', (req, socket, head) => this.dispatchUpgrade(req, socket, head));
    this.server.on('clientError', (err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      this.logger.debug({ err: err.message }, 'http client error');
    });
    // TLS sockets: 'connection' carries the raw TCP socket, which is what must be destroyed on close.
    this.server.on('connection', (socket: import('node:net').Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.keepAliveTimeout = 5000;
    this.server.headersTimeout = 10_000;
  }

  /** Exact path, any of the given methods ('*' for all). */
  route(methods: string | string[], path: string, handler: RouteHandler): void {
    for (const m of Array.isArray(methods) ? methods : [methods]) this.routes.set(`${m.toUpperCase()} ${path}`, handler);
  }

  /** Everything under a path prefix (longest prefix wins). */
  mount(prefix: string, handler: RouteHandler): void {
    this.prefixes.push({ prefix, handler });
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  upgrade(path: string, handler: UpgradeHandler): void {
    this.upgrades.set(path, handler);
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
    return this.address;
  }

  get url(): string {
    if (!this.address) throw new Error('not listening');
    const host = this.address.family === 'IPv6' ? `[${this.address.address}]` : this.address.address;
    return `${this.secure ? 'https' : 'http'}://${host}:${this.address.port}`;
  }

  get nodeServer(): http.Server {
    return this.server;
  }

  private closed: Promise<void> | null = null;

  /** Stops accepting new connections; existing ones (and WebSockets) keep working. */
  stopAccepting(): void {
    if (this.closed || !this.server.listening) return;
    this.closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
  }

  /** Stops accepting, lets in-flight requests finish for up to `graceMs`, then drops the rest. */
  async close(graceMs = 2000): Promise<void> {
    this.stopAccepting();
    if (!this.closed) return;
    const timer = setTimeout(() => {
      this.server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    }, graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.proxies.annotate(req);
    const handler =
      this.routes.get(`${req.method} ${url.pathname}`) ??
      this.routes.get(`* ${url.pathname}`) ??
      this.prefixes.find((p) => url.pathname === p.prefix || url.pathname.startsWith(p.prefix.endsWith('/') ? p.prefix : `${p.prefix}/`) || p.prefix === '/')
        ?.handler;
    try {
      if (!handler) {
        sendJson(res, 404, { ok: false, error: { code: Codes.NOT_FOUND, message: 'not found' } });
        return;
      }
      await handler(req, res, url);
    } catch (err) {
      // A malformed percent-escape a handler tried to decode is the client's mistake (400), not ours.
      if (err instanceof URIError && !res.headersSent) {
        sendJson(res, 400, { ok: false, error: { code: Codes.BAD_REQUEST, message: 'malformed percent-encoding in the URL' } });
        return;
      }
      this.logger.error({ err, url: url.pathname }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: Codes.INTERNAL, message: 'internal error' } });
      else res.destroy();
    }
  }

  private dispatchUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    this.proxies.annotate(req);
    const handler = this.upgrades.get(url.pathname);
    if (!handler) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    try {
      handler(req, socket, head, url);
    } catch (err) {
      this.logger.error({ err }, 'upgrade handler failed');
      socket.destroy();
    }
  }
}

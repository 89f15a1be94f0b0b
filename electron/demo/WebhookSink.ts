/**
 * The demo's built-in webhook receiver: a small HTTP server on loopback that the demo gateway app
 * posts its notices to. It checks each notice's MD5 signature, answers `success` (a bad signature
 * gets 403, so the Gateway screen would show the failure) and keeps counts for the demo's status.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { verifyMd5 } from '../gateway/signature';

const MAX_BODY = 256 * 1024;

export class WebhookSink {
  received = 0;
  badSignatures = 0;
  readonly byMethod = new Map<string, number>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(md5Key: string, logger: Logger): Promise<WebhookSink> {
    let self: WebhookSink | null = null;
    const server = http.createServer((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) req.destroy();
      });
      req.on('end', () => {
        const q = new URL(req.url ?? '/', 'http://x').searchParams;
        const method = q.get('method') ?? '';
        const ok = req.method === 'POST' && verifyMd5(method, q.get('appid') ?? '', q.get('timestamp') ?? '', md5Key, q.get('signstr') ?? '');
        if (!ok) {
          self!.badSignatures++;
          logger.warn({ method }, 'demo webhook receiver: notice with a bad signature refused');
          res.writeHead(403, { 'Content-Type': 'text/plain' }).end('bad signature');
          return;
        }
        self!.received++;
        self!.byMethod.set(method, (self!.byMethod.get(method) ?? 0) + 1);
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end('success');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    self = new WebhookSink(server, `http://127.0.0.1:${port}/demo-notify`);
    return self;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

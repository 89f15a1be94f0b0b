/** A real HTTP webhook receiver for tests: records every notice, checks its signature, answers as scripted. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyMd5, verifyRsa, loadPublicKey } from './signature';

export interface ReceivedNotice {
  path: string;
  method: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  signatureValid: boolean;
  answered: number;
}

export class WebhookReceiver {
  readonly received: ReceivedNotice[] = [];
  /** Status codes to answer, in order; afterwards `defaultStatus`. */
  script: number[] = [];
  defaultStatus = 200;
  /** Delay before answering (slow receiver). */
  delayMs = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(opts: { md5Key?: string; rsaPublicKeyPem?: string; port?: number } = {}): Promise<WebhookReceiver> {
    let self: WebhookReceiver | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://x');
        const query = Object.fromEntries(u.searchParams);
        const method = query.method ?? '';
        const valid =
          query.signtype === 'MD5'
            ? verifyMd5(method, query.appid ?? '', query.timestamp ?? '', opts.md5Key ?? '', query.signstr ?? '')
            : !!opts.rsaPublicKeyPem && verifyRsa(method, query.appid ?? '', query.timestamp ?? '', loadPublicKey(opts.rsaPublicKeyPem), query.signstr ?? '');
        const status = self!.script.length ? self!.script.shift()! : self!.defaultStatus;
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          /* recorded as {} */
        }
        const answer = () => {
          self!.received.push({ path: u.pathname, method, query, body, signatureValid: valid, answered: status });
          res.writeHead(status, { 'Content-Type': 'text/plain' });
          res.end(status === 200 ? 'success' : 'error');
          self!.wake();
        };
        if (self!.delayMs) setTimeout(answer, self!.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    self = new WebhookReceiver(server, `http://127.0.0.1:${port}/notify`);
    return self;
  }

  /** Notices answered 2xx. */
  get delivered(): ReceivedNotice[] {
    return this.received.filter((r) => r.answered >= 200 && r.answered < 300);
  }

  waitForDelivered(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.delivered.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out: ${this.delivered.length}/${n} notices delivered`)), timeoutMs);
      this.waiters.push({ n, resolve: () => (clearTimeout(t), resolve()) });
    });
  }

  private wake(): void {
    const d = this.delivered.length;
    this.waiters = this.waiters.filter((w) => (d >= w.n ? (w.resolve(), false) : true));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

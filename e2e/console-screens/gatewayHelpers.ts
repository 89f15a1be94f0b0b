/**
 * Node-side helpers for the Gateway/Queues console journeys: a loopback webhook receiver whose
 * answer status the test switches, and MD5-signed gateway requests (docs/gateway-api.md §1–2).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  body: Record<string, unknown>;
  answered: number;
}

export class LoopbackReceiver {
  readonly received: Received[] = [];
  /** HTTP status the receiver answers with (switch at any time). */
  status = 500;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<LoopbackReceiver> {
    let self: LoopbackReceiver | null = null;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const method = new URL(req.url ?? '/', 'http://x').searchParams.get('method') ?? '';
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          /* recorded as empty */
        }
        const answered = self!.status;
        self!.received.push({ method, body, answered });
        res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'fail');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new LoopbackReceiver(server, `http://127.0.0.1:${port}/notify`);
    return self;
  }

  /** Notices answered 200 (delivered), by notifyid. */
  deliveredIds(): string[] {
    return this.received.filter((r) => r.answered === 200).map((r) => String(r.body.notifyid));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }
}

/** `yyyyMMddHHmmss` in the host's local zone (the gateway's default zone). */
export function gatewayTimestamp(ms = Date.now()): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Upper-case hex MD5 of `method&appid&timestamp&key`. */
export function md5Sign(method: string, appId: string, timestamp: string, key: string): string {
  return createHash('md5').update(`${method}&${appId}&${timestamp}&${key}`, 'utf8').digest('hex').toUpperCase();
}

/** One signed gateway request; returns the JSON answer (throws on FAIL). */
export async function gatewayCall(
  baseUrl: string,
  appId: string,
  md5Key: string,
  method: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const timestamp = gatewayTimestamp();
  const q = new URLSearchParams({ method, appid: appId, timestamp, signtype: 'MD5', signstr: md5Sign(method, appId, timestamp, md5Key) });
  const res = await fetch(`${baseUrl}/gateway?${q}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json;charset=UTF-8' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (json.return_code !== 'SUCCESS') throw new Error(`${method}: ${JSON.stringify(json)}`);
  return json;
}

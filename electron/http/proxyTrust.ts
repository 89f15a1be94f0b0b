/**
 * Who the client is behind a reverse proxy. Only proxies listed in `trustProxy` (IPs or CIDR
 * ranges) are believed: X-Forwarded-For is walked from the right, each hop replacing the
 * address while the current one is a trusted proxy, so a client cannot forge its address by
 * sending the header itself. X-Forwarded-Proto from a trusted proxy says whether the browser
 * used https (the session cookie's `Secure`).
 */
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';

const CLIENT = Symbol('anychat.client');

export interface ClientInfo {
  address: string;
  secure: boolean;
}

const plain = (a: string) => (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a);

export class ProxyTrust {
  private readonly list = new BlockList();
  private readonly any: boolean;

  constructor(entries: readonly string[]) {
    this.any = entries.length > 0;
    for (const e of entries) {
      const [addr, bits] = e.split('/');
      const type = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
      if (!isIP(addr)) throw new Error(`trustProxy: "${e}" is not an IP address or CIDR range`);
      if (bits === undefined) this.list.addAddress(addr, type);
      else this.list.addSubnet(addr, Number(bits), type);
    }
  }

  /** Whether an address is in the list (also used for /metrics' allow list). */
  covers(addr: string): boolean {
    return this.trusted(plain(addr));
  }

  private trusted(addr: string): boolean {
    if (!this.any) return false;
    const type = isIP(addr) === 6 ? 'ipv6' : isIP(addr) === 4 ? 'ipv4' : null;
    return type !== null && this.list.check(addr, type);
  }

  resolve(req: IncomingMessage): ClientInfo {
    let address = plain(req.socket.remoteAddress ?? 'unknown');
    let secure = Boolean((req.socket as TLSSocket).encrypted);
    if (!this.trusted(address)) return { address, secure };
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((h) => plain(h.trim()))
      .filter((h) => isIP(h));
    const proto = String(req.headers['x-forwarded-proto'] ?? '')
      .split(',')[0]
      .trim()
      .toLowerCase();
    if (proto === 'https') secure = true;
    else if (proto === 'http') secure = false;
    while (hops.length && this.trusted(address)) address = hops.pop()!;
    return { address, secure };
  }

  /** Resolves once per request and remembers it on the request. */
  annotate(req: IncomingMessage): void {
    (req as unknown as Record<symbol, ClientInfo>)[CLIENT] = this.resolve(req);
  }
}

/** The client's address and scheme as the HTTP server resolved them (the socket's without a server). */
export function clientInfo(req: IncomingMessage): ClientInfo {
  return (
    (req as unknown as Record<symbol, ClientInfo | undefined>)[CLIENT] ?? {
      address: plain(req.socket.remoteAddress ?? 'unknown'),
      secure: Boolean((req.socket as TLSSocket).encrypted),
    }
  );
}

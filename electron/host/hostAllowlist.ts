/**
 * DNS-rebinding defence for the operator surfaces (`/console/api/*`, `/console/ws`): the Host
 * header must name this host — a configured or listening name, on the listening port — and a
 * browser's Origin must be exactly this host's origin, scheme included. A page on
 * `evil.example` that rebinds its name to 127.0.0.1 sends `Host: evil.example:P` and is refused.
 */
import type { IncomingMessage } from 'node:http';
import os from 'node:os';
import { clientInfo } from '../http/proxyTrust';

export interface HostAllowlistOptions {
  listenHost: string;
  port: number;
  /**
   * Extra names operators reach the host by (config `console.allowedHosts`, the gateway's public
   * URL, the announced IP). These match on any port: behind a reverse proxy the browser's port is
   * the proxy's, not ours.
   */
  extraNames: readonly string[];
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export class HostAllowlist {
  private readonly names: Set<string>;
  private readonly anyPort: Set<string>;

  constructor(private readonly opts: HostAllowlistOptions) {
    this.anyPort = new Set(opts.extraNames.map(normalise));
    const names = new Set<string>();
    const listen = normalise(opts.listenHost);
    if (WILDCARDS.has(opts.listenHost)) {
      // Listening everywhere: every local interface address and the machine's name.
      for (const addrs of Object.values(os.networkInterfaces())) for (const a of addrs ?? []) names.add(normalise(a.address));
      names.add(os.hostname().toLowerCase());
      LOOPBACK.forEach((n) => names.add(n));
    } else {
      names.add(listen);
      if (isLoopback(listen)) LOOPBACK.forEach((n) => names.add(n));
    }
    this.names = names;
  }

  /** The Host header names this host: a listening name on its port, or a configured name. */
  allowsHost(hostHeader: string | undefined, secure = false): boolean {
    const parsed = parseHost(hostHeader);
    if (!parsed) return false;
    if (this.anyPort.has(parsed.name)) return true;
    const port = parsed.port ?? (secure ? 443 : 80);
    return port === this.opts.port && this.names.has(parsed.name);
  }

  /**
   * A browser's Origin is this host's own origin: the scheme the browser used (TLS here or at a
   * trusted proxy), an allowed name, the Host header's host. No Origin (not a browser) passes.
   */
  allowsOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    const secure = clientInfo(req).secure;
    if (url.protocol !== (secure ? 'https:' : 'http:')) return false;
    return url.host === req.headers.host && this.allowsHost(url.host, secure);
  }

  /** Both checks, for a request to an operator surface. */
  allows(req: IncomingMessage): boolean {
    return this.allowsHost(req.headers.host, clientInfo(req).secure) && this.allowsOrigin(req);
  }
}

function normalise(name: string): string {
  const n = name.trim().toLowerCase();
  return n.includes(':') && !n.startsWith('[') ? `[${n}]` : n;
}

function isLoopback(name: string): boolean {
  return name === 'localhost' || name.startsWith('127.') || name === '[::1]';
}

function parseHost(h: string | undefined): { name: string; port: number | null } | null {
  if (!h) return null;
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(h.trim());
  if (!m) return null;
  return { name: m[1].toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

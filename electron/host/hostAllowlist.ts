/**
 * DNS-rebinding defence for the operator surfaces (`/console/api/*`, `/console/ws`): the Host
 * header must name this host — a configured or listening name, on the listening port — and a
 * browser's Origin must be exactly this host's origin, scheme included. A page on
 * `evil.example` that rebinds its name to 127.0.0.1 sends `Host: evil.example:P` and is refused.
 */
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

export interface HostAllowlistOptions {
  listenHost: string;
  port: number;
  /** Extra names operators reach the host by (config `console.allowedHosts`, the gateway's public URL, the announced IP). */
  extraNames: readonly string[];
  /** 'https' when TLS terminates here or at a trusted proxy; the console's own origin uses it. */
  scheme?: 'http' | 'https';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);
const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

export class HostAllowlist {
  private readonly names: Set<string>;

  constructor(private readonly opts: HostAllowlistOptions) {
    const names = new Set<string>(opts.extraNames.map(normalise));
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

  /** The Host header names this host on its port. */
  allowsHost(hostHeader: string | undefined): boolean {
    const parsed = parseHost(hostHeader);
    if (!parsed) return false;
    const port = parsed.port ?? (this.scheme === 'https' ? 443 : 80);
    return port === this.opts.port && this.names.has(parsed.name);
  }

  /** A browser's Origin is this host's own origin: same scheme, an allowed name, the Host's port. No Origin (not a browser) passes. */
  allowsOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    if (url.protocol !== `${this.scheme}:`) return false;
    return url.host === req.headers.host && this.allowsHost(url.host);
  }

  /** Both checks, for a request to an operator surface. */
  allows(req: IncomingMessage): boolean {
    return this.allowsHost(req.headers.host) && this.allowsOrigin(req);
  }

  private get scheme(): 'http' | 'https' {
    return this.opts.scheme ?? 'http';
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

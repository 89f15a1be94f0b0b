import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HostAllowlist } from './hostAllowlist';

const req = (host: string | undefined, origin?: string) =>
  ({ headers: { host, ...(origin !== undefined ? { origin } : {}) }, socket: { remoteAddress: '127.0.0.1' } }) as unknown as IncomingMessage;

describe('HostAllowlist', () => {
  const hosts = new HostAllowlist({ listenHost: '127.0.0.1', port: 8600, extraNames: ['console.example.com'] });

  it('allows the listening and configured names on the listening port only', () => {
    expect(hosts.allowsHost('127.0.0.1:8600')).toBe(true);
    expect(hosts.allowsHost('localhost:8600')).toBe(true);
    expect(hosts.allowsHost('[::1]:8600')).toBe(true);
    expect(hosts.allowsHost('console.example.com:8600')).toBe(true);
    expect(hosts.allowsHost('console.example.com')).toBe(true); // a configured name, behind a proxy
    expect(hosts.allowsHost('127.0.0.1:8601')).toBe(false);
    expect(hosts.allowsHost('evil.example:8600')).toBe(false);
    expect(hosts.allowsHost(undefined)).toBe(false);
    expect(hosts.allowsHost('127.0.0.1:8600/x')).toBe(false);
  });

  it('refuses a rebound name even when Origin and Host agree', () => {
    expect(hosts.allows(req('evil.example:8600', 'http://evil.example:8600'))).toBe(false);
  });

  it('checks the origin scheme, not only host and port', () => {
    expect(hosts.allows(req('127.0.0.1:8600', 'http://127.0.0.1:8600'))).toBe(true);
    expect(hosts.allows(req('127.0.0.1:8600', 'https://127.0.0.1:8600'))).toBe(false);
    expect(hosts.allows(req('127.0.0.1:8600', 'http://localhost:8600'))).toBe(false);
    expect(hosts.allows(req('127.0.0.1:8600', 'null'))).toBe(false);
    expect(hosts.allows(req('127.0.0.1:8600'))).toBe(true); // no Origin: not a browser
  });

  it("listening on every interface allows the machine's own addresses", () => {
    const any = new HostAllowlist({ listenHost: '0.0.0.0', port: 80, extraNames: [] });
    expect(any.allowsHost('127.0.0.1')).toBe(true);
    expect(any.allowsHost('evil.example')).toBe(false);
  });
});

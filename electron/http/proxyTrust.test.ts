import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ProxyTrust } from './proxyTrust';

const req = (remote: string, headers: Record<string, string> = {}, encrypted = false) =>
  ({ socket: { remoteAddress: remote, encrypted }, headers }) as unknown as IncomingMessage;

describe('trustProxy', () => {
  it('ignores X-Forwarded-For without configured proxies', () => {
    const t = new ProxyTrust([]);
    expect(t.resolve(req('::ffff:203.0.113.5', { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' }))).toEqual({
      address: '203.0.113.5',
      secure: false,
    });
  });

  it('believes trusted proxies only, walking from the right, so a client cannot pick its address', () => {
    const t = new ProxyTrust(['10.0.0.0/8', '127.0.0.1']);
    expect(t.resolve(req('127.0.0.1', { 'x-forwarded-for': '198.51.100.7' })).address).toBe('198.51.100.7');
    // The client sent its own X-Forwarded-For: the proxy appended the real address.
    expect(t.resolve(req('10.1.2.3', { 'x-forwarded-for': '1.2.3.4, 198.51.100.7' })).address).toBe('198.51.100.7');
    // Two trusted hops.
    expect(t.resolve(req('10.1.2.3', { 'x-forwarded-for': '198.51.100.7, 10.9.9.9' })).address).toBe('198.51.100.7');
    // Not a trusted peer: headers ignored.
    expect(t.resolve(req('203.0.113.9', { 'x-forwarded-for': '198.51.100.7' })).address).toBe('203.0.113.9');
    expect(t.resolve(req('127.0.0.1', { 'x-forwarded-proto': 'https' })).secure).toBe(true);
    expect(t.resolve(req('203.0.113.9', { 'x-forwarded-proto': 'https' })).secure).toBe(false);
    expect(t.resolve(req('203.0.113.9', {}, true)).secure).toBe(true);
    expect(() => new ProxyTrust(['not-an-ip'])).toThrow(/trustProxy/);
  });
});

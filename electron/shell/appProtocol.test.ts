import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../http/staticFiles';
import { CONSOLE_URL, desktopContentSecurityPolicy, resolveAppRequest } from './appProtocol';

const root = path.resolve('/opt/anychat/resources/app.asar/out/renderer');

describe('app:// protocol', () => {
  it('serves the console index and its assets from the renderer directory', () => {
    expect(resolveAppRequest(CONSOLE_URL, 'GET', root)).toEqual({ file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://console/', 'GET', root)).toMatchObject({ file: path.join(root, 'index.html') });
    expect(resolveAppRequest('app://console/assets/main-abc.js', 'HEAD', root)).toEqual({
      file: path.join(root, 'assets', 'main-abc.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('app://console/demo/index.html#/x', 'GET', root)).toMatchObject({ file: path.join(root, 'demo', 'index.html') });
  });

  it('never leaves the renderer directory', () => {
    for (const url of ['app://console/../../../etc/passwd', 'app://console/%2e%2e/%2e%2e/etc/passwd', 'app://console/..%2f..%2fetc%2fpasswd']) {
      const r = resolveAppRequest(url, 'GET', root);
      if ('file' in r) expect(r.file.startsWith(root + path.sep)).toBe(true);
    }
    expect(resolveAppRequest('app://console/%E0%A4%A', 'GET', root)).toEqual({ status: 400, reason: 'bad URL encoding' });
    expect(resolveAppRequest('app://console/a%00b', 'GET', root)).toMatchObject({ status: 400 });
  });

  it('answers only its own origin and read methods', () => {
    expect(resolveAppRequest('app://other/index.html', 'GET', root)).toMatchObject({ status: 404 });
    expect(resolveAppRequest('app://console/index.html', 'POST', root)).toMatchObject({ status: 405 });
    expect(resolveAppRequest('app://console/x.bin', 'GET', root)).toMatchObject({ contentType: 'application/octet-stream' });
  });

  it("the desktop CSP admits the core's origin for recordings and their thumbnails, and nothing else new", () => {
    const csp = desktopContentSecurityPolicy(CONTENT_SECURITY_POLICY, 'http://127.0.0.1:8600/');
    expect(csp).toContain("media-src 'self' blob: http://127.0.0.1:8600;");
    expect(csp).toContain("img-src 'self' data: blob: http://127.0.0.1:8600;");
    expect(csp).toContain("connect-src 'self';");
    expect(csp).toContain("script-src 'self';");
  });
});

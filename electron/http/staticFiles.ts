/** Serves the built renderer (console at `/`, demo client at `/demo/`) with a strict CSP. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { baseSecurityHeaders } from './httpUtil';

export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webm': 'video/webm',
  '.mp4': 'video/mp4',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Returns a handler serving files under `root`. Paths that do not name a file fall back to
 * `fallback` (the page's index.html) so client-side routes reload correctly.
 */
export function staticFiles(root: string, opts: { urlPrefix: string; fallback: string }) {
  const resolvedRoot = path.resolve(root);
  return (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...baseSecurityHeaders, Allow: 'GET, HEAD' }).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname.slice(opts.urlPrefix.length));
    } catch {
      // A malformed escape such as `/%` or `/%E0%A4%A` is the client's mistake, not a server error.
      res.writeHead(400, { ...baseSecurityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Bad Request: malformed percent-encoding in the URL path');
      return;
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    let file = path.resolve(resolvedRoot, '.' + path.posix.normalize('/' + rel));
    if (!file.startsWith(resolvedRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      file = path.join(resolvedRoot, opts.fallback);
    }
    if (!existsSync(file)) {
      res.writeHead(503, { ...baseSecurityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The console UI is not built. Run `npm run build`.');
      return;
    }
    const ext = path.extname(file);
    const size = statSync(file).size;
    res.writeHead(200, {
      ...baseSecurityHeaders,
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };
}

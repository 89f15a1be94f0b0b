/**
 * The console is served to the window from a custom `app://console/` origin instead of file://
 * (Electron security checklist item 18): the page gets a real origin for 'self' in the CSP, no
 * file:// privileges, and can reach nothing outside the built renderer directory.
 *
 * The scheme must be registered as privileged before the app is ready (registerAppScheme);
 * serveAppProtocol then answers its requests from the renderer directory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { MIME } from '../http/staticFiles';

export const APP_SCHEME = 'app';
export const APP_HOST = 'console';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const CONSOLE_URL = `${APP_ORIGIN}/index.html`;

/** The scheme's privileges: standard (relative URLs, an origin), secure (a secure context), fetchable. */
export const appSchemePrivileges = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
} as const;

export type AppRequest = { file: string; contentType: string } | { status: 400 | 404 | 405; reason: string };

/** Maps an app:// request to a file under `root`, or the status to answer. Pure. */
export function resolveAppRequest(rawUrl: string, method: string, root: string): AppRequest {
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, reason: `method ${method}` };
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { status: 404, reason: `unknown origin ${url.protocol}//${url.host}` };
  let rel: string;
  try {
    rel = decodeURIComponent(url.pathname);
  } catch {
    return { status: 400, reason: 'bad URL encoding' };
  }
  if (rel.includes('\0')) return { status: 400, reason: 'NUL in path' };
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, '.' + path.posix.normalize('/' + rel));
  if (!file.startsWith(resolvedRoot + path.sep)) return { status: 404, reason: 'outside the renderer directory' };
  return { file, contentType: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

/** Answers app:// requests from `root`, every response with the console's CSP. Call once the app is ready. */
/**
 * The console's CSP inside the desktop app: as on the web host, plus the core's own HTTP origin
 * for recordings (media-src) and their thumbnails and snapshots (img-src), which the core serves.
 */
export function desktopContentSecurityPolicy(base: string, coreUrl: string): string {
  const origin = new URL(coreUrl).origin;
  return base
    .replace("media-src 'self' blob:", `media-src 'self' blob: ${origin}`)
    .replace("img-src 'self' data: blob:", `img-src 'self' data: blob: ${origin}`);
}

export function serveAppProtocol(protocol: Protocol, root: string, csp: string): void {
  const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  protocol.handle(APP_SCHEME, async (request) => {
    const r = resolveAppRequest(request.url, request.method, root);
    if ('status' in r) return new Response(r.reason, { status: r.status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    try {
      const body = await readFile(r.file);
      return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...headers, 'Content-Type': r.contentType } });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const status = code === 'ENOENT' || code === 'EISDIR' ? 404 : 500;
      return new Response(status === 404 ? 'not found' : 'cannot read file', { status, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    }
  });
}

/**
 * Download / playback URLs for fileinfo_get and filelist_get: `{base}/gateway/files/{fileid}/{name}
 * ?expires={unix seconds}&sign={HMAC-SHA256}`, valid until `expires`. The route serves the file
 * with HTTP Range (206 / 416) so recordings play and seek in a browser or player.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { baseSecurityHeaders, sendJson } from '../http/httpUtil';
import type { PlatformFile } from './platformPort';

export const DOWNLOAD_PREFIX = '/gateway/files';

const mimeTypes: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.ogg': 'audio/ogg',
  '.opus': 'audio/ogg',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
};

export class DownloadSigner {
  constructor(private readonly secret: Buffer) {}

  private mac(fileId: string, expires: number): Buffer {
    return createHmac('sha256', this.secret).update(`${fileId}\n${expires}`).digest();
  }

  url(base: string, file: PlatformFile, seconds: number, now = Date.now()): string {
    const expires = Math.floor(now / 1000) + seconds;
    const sign = this.mac(file.fileId, expires).toString('base64url');
    return `${base}${DOWNLOAD_PREFIX}/${encodeURIComponent(file.fileId)}/${encodeURIComponent(file.fileName)}?expires=${expires}&sign=${sign}`;
  }

  verify(fileId: string, expires: number, sign: string, now = Date.now()): 'ok' | 'expired' | 'bad' {
    const given = Buffer.from(sign, 'base64url');
    const want = this.mac(fileId, expires);
    if (given.length !== want.length || !timingSafeEqual(given, want)) return 'bad';
    return Math.floor(now / 1000) > expires ? 'expired' : 'ok';
  }
}

/** Parses one `bytes=` range against a size; null = not satisfiable, undefined = no/ignored header. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | null | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined; // multi-range or junk: serve the whole file (RFC 9110 allows ignoring)
  const [, a, b] = m;
  if (a === '' && b === '') return null;
  let start: number;
  let end: number;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return null;
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return null;
  return { start, end };
}

export function serveFile(req: IncomingMessage, res: ServerResponse, file: PlatformFile): void {
  let size: number;
  try {
    size = statSync(file.filePath).size;
  } catch {
    sendJson(res, 404, { return_code: 'FAIL', return_msg: 'file missing', errorcode: 100710 });
    return;
  }
  const type = mimeTypes[path.extname(file.fileName).toLowerCase()] ?? mimeTypes[path.extname(file.filePath).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    ...baseSecurityHeaders,
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, no-store',
    'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
  };
  const range = parseRange(req.headers.range, size);
  if (range === null) {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${size}` });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const status = range ? 206 : 200;
  if (range) headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  headers['Content-Length'] = size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file.filePath, { start, end });
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

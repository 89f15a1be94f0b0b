/** Regression (issue 13): malformed percent-escapes in a path answered 500 and logged a stack. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { HttpServer } from './HttpServer';
import { staticFiles } from './staticFiles';

let http: HttpServer;
const lines: string[] = [];

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'static-'));
  writeFileSync(path.join(root, 'index.html'), '<p>console</p>');
  mkdirSync(path.join(root, 'demo'));
  writeFileSync(path.join(root, 'demo', 'index.html'), '<p>demo</p>');
  http = new HttpServer(pino({ level: 'info' }, { write: (l: string) => void lines.push(l) }));
  http.mount('/demo', staticFiles(path.join(root, 'demo'), { urlPrefix: '/demo', fallback: 'index.html' }));
  http.mount('/', staticFiles(root, { urlPrefix: '/', fallback: 'index.html' }));
  await http.listen('127.0.0.1', 0);
});
afterAll(() => http.close(100));

/** Raw GET: fetch() would normalise the path before sending it. */
function get(rawPath: string): Promise<number> {
  const { port } = new URL(http.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

it('answers 400, not 500, to bad percent-encoding, and logs no error', async () => {
  for (const p of ['/%', '/%E0%A4%A', '/demo/%zz', '/%C0%AF', '/demo/%']) expect(await get(p), p).toBe(400);
  expect(await get('/')).toBe(200);
  expect(await get('/demo/')).toBe(200);
  expect(await get('/some%20route')).toBe(200);
  expect(lines.filter((l) => (JSON.parse(l) as { level: number }).level >= 50)).toEqual([]);
});

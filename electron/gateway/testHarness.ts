/** Test/bench helpers: a gateway on a real HTTP port with a MemoryPlatform, and a signed-request client. */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { configSchema, type Config } from '../config/schema';
import { HttpServer } from '../http/HttpServer';
import { openDatabase, runMigrations, type Db } from '../store/Database';
import { DOWNLOAD_PREFIX } from './downloads';
import { Gateway, gatewayMigrations } from './Gateway';
import { MemoryPlatform } from './memoryPlatform';
import { md5Signature } from './signature';
import { formatTimestamp } from './timestamp';

export const TEST_APP_ID = 'E205F8EC-D896-4451-B815-460D36ED7FBD';
export const TEST_MD5_KEY = 'anychat';

export interface Harness {
  gateway: Gateway;
  platform: MemoryPlatform;
  http: HttpServer;
  db: Db;
  url: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startGateway(
  partial: Partial<Record<keyof Config, unknown>> = {},
  opts: { dataDir?: string; platform?: MemoryPlatform; logger?: Logger } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'gw-'));
  const config = configSchema.parse({
    apps: [{ appId: TEST_APP_ID, md5Key: TEST_MD5_KEY }],
    ...partial,
    dataDir,
  });
  const logger = opts.logger ?? pino({ level: 'silent' });
  const db = openDatabase(dataDir);
  runMigrations(db, gatewayMigrations);
  const platform = opts.platform ?? new MemoryPlatform();
  const http = new HttpServer(logger);
  let base = '';
  const gateway = await Gateway.create({ db, config, logger, platform, publicBaseUrl: () => base });
  http.route('*', '/gateway', gateway.handle);
  http.mount(DOWNLOAD_PREFIX, gateway.handleDownload);
  await http.listen('127.0.0.1', 0);
  base = http.url;
  return {
    gateway,
    platform,
    http,
    db,
    url: base,
    dataDir,
    async close() {
      gateway.close();
      await http.close(100);
      db.close();
    },
  };
}

export function signedUrl(
  base: string,
  method: string,
  o: { appId?: string; key?: string; timestamp?: string; signstr?: string; signtype?: string; now?: number; zone?: 'utc' | 'local' } = {},
): string {
  const appId = o.appId ?? TEST_APP_ID;
  // The gateway reads timestamps in the host's local zone by default.
  const timestamp = o.timestamp ?? formatTimestamp(o.now ?? Date.now(), o.zone ?? 'local');
  const signstr = o.signstr ?? md5Signature(method, appId, timestamp, o.key ?? TEST_MD5_KEY);
  const q = new URLSearchParams({ method, timestamp, appid: appId, signtype: o.signtype ?? 'MD5', signstr });
  return `${base}/gateway?${q.toString()}`;
}

export async function call(
  base: string,
  method: string,
  body: unknown,
  o: Parameters<typeof signedUrl>[2] = {},
): Promise<{ status: number; json: Record<string, unknown>; replayed: boolean }> {
  const res = await fetch(signedUrl(base, method, o), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json;charset=UTF-8' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, replayed: res.headers.get('x-gateway-replayed') === '1' };
}

/** Distinct timestamps (inside a 300 s window) so repeated calls in one test are not refused as replays. */
const usedTimestamps = new Set<string>();
export function nextTimestamp(): string {
  for (let off = 0; off < 290; off++) {
    const ts = formatTimestamp(Date.now() - off * 1000, 'local');
    if (!usedTimestamps.has(ts)) {
      usedTimestamps.add(ts);
      return ts;
    }
  }
  throw new Error('no unused timestamp left in the window');
}

/**
 * TEST-ONLY: the real SDK, signaling server, media node and business layer on one ephemeral HTTP
 * port, serving the mic-follow test page (page/client.js, bundled with Vite in memory).
 * The media node ↔ signaling MediaPort adapter here is the same thin cast the composition root uses.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { BusinessLayer, businessMigrations } from '../../electron/business';
import { configSchema } from '../../electron/config/schema';
import { HttpServer } from '../../electron/http/HttpServer';
import { MediaNode } from '../../electron/media/index';
import { AnyChatSdk, sdkMigrations } from '../../electron/sdk';
import { SignalingServer, type PortRouter } from '../../electron/signaling';
import { openDatabase, runMigrations } from '../../electron/store/Database';

export const E2E_USERS = Array.from({ length: 6 }, (_, i) => ({
  userName: `u${i + 1}`,
  password: `pw${i + 1}`,
  userId: 3001 + i,
  level: 0,
  nickName: `User ${i + 1}`,
}));

export interface BusinessServer {
  url: string;
  wsUrl: string;
  sdk: AnyChatSdk;
  business: BusinessLayer;
  close(): Promise<void>;
}

export async function startBusinessServer(page: { html: string; js: string }, rtcPorts: [number, number]): Promise<BusinessServer> {
  const logger = pino({ level: process.env.BIZ_LOG ?? 'warn' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-biz-e2e-'));
  const db = openDatabase(dataDir);
  runMigrations(db, [...sdkMigrations, ...businessMigrations]);
  const config = configSchema.parse({});
  const sdk = await AnyChatSdk.create({
    db,
    logger,
    users: E2E_USERS,
    tempDir: path.join(dataDir, 'transfers'),
    settings: { ...config.signaling, guestLogin: false },
  });
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: rtcPorts[0],
    rtcMaxPort: rtcPorts[1],
    numWorkers: 0,
    recordingsDir: path.join(dataDir, 'recordings'),
    logger,
  });
  const signaling = await SignalingServer.create({
    sdk,
    logger,
    media: { createRouter: async () => (await node.createRouter()) as unknown as PortRouter },
    settings: config.signaling,
  });
  const business = await BusinessLayer.create({ sdk, db, config, logger });
  const http = new HttpServer(logger);
  http.route('GET', '/', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page.html);
  });
  http.route('GET', '/client.js', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(page.js);
  });
  http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  const addr = await http.listen('127.0.0.1', 0);
  return {
    url: `http://127.0.0.1:${addr.port}/`,
    wsUrl: `ws://127.0.0.1:${addr.port}/ws`,
    sdk,
    business,
    async close() {
      business.close();
      await signaling.close();
      await sdk.close();
      await node.close();
      await http.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Bundles page/client.js (shared/client + mediasoup-client) with Vite's JS API, in memory. */
export async function buildMicPage(): Promise<{ html: string; js: string }> {
  const { build } = await import('vite');
  const entry = fileURLToPath(new URL('./page/client.js', import.meta.url));
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      rollupOptions: { input: entry, output: { format: 'es', entryFileNames: 'client.js', inlineDynamicImports: true } },
    },
  })) as { output: { type: string; fileName: string; code?: string }[] } | { output: { type: string; fileName: string; code?: string }[] }[];
  const outputs = Array.isArray(out) ? out : [out];
  const chunk = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.fileName === 'client.js');
  if (!chunk?.code) throw new Error('page bundle failed');
  return {
    js: chunk.code,
    html: '<!doctype html><html><head><meta charset="utf-8"><title>business e2e</title></head><body><script type="module" src="/client.js"></script></body></html>',
  };
}

/**
 * A standalone signaling host (SDK + `/ws` + optionally the built demo page at `/demo`) without
 * the rest of the core: used by the signaling bench (as a child process, so its RSS is the
 * server's alone) and for running the demo e2e before the composition root wires signaling.
 *
 *   npx tsx bench/signaling/standaloneHost.ts [--port N] [--renderer-dir out/renderer] [--media]
 *
 * Prints `listening http://HOST:PORT` when ready; SIGTERM/SIGINT stop it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { HttpServer } from '../../electron/http/HttpServer';
import { MediaNode } from '../../electron/media';
import { staticFiles } from '../../electron/http/staticFiles';
import { AnyChatSdk, sdkMigrations } from '../../electron/sdk';
import { SignalingServer, attachMediaNode } from '../../electron/signaling';
import { openDatabase, runMigrations } from '../../electron/store/Database';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-standalone-'));
const db = openDatabase(dataDir);
runMigrations(db, sdkMigrations);
const users = [
  { userName: 'alice', password: 'alice-pw', userId: 1001, level: 0, nickName: 'Alice' },
  { userName: 'bob', password: 'bob-pw', userId: 1002, level: 0, nickName: 'Bob' },
  { userName: 'carol', password: 'carol-pw', userId: 1003, level: 0, nickName: 'Carol' },
  { userName: 'dave', password: 'dave-pw', userId: 1004, level: 0, nickName: 'Dave' },
];
const sdk = await AnyChatSdk.create({
  db,
  logger,
  users,
  tempDir: path.join(dataDir, 'transfers'),
  settings: {
    guestLogin: true,
    duplicateLogin: 'kickOld',
    loginFailuresBeforeLock: 5,
    accountLockSeconds: 900,
    hookTimeoutMs: 5000,
    callTimeoutSeconds: 30,
    maxFileBytes: 64 * 1024 * 1024,
  },
});
const mediaNode = process.argv.includes('--media')
  ? await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 43000,
      rtcMaxPort: 43999,
      numWorkers: 1,
      recordingsDir: path.join(dataDir, 'recordings'),
      logger,
    })
  : undefined;
const wiring = mediaNode ? attachMediaNode(sdk, mediaNode, logger) : null;
const signaling = await SignalingServer.create({
  sdk,
  logger,
  media: wiring,
  settings: { pingIntervalSeconds: 10, silentTimeoutSeconds: 30, maxFrameBytes: 2 * 1024 * 1024, maxRequestsPerSecond: 200 },
});
const http = new HttpServer(logger);
http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
const rendererDir = arg('renderer-dir');
if (rendererDir) {
  http.mount('/demo', staticFiles(path.join(path.resolve(rendererDir), 'demo'), { urlPrefix: '/demo', fallback: 'index.html' }));
  http.mount('/', staticFiles(path.resolve(rendererDir), { urlPrefix: '/', fallback: 'index.html' }));
}
const addr = await http.listen('127.0.0.1', Number(arg('port') ?? 0));
process.stdout.write(`listening http://127.0.0.1:${addr.port}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await signaling.close();
  wiring?.detach();
  await sdk.close();
  await mediaNode?.close();
  await http.close(500);
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());

/**
 * Scenario harness for the business layer: a real SQLite file, the SDK, the signaling server and
 * an HttpServer on an ephemeral port, the BusinessLayer on the SDK's public API, and real `ws`
 * clients (shared/client). The business layer runs on a ManualClock so seat time limits are
 * driven by the test; sockets and the SDK run on real time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { AnyChatClient, type ClientEventName, type ClientEvents, type SocketLike } from '../../../shared/client';
import { configSchema } from '../../config/schema';
import { HttpServer } from '../../http/HttpServer';
import { AnyChatSdk, sdkMigrations } from '../../sdk';
import { SignalingServer, type MediaPort, type SignalingSettings } from '../../signaling';
import { openDatabase, runMigrations, type Db } from '../../store/Database';
import { BusinessLayer, type RoomsSettings } from '../BusinessLayer';
import { businessMigrations } from '../businessMigrations';
import { ManualClock } from '../clock';

export const USERS = Array.from({ length: 8 }, (_, i) => ({
  userName: `u${i + 1}`,
  password: `pw${i + 1}`,
  userId: 2001 + i,
  level: 0,
  nickName: `User ${i + 1}`,
}));

export interface BizHarness {
  sdk: AnyChatSdk;
  business: BusinessLayer;
  clock: ManualClock;
  db: Db;
  url: string;
  /** Logs in user n (1-based): userId 2000 + n. */
  login(n: number): Promise<AnyChatClient>;
  /** The `ws` socket under a client (to make it go silent). */
  socketOf(c: AnyChatClient): WebSocket;
  close(): Promise<void>;
}

export async function startBusiness(
  opts: { rooms?: Partial<RoomsSettings>; media?: MediaPort; signaling?: Partial<SignalingSettings> } = {},
): Promise<BizHarness> {
  const logger = pino({ level: process.env.BIZ_LOG ?? 'silent' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-biz-'));
  const db = openDatabase(dataDir);
  runMigrations(db, [...sdkMigrations, ...businessMigrations]);
  const sdk = await AnyChatSdk.create({
    db,
    logger,
    users: USERS,
    tempDir: path.join(dataDir, 'transfers'),
    settings: {
      guestLogin: true,
      duplicateLogin: 'kickOld',
      loginFailuresBeforeLock: 5,
      accountLockSeconds: 60,
      hookTimeoutMs: 2000,
      callTimeoutSeconds: 10,
      maxFileBytes: 1024 * 1024,
    },
  });
  const signaling = await SignalingServer.create({
    sdk,
    logger,
    media: opts.media,
    settings: { pingIntervalSeconds: 5, silentTimeoutSeconds: 60, maxFrameBytes: 2 * 1024 * 1024, maxRequestsPerSecond: 500, ...opts.signaling },
  });
  const clock = new ManualClock(Date.now());
  const rooms = { ...configSchema.parse({}).rooms, ...opts.rooms };
  const business = await BusinessLayer.create({ sdk, db, config: { rooms }, logger, clock });
  const http = new HttpServer(logger);
  http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  const addr = await http.listen('127.0.0.1', 0);
  const url = `ws://127.0.0.1:${addr.port}/ws`;
  const clients: AnyChatClient[] = [];
  const sockets = new Map<AnyChatClient, WebSocket>();
  return {
    sdk,
    business,
    clock,
    db,
    url,
    async login(n) {
      const u = USERS[n - 1]!;
      let ws: WebSocket | null = null;
      const c = await AnyChatClient.connect(url, (x) => (ws = new WebSocket(x)) as unknown as SocketLike);
      clients.push(c);
      sockets.set(c, ws!);
      await c.login(u.userName, u.password);
      return c;
    },
    socketOf(c) {
      return sockets.get(c)!;
    },
    async close() {
      for (const ws of sockets.values()) ws.terminate();
      business.close();
      await signaling.close();
      await sdk.close();
      await http.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Collects every notification of one kind a client receives, for later assertions. */
export function collect<K extends ClientEventName>(c: AnyChatClient, name: K): ClientEvents[K][] {
  const got: ClientEvents[K][] = [];
  c.on(name, (d) => got.push(d));
  return got;
}

/** Polls until `fn` stops throwing (assertions on state that arrives asynchronously). */
export async function eventually(fn: () => void | Promise<void>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fn();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

export async function expectCode(p: Promise<unknown>, code: number): Promise<void> {
  try {
    await p;
  } catch (e) {
    if ((e as { code?: number }).code === code) return;
    throw new Error(`expected code ${code}, got ${(e as { code?: number }).code}: ${(e as Error).message}`);
  }
  throw new Error(`expected code ${code}, but it succeeded`);
}

export const uid = (n: number) => 2000 + n;

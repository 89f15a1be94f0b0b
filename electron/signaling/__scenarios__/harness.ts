/** Test harness: a real SQLite file, the SDK, the signaling server on a real port, real ws clients. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { HttpServer } from '../../http/HttpServer';
import type { MediaNode } from '../../media';
import { AnyChatSdk, sdkMigrations, type DirectoryUser, type SdkSettings } from '../../sdk';
import { openDatabase, runMigrations, type Db, type Migration } from '../../store/Database';
import { SignalingServer, attachMediaNode, attachMediaPort, type SignalingSettings, type MediaPort } from '..';

export const USERS = [
  { userName: 'alice', password: 'alice-pw', userId: 1001, level: 1, nickName: 'Alice' },
  { userName: 'bob', password: 'bob-pw', userId: 1002, level: 0, nickName: 'Bob' },
  { userName: 'carol', password: 'carol-pw', userId: 1003, level: 0, nickName: 'Carol' },
  { userName: 'dave', password: 'dave-pw', userId: 1004, level: 0 },
];

export interface Harness {
  sdk: AnyChatSdk;
  signaling: SignalingServer;
  http: HttpServer;
  db: Db;
  url: string;
  dataDir: string;
  connect(): Promise<AnyChatClient>;
  login(name: 'alice' | 'bob' | 'carol' | 'dave'): Promise<AnyChatClient>;
  /** The `ws` socket under a client made by `connect()` (to make it go silent or drop). */
  socketOf(c: AnyChatClient): WebSocket;
  raw(): Promise<WebSocket>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    sdk?: Partial<SdkSettings>;
    signaling?: Partial<SignalingSettings>;
    media?: MediaPort;
    mediaNode?: MediaNode;
    beforeSignaling?: (sdk: AnyChatSdk) => void;
    /** The user directory (default USERS). */
    users?: DirectoryUser[];
    /** Migrations of components built on top (after the SDK's). */
    migrations?: Migration[];
    logLevel?: string;
    /** A logger to capture lines (default: pino at logLevel). */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const logger = opts.logger ?? pino({ level: opts.logLevel ?? 'silent' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-sig-'));
  const db = openDatabase(dataDir);
  runMigrations(db, [...sdkMigrations, ...(opts.migrations ?? [])]);
  const sdk = await AnyChatSdk.create({
    db,
    logger,
    users: opts.users ?? USERS,
    tempDir: path.join(dataDir, 'transfers'),
    settings: {
      guestLogin: true,
      duplicateLogin: 'kickOld',
      loginFailuresBeforeLock: 3,
      accountLockSeconds: 60,
      hookTimeoutMs: 300,
      callTimeoutSeconds: 2,
      maxFileBytes: 4 * 1024 * 1024,
      ...opts.sdk,
    },
  });
  opts.beforeSignaling?.(sdk);
  // The harness is the composition root here: it plugs media into the SDK, as Core does.
  const wiring = opts.mediaNode ? attachMediaNode(sdk, opts.mediaNode, logger) : opts.media ? attachMediaPort(sdk, opts.media, logger) : null;
  const signaling = await SignalingServer.create({
    sdk,
    logger,
    media: wiring,
    settings: { pingIntervalSeconds: 1, silentTimeoutSeconds: 30, maxFrameBytes: 2 * 1024 * 1024, maxRequestsPerSecond: 200, ...opts.signaling },
  });
  const http = new HttpServer(logger);
  http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  const addr = await http.listen('127.0.0.1', 0);
  const url = `ws://127.0.0.1:${addr.port}/ws`;
  const sockets = new Map<AnyChatClient, WebSocket>();
  const raws: WebSocket[] = [];
  const connect = async () => {
    let ws: WebSocket | null = null;
    const c = await AnyChatClient.connect(url, (u) => (ws = new WebSocket(u)) as unknown as SocketLike);
    sockets.set(c, ws!);
    return c;
  };
  return {
    sdk,
    signaling,
    http,
    db,
    url,
    dataDir,
    connect,
    async login(name) {
      const u = (opts.users ?? USERS).find((x) => x.userName === name)!;
      const c = await connect();
      await c.login(u.userName, u.password);
      return c;
    },
    socketOf(c) {
      return sockets.get(c)!;
    },
    async raw() {
      const ws = new WebSocket(url);
      raws.push(ws);
      await new Promise((res, rej) => {
        ws.once('open', res);
        ws.once('error', rej);
      });
      return ws;
    },
    async close() {
      for (const c of sockets.keys()) if (c.isOpen) c.close();
      for (const w of raws) w.terminate();
      await signaling.close();
      wiring?.detach();
      await sdk.close();
      await http.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sends a raw frame and resolves with the next parsed frame. */
export function rawRequest(ws: WebSocket, frame: string | Buffer, binary = false): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMsg = (d: WebSocket.RawData) => {
      const m = JSON.parse(d.toString()) as Record<string, unknown>;
      if ('id' in m || m.notification === 'error') {
        ws.off('message', onMsg);
        resolve(m);
      }
    };
    ws.on('message', onMsg);
    ws.send(frame, { binary });
  });
}

/** A logger that keeps every line it writes (level as pino's number: 50 = error). */
export function capturingLogger(): { logger: Logger; lines: { level: number; msg?: string }[] } {
  const lines: { level: number; msg?: string }[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg?: string }) });
  return { logger, lines };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function expectCode(p: Promise<unknown>, code: number): Promise<void> {
  try {
    await p;
  } catch (e) {
    if ((e as { code?: number }).code === code) return;
    throw new Error(`expected code ${code}, got ${(e as { code?: number }).code}: ${(e as Error).message}`);
  }
  throw new Error(`expected code ${code}, but it succeeded`);
}

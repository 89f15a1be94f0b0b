/**
 * Test stack for recording journeys: SQLite file, SDK, signaling on a real port with the real
 * media node (in-process engine), the gateway platform (file index) and gateway + a webhook
 * receiver (recordsnapshot_notify), real ws clients publishing over ICE/DTLS/SRTP from Node peers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../../../shared/client';
import { configSchema } from '../../../config/schema';
import { Gateway, gatewayMigrations } from '../../../gateway/Gateway';
import { SdkPlatform } from '../../../gateway/sdkPlatform';
import { TEST_APP_ID } from '../../../gateway/testHarness';
import { WebhookReceiver } from '../../../gateway/webhookReceiver';
import { HttpServer } from '../../../http/HttpServer';
import { AnyChatSdk, sdkMigrations } from '../../../sdk';
import { SignalingServer, attachMediaNode } from '../../../signaling';
import { openDatabase, runMigrations, type Db } from '../../../store/Database';
import { MediaNode, type RtpParameters } from '../../index';
import { NodePeer } from '../../testing/NodePeer';
import { findFfmpeg } from '../ffmpegLocator';

export const USERS = [
  { userName: 'alice', password: 'a', userId: 1001, level: 1, nickName: 'Alice' },
  { userName: 'bob', password: 'b', userId: 1002, level: 0, nickName: 'Bob' },
  { userName: 'carol', password: 'c', userId: 1003, level: 0, nickName: 'Carol' },
  { userName: 'dave', password: 'd', userId: 1004, level: 0, nickName: 'Dave' },
];

export interface Publisher {
  client: AnyChatClient;
  peer: NodePeer;
  videoProducerId: string;
  audioProducerId: string;
}

export interface RecordingStack {
  db: Db;
  sdk: AnyChatSdk;
  node: MediaNode;
  signaling: SignalingServer;
  platform: SdkPlatform;
  rx: WebhookReceiver;
  dataDir: string;
  recordingsDir: string;
  login(name: string): Promise<AnyChatClient>;
  /** Enters `roomId` and publishes Opus (ssrc 5000+uid) + VP8 (ssrc 6000+uid) through a Node peer. */
  publish(client: AnyChatClient, userId: number, roomId: number): Promise<Publisher>;
  notices(method: string): Record<string, unknown>[];
  close(): Promise<void>;
}

export const VP8_PT = 96;
export const OPUS_PT = 111;

export async function startRecordingStack(opts: { recordingsDir?: string; rtcPorts: [number, number]; ffmpeg?: boolean }): Promise<RecordingStack> {
  const logger = pino({ level: process.env.TEST_LOG ?? 'silent' });
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rec-stack-'));
  const recordingsDir = opts.recordingsDir ?? path.join(dataDir, 'recordings');
  const rx = await WebhookReceiver.start({ md5Key: 'anychat' });
  const config = configSchema.parse({ dataDir, users: USERS, apps: [{ appId: TEST_APP_ID, md5Key: 'anychat', callbackUrl: rx.url }] });
  const db = openDatabase(dataDir);
  runMigrations(db, [...sdkMigrations, ...gatewayMigrations]);
  const sdk = await AnyChatSdk.create({
    db,
    logger,
    users: USERS,
    tempDir: path.join(dataDir, 'transfers'),
    settings: {
      guestLogin: true,
      duplicateLogin: 'kickOld',
      loginFailuresBeforeLock: 3,
      accountLockSeconds: 60,
      hookTimeoutMs: 300,
      callTimeoutSeconds: 5,
      maxFileBytes: 1 << 20,
    },
  });
  const node = await MediaNode.create({
    listenIp: '127.0.0.1',
    announcedIp: null,
    rtcMinPort: opts.rtcPorts[0],
    rtcMaxPort: opts.rtcPorts[1],
    numWorkers: 0,
    recordingsDir,
    ffmpegPath: opts.ffmpeg === false ? null : (findFfmpeg(null)?.path ?? null),
    logger,
  });
  const wiring = attachMediaNode(sdk, node, logger);
  const signaling = await SignalingServer.create({
    sdk,
    logger,
    media: wiring,
    settings: { pingIntervalSeconds: 1, silentTimeoutSeconds: 30, maxFrameBytes: 2 << 20, maxRequestsPerSecond: 500 },
  });
  const platform = await SdkPlatform.create({ sdk, db, logger });
  const http = new HttpServer(logger);
  let base = '';
  const gateway = await Gateway.create({ db, config, logger, platform, publicBaseUrl: () => base });
  http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head));
  http.route('*', '/gateway', gateway.handle);
  await http.listen('127.0.0.1', 0);
  base = http.url;
  const clients: AnyChatClient[] = [];
  const peers: NodePeer[] = [];

  const login = async (name: string) => {
    const u = USERS.find((x) => x.userName === name)!;
    const c = await AnyChatClient.connect(`${base.replace('http', 'ws')}/ws`, (url) => new WebSocket(url) as unknown as SocketLike);
    clients.push(c);
    await c.login(u.userName, u.password);
    return c;
  };

  const publish = async (client: AnyChatClient, userId: number, roomId: number): Promise<Publisher> => {
    await client.enterRoom({ roomId });
    const t = (await client.request('createWebRtcTransport', { direction: 'send' })) as {
      id: string;
      iceParameters: never;
      iceCandidates: never;
      dtlsParameters: never;
    };
    const peer = await NodePeer.connect(
      t,
      async (dtlsParameters) => void (await client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters })),
    );
    peers.push(peer);
    const video: RtpParameters = {
      mid: '0',
      codecs: [{ mimeType: 'video/VP8', payloadType: VP8_PT, clockRate: 90000, parameters: {}, rtcpFeedback: [{ type: 'nack', parameter: 'pli' }] }],
      headerExtensions: [],
      encodings: [{ ssrc: 6000 + userId }],
      rtcp: { cname: `u${userId}` },
    };
    const audio: RtpParameters = {
      mid: '1',
      codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
      headerExtensions: [],
      encodings: [{ ssrc: 5000 + userId }],
      rtcp: { cname: `u${userId}` },
    };
    const v = (await client.request('produce', { transportId: t.id, kind: 'video', rtpParameters: video })) as { id: string };
    const a = (await client.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: audio })) as { id: string };
    return { client, peer, videoProducerId: v.id, audioProducerId: a.id };
  };

  return {
    db,
    sdk,
    node,
    signaling,
    platform,
    rx,
    dataDir,
    recordingsDir,
    login,
    publish,
    notices: (m) => rx.delivered.filter((n) => n.method === m).map((n) => n.body as Record<string, unknown>),
    async close() {
      for (const c of clients) if (c.isOpen) c.close();
      for (const p of peers) await p.close().catch(() => undefined);
      await signaling.close();
      wiring.detach();
      await gateway.close();
      platform.close();
      await node.close();
      await sdk.close();
      await http.close();
      await rx.close();
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Synthetic VP8 frames (a keyframe every 30) + Opus packets, paced in real time. */
export class SyntheticSender {
  private vSeq = 0;
  private aSeq = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;
  constructor(
    private readonly peer: NodePeer,
    private readonly userId: number,
    private readonly frameBytes = 600,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), 33);
  }
  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const key = this.frame % 30 === 0;
    // VP8 payload descriptor (S=1) + frame tag; a keyframe carries the start code + 64x48
    const head = key ? Buffer.from([0x10, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x00, 0x30, 0x00]) : Buffer.from([0x10, 0x51, 0x00, 0x00]);
    const payload = Buffer.concat([head, Buffer.alloc(this.frameBytes, this.frame & 0xff)]);
    void this.peer
      .sendRtp(
        { ssrc: 6000 + this.userId, payloadType: VP8_PT, sequenceNumber: this.vSeq++ & 0xffff, timestamp: (this.frame * 3000) >>> 0, marker: true },
        payload,
      )
      .catch(() => undefined);
    this.frame++;
    for (let i = 0; i < (this.frame % 3 === 0 ? 1 : 2); i++) {
      void this.peer
        .sendRtp(
          { ssrc: 5000 + this.userId, payloadType: OPUS_PT, sequenceNumber: this.aSeq & 0xffff, timestamp: (this.aSeq * 960) >>> 0 },
          Buffer.from([0xf8, 0xff, 0xfe]),
        )
        .catch(() => undefined);
      this.aSeq++;
    }
  }
}

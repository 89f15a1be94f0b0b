/**
 * The client signaling server (WebSocket `/ws`, protocol.md §2). Mount with
 * `http.upgrade('/ws', (req, socket, head) => signaling.handleUpgrade(req, socket, head))`.
 * Keeps clients alive with ping frames and logs out the silent ones (reason 100).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { ServerMessages } from '../../shared/codes';
import type { AnyChatSdk } from '../sdk';
import { WarnThrottle } from '../http/warnThrottle';
import { clientAddress } from '../http/httpUtil';
import { describeClient } from '../http/userAgent';
import { ClientConnection } from './ClientConnection';
import type { LiveRecordingSizes, MediaWiring } from './media/mediaWiring';
import type { MediaRequests } from './media/MediaRequests';
import type { RoomRecorder } from './media/roomRecorder';

export interface SignalingSettings {
  pingIntervalSeconds: number;
  silentTimeoutSeconds: number;
  maxFrameBytes: number;
  maxRequestsPerSecond: number;
  /** How often a publishing member's network quality goes to its room (0 = never; default 5). */
  networkQualitySeconds?: number;
}

export interface SignalingOptions {
  sdk: AnyChatSdk;
  logger: Logger;
  settings: SignalingSettings;
  /** The media rows and recorders, plugged into the SDK by the composition root (mediaWiring.ts); without them the media rows answer 900801. */
  media?: MediaWiring | null;
}

export class SignalingServer {
  private readonly wss: WebSocketServer;
  private readonly conns = new Set<ClientConnection>();
  private readonly media: MediaRequests | null;
  private lastPing = Date.now();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** Warnings about misbehaving clients, a few per client and reason per minute plus a summary line. */
  private readonly warnings: WarnThrottle;
  /** "Record room" (composed recordings); null without a media node. */
  roomRecorder: RoomRecorder | null = null;

  private constructor(private readonly opts: SignalingOptions) {
    this.warnings = new WarnThrottle(opts.logger);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: opts.settings.maxFrameBytes, perMessageDeflate: false });
    this.media = opts.media?.requests ?? null;
    this.roomRecorder = opts.media?.roomRecorder ?? null;
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  /** Bytes written so far by the recordings in progress (none without a media node). */
  recordingSizes(): Promise<LiveRecordingSizes> {
    return this.opts.media?.liveSizes() ?? Promise.resolve({ users: {}, rooms: {} });
  }

  static async create(opts: SignalingOptions): Promise<SignalingServer> {
    const s = new SignalingServer(opts);
    opts.sdk.reportServerMessage(ServerMessages.CORE_SERVER_CONN, 0, 0);
    return s;
  }

  /** The media side's room view (routers, producers) — null without a media node. */
  get roomMedia(): MediaRequests | null {
    return this.media;
  }

  get connectionCount(): number {
    return this.conns.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const ip = clientAddress(req);
      const conn = new ClientConnection(
        ws,
        ip,
        this.opts.sdk.client,
        this.media,
        this.opts.settings.maxRequestsPerSecond,
        this.opts.logger,
        (c) => this.conns.delete(c),
        this.warnings,
      );
      conn.userAgent = describeClient(req.headers['user-agent']);
      this.conns.add(conn);
      ws.on('close', (code, reason) => {
        if (code === 1009) this.warnings.warn(ip, 'frame over the hard cap', { reason: reason.toString() }, 'client frame over the hard cap; socket closed');
      });
    });
  }

  /** Finishes, indexes and announces every recording in progress (host shutdown, before the gateway stops). */
  async finishRecordings(): Promise<void> {
    await this.opts.media?.finishRecordings();
  }

  /** Closes every client socket and stops the liveness timer. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.warnings.close();
    for (const c of [...this.conns]) c.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private tick(): void {
    const now = Date.now();
    const silentMs = this.opts.settings.silentTimeoutSeconds * 1000;
    const doPing = now - this.lastPing >= this.opts.settings.pingIntervalSeconds * 1000;
    if (doPing) this.lastPing = now;
    for (const c of this.conns) {
      if (now - c.lastSeen > silentMs) c.timedOut();
      else if (doPing) c.ping();
    }
  }
}

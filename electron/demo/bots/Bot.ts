/**
 * A bot: an ordinary client of the host — the project's client SDK over a real WebSocket, and
 * werift peers with real ICE/DTLS/SRTP through the media node. It can publish the demo clip
 * (audio + video), view (consume every producer in its room and count what arrives), chat,
 * take the mic and answer calls — whatever a scene asks of it.
 */
import WebSocket from 'ws';
import { AnyChatClient, type RoomRole, type SocketLike } from '../../../shared/client';
import type { RtpCapabilities } from '../../media/types';
import { demoClip, type Clip } from '../media/clip';
import { ClipSender } from '../media/ClipSender';
import { BotPeer, type RemoteTransport } from './BotPeer';
import { AUDIO_LEVEL_EXT_ID, audioParameters, OPUS_PT, randomSsrc, videoParameters, VP8_PT } from './rtpParameters';

/** Node's TLS hook: undefined = accept (ws types it as boolean, but a truthy return is an error). The certificate itself is still verified against the pinned one. */
const noNameCheck = (() => undefined) as unknown as (servername: string, cert: unknown) => boolean;

interface TransportInfo extends RemoteTransport {
  id: string;
}

export interface ReceivedFrom {
  userId: number;
  kind: string;
  packets: number;
  bytes: number;
}

export interface BotOptions {
  url: string;
  userName: string;
  /** Empty = guest login. */
  password?: string;
  clip?: Clip;
  /** wss:// to a host with this certificate (PEM): trusted exactly, whatever name it carries (the demo talks to its own host). */
  pinnedCert?: Buffer;
}

export class Bot {
  readonly userId: number;
  readonly nickName: string;
  roomId = 0;
  private sendPeer: BotPeer | null = null;
  private sendTransportId = '';
  private sender: ClipSender | null = null;
  private readonly producerIds: string[] = [];
  private recvPeer: BotPeer | null = null;
  private recvTransportId = '';
  private caps: RtpCapabilities | null = null;
  /** Consumed producers: producerId → what arrived from it. */
  readonly received = new Map<string, ReceivedFrom>();
  private readonly consumerSsrc = new Map<number, string>();
  private viewing = false;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Sent packets of media stopped earlier (republish keeps the total). */
  private sentBefore = 0;

  private constructor(
    readonly client: AnyChatClient,
    me: { userId: number; nickName: string },
    private readonly clip: Clip,
  ) {
    this.userId = me.userId;
    this.nickName = me.nickName;
    client.on('newProducer', (p) => {
      if (this.viewing && p.userId !== this.userId) void this.serial(() => this.consume(p.producerId, p.userId, p.kind));
    });
    client.on('producerClosed', (p) => this.received.delete(p.producerId));
  }

  static async login(opts: BotOptions): Promise<Bot> {
    const pinned = opts.pinnedCert;
    const client = await AnyChatClient.connect(
      opts.url,
      (u) => (pinned ? new WebSocket(u, { ca: pinned, checkServerIdentity: noNameCheck }) : new WebSocket(u)) as unknown as SocketLike,
    );
    try {
      const me = await client.login(opts.userName, opts.password ?? '');
      return new Bot(client, me, opts.clip ?? demoClip());
    } catch (err) {
      client.close();
      throw err;
    }
  }

  get isOpen(): boolean {
    return !this.closed && this.client.isOpen;
  }

  get publishing(): boolean {
    return this.sender !== null;
  }

  /** RTP packets this bot has sent since it logged in. */
  get packetsSent(): number {
    return this.sentBefore + (this.sender?.stats.packetsSent ?? 0);
  }

  get senderStats() {
    return this.sender?.stats ?? null;
  }

  async enterRoom(room: { roomName?: string; roomId?: number }, role: RoomRole = 'interactive'): Promise<number> {
    const r = await this.client.enterRoom({ ...room, role });
    this.roomId = r.roomId;
    this.caps = null;
    return r.roomId;
  }

  async leaveRoom(): Promise<void> {
    await this.stopMedia();
    if (this.roomId) await this.client.leaveRoom().catch(() => undefined);
    this.roomId = 0;
  }

  say(text: string): Promise<unknown> {
    return this.client.sendTextMessage(-1, text);
  }

  /** Publishes the clip (audio + video) in the current room; `offsetMs` shifts where the loop starts. */
  publish(offsetMs = 0): Promise<unknown> {
    return this.serial(async () => {
      if (this.sender || this.closed) return;
      // The send transport outlives unpublish (seat rotation): its ICE consent checks keep it open on the node.
      if (!this.sendPeer) {
        const t = (await this.client.request('createWebRtcTransport', { direction: 'send' })) as TransportInfo;
        this.sendPeer = await BotPeer.connect(
          t,
          async (dtlsParameters) => void (await this.client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters })),
        );
        this.sendTransportId = t.id;
      }
      const peer = this.sendPeer;
      const cname = `bot-${this.userId}`;
      const audioSsrc = randomSsrc();
      const videoSsrc = randomSsrc();
      try {
        for (const [kind, rtpParameters] of [
          ['audio', audioParameters(audioSsrc, cname, '0')],
          ['video', videoParameters(videoSsrc, cname, '1')],
        ] as const) {
          const { id } = (await this.client.request('produce', { transportId: this.sendTransportId, kind, rtpParameters, appData: { bot: true } })) as {
            id: string;
          };
          this.producerIds.push(id);
        }
      } catch (err) {
        for (const producerId of this.producerIds.splice(0)) await this.client.request('closeProducer', { producerId }).catch(() => undefined);
        throw err;
      }
      this.sender = new ClipSender({
        clip: this.clip,
        peer,
        audio: { ssrc: audioSsrc, payloadType: OPUS_PT, audioLevelExtId: AUDIO_LEVEL_EXT_ID },
        video: { ssrc: videoSsrc, payloadType: VP8_PT },
        offsetMs,
      });
      this.sender.start();
    });
  }

  /** Stops publishing: closes the producers (the room sees producerClosed); the send transport stays for the next publish. */
  unpublish(): Promise<unknown> {
    return this.serial(async () => {
      this.stopSender();
      for (const producerId of this.producerIds.splice(0)) await this.client.request('closeProducer', { producerId }).catch(() => undefined);
    });
  }

  /** Consumes every producer in the room, now and later, counting the RTP that arrives. */
  view(): Promise<unknown> {
    this.viewing = true;
    return this.serial(() => this.ensureRecv());
  }

  /** Media from other users: per user and kind, packets received. */
  receivedByUser(): Map<number, { audio: number; video: number }> {
    const out = new Map<number, { audio: number; video: number }>();
    for (const r of this.received.values()) {
      const e = out.get(r.userId) ?? { audio: 0, video: 0 };
      if (r.kind === 'audio') e.audio += r.packets;
      else e.video += r.packets;
      out.set(r.userId, e);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.stopMedia();
    this.closed = true;
    if (this.client.isOpen) {
      await this.client.logout().catch(() => undefined);
      this.client.close();
    }
  }

  // -------------------------------------------------------------- internals

  private serial(fn: () => Promise<unknown>): Promise<unknown> {
    const next = this.chain.then(() => (this.closed ? undefined : fn()));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async stopMedia(): Promise<void> {
    this.viewing = false;
    await this.unpublish().catch(() => undefined);
    await this.dropSend();
    await this.recvPeer?.close();
    this.recvPeer = null;
    this.recvTransportId = '';
    this.received.clear();
    this.consumerSsrc.clear();
  }

  private stopSender(): void {
    if (!this.sender) return;
    this.sender.stop();
    this.sentBefore += this.sender.stats.packetsSent;
    this.sender = null;
  }

  private async dropSend(): Promise<void> {
    this.stopSender();
    await this.sendPeer?.close();
    this.sendPeer = null;
    this.sendTransportId = '';
  }

  private async ensureRecv(): Promise<void> {
    if (this.recvPeer) return;
    this.caps ??= (await this.client.request('getRouterRtpCapabilities', {})) as RtpCapabilities;
    const t = (await this.client.request('createWebRtcTransport', { direction: 'recv' })) as TransportInfo;
    const peer = await BotPeer.connect(
      t,
      async (dtlsParameters) => void (await this.client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters })),
    );
    peer.onRtp = (p) => {
      const producerId = this.consumerSsrc.get(p.header.ssrc);
      const r = producerId ? this.received.get(producerId) : undefined;
      if (!r) return;
      r.packets++;
      r.bytes += p.payload.length;
    };
    this.recvPeer = peer;
    this.recvTransportId = t.id;
  }

  private async consume(producerId: string, userId: number, kind: string): Promise<void> {
    if (this.received.has(producerId)) return;
    await this.ensureRecv();
    const c = (await this.client.request('consume', { transportId: this.recvTransportId, producerId, rtpCapabilities: this.caps })) as {
      id: string;
      rtpParameters: { encodings?: { ssrc?: number }[] };
    };
    const ssrc = c.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc !== undefined) this.consumerSsrc.set(ssrc, producerId);
    this.received.set(producerId, { userId, kind, packets: 0, bytes: 0 });
    await this.client.request('resumeConsumer', { consumerId: c.id });
  }
}

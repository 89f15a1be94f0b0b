/**
 * TEST ONLY: a user that logs in over the real client signaling (ws or wss), enters a room and
 * publishes an Opus track from a werift NodePeer, sending RTP at a chosen rate and payload size
 * and dropping a chosen fraction of packets before they leave (sequence numbers still advance,
 * so the SFU sees real loss).
 */
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import type { RtpParameters } from '../../media';
import { NodePeer } from '../../media/testing/NodePeer';

const OPUS_PT = 111;
const audioParams = (ssrc: number): RtpParameters => ({
  mid: '0',
  codecs: [{ mimeType: 'audio/opus', payloadType: OPUS_PT, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [{ uri: 'urn:ietf:params:rtp-hdrext:sdes:mid', id: 1 }],
  encodings: [{ ssrc }],
  rtcp: { cname: `pub-${ssrc}` },
});

export interface PublisherOptions {
  baseUrl: string;
  userName: string;
  password: string;
  roomId: number;
  /** Self-signed TLS in tests. */
  insecureTls?: boolean;
}

export class TestPublisher {
  /** Bytes of each packet's payload (50 packets/s: 100 B ≈ 40 kbit/s, 1000 B ≈ 400 kbit/s). */
  payloadBytes = 200;
  /** Fraction of packets dropped before sending (0–1). */
  loss = 0;
  producerId = '';
  private timer: NodeJS.Timeout | null = null;
  private seq = 1000;
  private ts = 0;
  private sent = 0;

  private constructor(
    readonly client: AnyChatClient,
    private readonly peer: NodePeer,
    private readonly ssrc: number,
  ) {}

  static async start(o: PublisherOptions): Promise<TestPublisher> {
    const url = `${o.baseUrl.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
    const client = await AnyChatClient.connect(url, (u) => new WebSocket(u, { rejectUnauthorized: !o.insecureTls }) as unknown as SocketLike);
    await client.login(o.userName, o.password);
    await client.enterRoom({ roomId: o.roomId });
    const t = (await client.request('createWebRtcTransport', { direction: 'send' })) as never as {
      id: string;
      iceParameters: never;
      iceCandidates: never;
      dtlsParameters: never;
    };
    const peer = await NodePeer.connect(
      t,
      async (dtlsParameters) => void (await client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters })),
    );
    const ssrc = 10_000 + Math.floor(Math.random() * 1_000_000);
    const pub = new TestPublisher(client, peer, ssrc);
    const { id } = (await client.request('produce', { transportId: t.id, kind: 'audio', rtpParameters: audioParams(ssrc) })) as { id: string };
    pub.producerId = id;
    pub.timer = setInterval(() => void pub.send(), 20);
    return pub;
  }

  private async send(): Promise<void> {
    const seq = this.seq++ & 0xffff;
    this.ts = (this.ts + 960) >>> 0;
    // Deterministic drop pattern: over any 100 packets exactly round(loss*100) are dropped.
    const n = this.sent++;
    if (Math.floor((n + 1) * this.loss) > Math.floor(n * this.loss)) return;
    const payload = Buffer.alloc(this.payloadBytes, 0xab);
    payload[0] = 0xfc;
    try {
      await this.peer.sendRtp({ ssrc: this.ssrc, payloadType: OPUS_PT, sequenceNumber: seq, timestamp: this.ts }, payload);
    } catch {
      /* peer closing */
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.peer.close();
    this.client.close();
  }
}

/** TEST ONLY: a signed-in user in the room that consumes one producer through a NodePeer. */
export async function testConsumer(client: AnyChatClient, producerId: string): Promise<{ peer: NodePeer; close(): Promise<void> }> {
  const caps = await client.request('getRouterRtpCapabilities', {});
  const t = (await client.request('createWebRtcTransport', { direction: 'recv' })) as never as {
    id: string;
    iceParameters: never;
    iceCandidates: never;
    dtlsParameters: never;
  };
  const peer = await NodePeer.connect(
    t,
    async (dtlsParameters) => void (await client.request('connectWebRtcTransport', { transportId: t.id, dtlsParameters })),
  );
  const c = (await client.request('consume', { transportId: t.id, producerId, rtpCapabilities: caps })) as { id: string };
  await client.request('resumeConsumer', { consumerId: c.id });
  return { peer, close: () => peer.close() };
}

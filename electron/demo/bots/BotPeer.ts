/**
 * One bot's WebRTC endpoint on werift, the way mediasoup-client's browser handler behaves towards
 * our media node: ICE full agent (controlling) against the node's ICE-lite candidates, DTLS client,
 * SRTP. Sends and receives raw RTP/RTCP; loopback host candidates only (bots run beside the host).
 */
import { RtpHeader, type RTCDtlsTransport, type RTCIceTransport, type RtcpPacket, type RtpPacket } from 'werift';
import { prepareClientTransport, startClientTransport, type RemoteTransport } from '../../media/peer/clientTransport';
import type { DtlsParameters } from '../../media/types';

export type { RemoteTransport };

export interface RtpSendHeader {
  ssrc: number;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  extensions: { id: number; payload: Buffer }[];
}

export class BotPeer {
  onRtp: ((p: RtpPacket) => void) | null = null;
  onRtcp: ((p: RtcpPacket) => void) | null = null;
  private closed = false;

  private constructor(
    private readonly ice: RTCIceTransport,
    private readonly dtls: RTCDtlsTransport,
  ) {
    dtls.onRtp.subscribe((p) => this.onRtp?.(p));
    dtls.onRtcp.subscribe((p) => this.onRtcp?.(p));
  }

  /** Connects to a transport the node created; `connect` sends our DTLS parameters (connectWebRtcTransport). */
  static async connect(remote: RemoteTransport, connect: (dtls: DtlsParameters) => Promise<void>, localIp = '127.0.0.1'): Promise<BotPeer> {
    const t = await prepareClientTransport(remote, localIp);
    const peer = new BotPeer(t.ice, t.dtls);
    try {
      await startClientTransport(t, connect);
    } catch (err) {
      await peer.close();
      throw err;
    }
    return peer;
  }

  sendRtp(h: RtpSendHeader, payload: Buffer): void {
    if (this.closed) return;
    this.dtls.sendRtp(payload, new RtpHeader(h)).catch(() => undefined);
  }

  sendRtcp(packets: RtcpPacket[]): void {
    if (this.closed) return;
    this.dtls.sendRtcp(packets).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onRtp = null;
    this.onRtcp = null;
    await this.dtls.stop().catch(() => undefined);
    await this.ice.stop().catch(() => undefined);
  }
}

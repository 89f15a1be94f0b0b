/**
 * TEST/BENCH ONLY: a minimal Node-side WebRTC endpoint (werift ICE full agent + DTLS client + SRTP)
 * that connects to one of our WebRtcTransports the way mediasoup-client would, and sends/receives
 * raw RTP/RTCP. Loopback only, no STUN.
 */
import { RtpHeader, type RTCDtlsTransport, type RTCIceTransport, type RtcpPacket, type RtpPacket } from 'werift';
import { prepareClientTransport, startClientTransport, type RemoteTransport } from '../peer/clientTransport';
import type { DtlsParameters } from '../types';

export type RemoteTransportInfo = RemoteTransport;

export class NodePeer {
  readonly rtp: RtpPacket[] = [];
  readonly rtcp: RtcpPacket[] = [];
  keepPackets = true;
  rtpCount = 0;
  onRtp?: (p: RtpPacket) => void;
  onRtcp?: (p: RtcpPacket) => void;

  private constructor(
    readonly ice: RTCIceTransport,
    readonly dtls: RTCDtlsTransport,
  ) {
    dtls.onRtp.subscribe((p) => {
      this.rtpCount++;
      if (this.keepPackets) this.rtp.push(p);
      this.onRtp?.(p);
    });
    dtls.onRtcp.subscribe((p) => {
      this.rtcp.push(p);
      this.onRtcp?.(p);
    });
  }

  static async connect(remote: RemoteTransportInfo, connect: (dtlsParameters: DtlsParameters) => Promise<void>): Promise<NodePeer> {
    const t = await prepareClientTransport(remote);
    const peer = new NodePeer(t.ice, t.dtls);
    await startClientTransport(t, connect);
    return peer;
  }

  sendRtp(
    h: { ssrc: number; payloadType: number; sequenceNumber: number; timestamp: number; marker?: boolean; extensions?: { id: number; payload: Buffer }[] },
    payload: Buffer,
  ) {
    return this.dtls.sendRtp(payload, new RtpHeader({ ...h, marker: h.marker ?? false, extensions: h.extensions ?? [] }));
  }

  sendRtcp(packets: RtcpPacket[]) {
    return this.dtls.sendRtcp(packets);
  }

  async close() {
    await this.dtls.stop().catch(() => {});
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout waiting for ${what}`);
    await sleep(10);
  }
}

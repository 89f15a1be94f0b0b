/**
 * One bot's WebRTC endpoint on werift, the way mediasoup-client's browser handler behaves towards
 * our media node: ICE full agent (controlling) against the node's ICE-lite candidates, DTLS client,
 * SRTP. Sends and receives raw RTP/RTCP; loopback host candidates only (bots run beside the host).
 */
import {
  IceCandidate as WeriftIceCandidate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
  RtpHeader,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import type { DtlsParameters, IceCandidate, IceParameters } from '../../media/types';

export interface RemoteTransport {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

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
    const cert = await RTCDtlsTransport.SetupCertificate();
    const gatherer = new RTCIceGatherer({ interfaceAddresses: { udp4: localIp }, useIpv4: true, useIpv6: false, stunServer: undefined });
    await gatherer.gather();
    const ice = new RTCIceTransport(gatherer);
    ice.connection.iceControlling = true;
    ice.setRemoteParams(new RTCIceParameters({ ...remote.iceParameters, iceLite: true }));
    for (const c of remote.iceCandidates) {
      if (c.protocol && c.protocol !== 'udp') continue;
      await ice.addRemoteCandidate(new WeriftIceCandidate(1, c.foundation, c.ip ?? c.address, c.port, c.priority, 'udp', 'host'));
    }
    await ice.addRemoteCandidate(undefined);
    const dtls = new RTCDtlsTransport({}, ice, cert, [0x0001]);
    dtls.role = 'client';
    dtls.setRemoteParams(
      new RTCDtlsParameters(
        remote.dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
        'server',
      ),
    );
    const peer = new BotPeer(ice, dtls);
    try {
      await connect({ role: 'client', fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })) });
      await ice.start();
      await dtls.start();
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

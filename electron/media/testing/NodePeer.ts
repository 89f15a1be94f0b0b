/**
 * TEST/BENCH ONLY: a minimal Node-side WebRTC endpoint (werift ICE full agent + DTLS client + SRTP)
 * that connects to one of our WebRtcTransports the way mediasoup-client would, and sends/receives
 * raw RTP/RTCP. Loopback only, no STUN.
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
import type { DtlsParameters, IceCandidate, IceParameters } from '../types';

export interface RemoteTransportInfo {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

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
    const cert = await RTCDtlsTransport.SetupCertificate();
    const gatherer = new RTCIceGatherer({ interfaceAddresses: { udp4: '127.0.0.1' }, useIpv4: true, useIpv6: false, stunServer: undefined });
    await gatherer.gather();
    const ice = new RTCIceTransport(gatherer);
    ice.connection.iceControlling = true;
    ice.setRemoteParams(new RTCIceParameters({ ...remote.iceParameters, iceLite: true }));
    for (const c of remote.iceCandidates) {
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
    const peer = new NodePeer(ice, dtls);
    await connect({ role: 'client', fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })) });
    await ice.start();
    await dtls.start();
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

/**
 * The client side of one of the node's WebRTC transports on werift, the way mediasoup-client's
 * browser handler behaves towards it: ICE full agent (controlling) against the node's ICE-lite
 * UDP host candidates, DTLS client, SRTP. Loopback by default, no STUN. The demo's bots and the
 * tests' peers both connect this way; each wraps the transports in its own class.
 */
import {
  IceCandidate as WeriftIceCandidate,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
} from 'werift';
import type { DtlsParameters, IceCandidate, IceParameters } from '../types';

export interface RemoteTransport {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

export interface ClientTransport {
  ice: RTCIceTransport;
  dtls: RTCDtlsTransport;
  /** What `connectWebRtcTransport` sends to the node. */
  localDtlsParameters: DtlsParameters;
}

/** Gathers, sets the remote side and builds the DTLS transport; nothing is started yet, so the caller can subscribe first. */
export async function prepareClientTransport(remote: RemoteTransport, localIp = '127.0.0.1'): Promise<ClientTransport> {
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
  const localDtlsParameters: DtlsParameters = {
    role: 'client',
    fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })),
  };
  return { ice, dtls, localDtlsParameters };
}

/** Sends our DTLS parameters to the node (`connect`), then runs ICE and the DTLS handshake. */
export async function startClientTransport(t: ClientTransport, connect: (dtls: DtlsParameters) => Promise<void>): Promise<void> {
  await connect(t.localDtlsParameters);
  await t.ice.start();
  await t.dtls.start();
}

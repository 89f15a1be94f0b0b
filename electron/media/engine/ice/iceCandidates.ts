/**
 * The host candidates a transport offers, as mediasoup's WebRtcTransport builds them for one
 * listen IP with enableUdp / enableTcp / preferUdp: foundation "udpcandidate" / "tcpcandidate",
 * TCP passive only (we never dial out), priority from RFC 8445 §5.1.2.1 with type preference 64
 * (host), local preference 10000 (+1000 for UDP when preferUdp), component 1.
 */
import type { IceCandidate } from '../../types';

const HOST_TYPE_PREFERENCE = 64;
const DEFAULT_LOCAL_PREFERENCE = 10_000;
const PREFERRED_BONUS = 1_000;
const COMPONENT = 1;

export function icePriority(localPreference: number): number {
  return 2 ** 24 * HOST_TYPE_PREFERENCE + 2 ** 8 * localPreference + (256 - COMPONENT);
}

export interface CandidatePorts {
  /** address put into the candidates (announced IP, or the listen IP) */
  ip: string;
  udpPort?: number;
  tcpPort?: number;
  preferUdp: boolean;
}

export function hostCandidates({ ip, udpPort, tcpPort, preferUdp }: CandidatePorts): IceCandidate[] {
  const out: IceCandidate[] = [];
  if (udpPort !== undefined) {
    const priority = icePriority(DEFAULT_LOCAL_PREFERENCE + (preferUdp ? PREFERRED_BONUS : 0));
    out.push({ foundation: 'udpcandidate', priority, ip, address: ip, protocol: 'udp', port: udpPort, type: 'host' });
  }
  if (tcpPort !== undefined) {
    const priority = icePriority(DEFAULT_LOCAL_PREFERENCE);
    out.push({ foundation: 'tcpcandidate', priority, ip, address: ip, protocol: 'tcp', port: tcpPort, type: 'host', tcpType: 'passive' });
  }
  return out;
}

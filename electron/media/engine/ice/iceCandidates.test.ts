import { describe, expect, it } from 'vitest';
import { hostCandidates, icePriority } from './iceCandidates';

describe('host candidates (mediasoup priorities)', () => {
  it('priority = 2^24 × 64 (host) + 2^8 × local preference + 255', () => {
    expect(icePriority(10_000)).toBe(1_076_302_079);
    expect(icePriority(11_000)).toBe(1_076_558_079);
  });

  it('preferUdp ranks UDP above passive TCP; without it both are equal', () => {
    const [udp, tcp] = hostCandidates({ ip: '10.0.0.5', udpPort: 40000, tcpPort: 40000, preferUdp: true });
    expect(udp).toEqual({
      foundation: 'udpcandidate',
      priority: 1_076_558_079,
      ip: '10.0.0.5',
      address: '10.0.0.5',
      protocol: 'udp',
      port: 40000,
      type: 'host',
    });
    expect(tcp).toEqual({
      foundation: 'tcpcandidate',
      priority: 1_076_302_079,
      ip: '10.0.0.5',
      address: '10.0.0.5',
      protocol: 'tcp',
      port: 40000,
      type: 'host',
      tcpType: 'passive',
    });
    const equal = hostCandidates({ ip: '10.0.0.5', udpPort: 1, tcpPort: 2, preferUdp: false });
    expect(equal[0].priority).toBe(equal[1].priority);
  });

  it('only the enabled protocols are offered', () => {
    expect(hostCandidates({ ip: '1.2.3.4', tcpPort: 5, preferUdp: true }).map((c) => c.protocol)).toEqual(['tcp']);
    expect(hostCandidates({ ip: '1.2.3.4', udpPort: 5, preferUdp: true }).map((c) => c.protocol)).toEqual(['udp']);
  });
});

/**
 * Everything ICE of one WebRtcTransport: the ICE-lite server, its UDP socket and passive TCP
 * listener (as the settings enable them), the host candidates handed to the client, and the
 * adapter through which werift's RTCDtlsTransport sends and receives on the selected tuple.
 */
import { networkInterfaces } from 'node:os';
import type { RTCIceTransport } from 'werift';
import type { IceCandidate, IceParameters } from '../../types';
import type { EngineSettings } from '../protocol';
import { dtlsIceAdapter } from './dtlsIceAdapter';
import { hostCandidates } from './iceCandidates';
import { IceLiteServer, type IceLog, type IceState, type IceTuple } from './IceLiteServer';
import { bindUdpInRange, type PortRange } from './portRange';
import { TcpIceServer } from './TcpIceServer';
import { UdpIceSocket } from './UdpIceSocket';

export class TransportIce {
  readonly server: IceLiteServer;
  private udp?: UdpIceSocket;
  private tcp?: TcpIceServer;
  iceCandidates: IceCandidate[] = [];
  /** what werift's RTCDtlsTransport takes as its ICE transport */
  readonly dtlsIceTransport: RTCIceTransport;

  private constructor(log: IceLog) {
    this.server = new IceLiteServer(log);
    const server = this.server;
    this.dtlsIceTransport = dtlsIceAdapter({
      onData: server.onData,
      send: (packet) => server.send(packet),
      role: 'controlled',
      state: () => server.state,
      credentials: () => ({ usernameFragment: server.usernameFragment, password: server.password }),
      restarts: () => server.restarts,
    });
  }

  static async create(settings: EngineSettings, log: IceLog): Promise<TransportIce> {
    const enableUdp = settings.enableUdp ?? true;
    const enableTcp = settings.enableTcp ?? true;
    if (!enableUdp && !enableTcp) throw new Error('enableUdp and enableTcp are both false: no ICE candidate to offer');
    const ice = new TransportIce(log);
    const range: PortRange = { ip: settings.listenIp, min: settings.rtcMinPort, max: settings.rtcMaxPort };
    try {
      if (enableUdp) ice.udp = new UdpIceSocket(await bindUdpInRange(range), ice.server);
      if (enableTcp) ice.tcp = await TcpIceServer.listen(range, ice.server, log, ice.udp?.port);
    } catch (e) {
      ice.close();
      throw e;
    }
    // announcedIp wins; a wildcard listenIp without one falls back to a local interface address
    const ip = settings.announcedIp ?? (isWildcard(settings.listenIp) ? firstInterfaceAddress() : settings.listenIp);
    ice.iceCandidates = hostCandidates({ ip, udpPort: ice.udp?.port, tcpPort: ice.tcp?.port, preferUdp: settings.preferUdp ?? true });
    return ice;
  }

  get iceParameters(): IceParameters {
    return this.server.iceParameters;
  }

  get state(): IceState {
    return this.server.state;
  }

  get selectedTuple(): IceTuple | undefined {
    return this.server.selectedTuple;
  }

  /** Resolves once a tuple is selected (the peer's first successful check), or rejects when closed. */
  connected(): Promise<void> {
    if (this.server.selectedTuple) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const { unSubscribe } = this.server.onStateChange.subscribe((s) => {
        if (s === 'closed') {
          unSubscribe();
          reject(new Error('ICE closed'));
        } else if (this.server.selectedTuple) {
          unSubscribe();
          resolve();
        }
      });
    });
  }

  restart(): IceParameters {
    return this.server.restart();
  }

  close(): void {
    this.udp?.close();
    this.tcp?.close();
    this.server.close();
  }
}

function isWildcard(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::';
}

function firstInterfaceAddress(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

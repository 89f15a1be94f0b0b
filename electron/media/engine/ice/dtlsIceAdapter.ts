/**
 * werift's RTCDtlsTransport takes an RTCIceTransport but uses only a little of it: the
 * connection's `onData` (incoming packets) and `send` (outgoing), `stop()`, and a few fields for
 * its stats. This builds exactly that over any packet path: the node's ICE-lite server, or a
 * test peer's ICE-TCP connection.
 */
import { RTCIceParameters, type Event, type RTCIceTransport } from 'werift';

export interface PacketPath {
  /** non-STUN packets (DTLS, SRTP, SRTCP) as they arrive */
  readonly onData: Event<[Buffer]>;
  send(packet: Buffer): void;
  /** the ICE role werift sees (only read when the DTLS role is 'auto') */
  readonly role: 'controlled' | 'controlling';
  state(): string;
  credentials(): { usernameFragment: string; password: string };
  restarts(): number;
}

export function dtlsIceAdapter(path: PacketPath): RTCIceTransport {
  const connection = {
    onData: path.onData,
    send: async (data: Buffer) => path.send(data),
    close: async () => {},
    nominated: undefined,
  };
  const adapter = {
    connection,
    role: path.role,
    get state() {
      return path.state();
    },
    get localParameters() {
      return new RTCIceParameters({ ...path.credentials(), iceLite: path.role === 'controlled' });
    },
    get iceRestarts() {
      return path.restarts();
    },
    stop: async () => {},
    getStats: async () => [],
  };
  return adapter as unknown as RTCIceTransport;
}

/**
 * The ICE-lite side of one transport, after mediasoup's IceServer: it answers the peer's STUN
 * Binding checks (short-term credentials, MESSAGE-INTEGRITY + FINGERPRINT, werift's STUN codec),
 * keeps the tuples (UDP address or TCP connection) that passed a check, and selects the one the
 * peer nominates (USE-CANDIDATE), switching when the peer nominates another. Media and DTLS go
 * out on the selected tuple and are accepted from valid tuples only.
 *
 * ICE restart: new local credentials; checks signed with the old ones are still answered until
 * the peer uses the new ones, and the DTLS session above is kept.
 */
import { randomBytes } from 'node:crypto';
import { Event, Message, classes, methods, parseMessage } from 'werift';
import type { IceParameters } from '../../types';

export interface IceTuple {
  readonly protocol: 'udp' | 'tcp';
  readonly remoteIp: string;
  readonly remotePort: number;
  readonly localIp: string;
  readonly localPort: number;
  /** sends one packet (framed for TCP) */
  send(packet: Buffer): void;
  /** drops the underlying connection (TCP), when the tuple is evicted */
  close?(): void;
}

/** mediasoup's IceServer states (plus closed). */
export type IceState = 'new' | 'connected' | 'completed' | 'disconnected' | 'closed';

/** At most this many valid tuples are kept per transport (mediasoup's MaxTuples). */
const MAX_TUPLES = 8;

const ICE_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
function randomIceString(length: number): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ICE_CHARS[b % ICE_CHARS.length];
  return s;
}

function tupleKey(t: IceTuple): string {
  return `${t.protocol}:${t.remoteIp}:${t.remotePort}:${t.localPort}`;
}

/** First byte 0–3 with the magic cookie: a STUN message (RFC 7983 demux). */
export function isStunPacket(p: Buffer): boolean {
  return p.length >= 20 && p[0] < 4 && p.readUInt32BE(4) === 0x2112a442;
}

export type IceLog = (level: 'debug' | 'warn', msg: string) => void;

export class IceLiteServer {
  usernameFragment = randomIceString(16);
  password = randomIceString(32);
  private oldUsernameFragment?: string;
  private oldPassword?: string;
  private readonly tuples = new Map<string, IceTuple>();
  selectedTuple?: IceTuple;
  state: IceState = 'new';
  /** application packets (DTLS, SRTP, SRTCP) from a valid tuple */
  readonly onData = new Event<[Buffer]>();
  readonly onStateChange = new Event<[IceState]>();
  /** counters for consent / stats */
  requestsReceived = 0;
  packetsReceived = 0;
  restarts = 0;

  constructor(private readonly log: IceLog = () => {}) {}

  get iceParameters(): IceParameters {
    return { usernameFragment: this.usernameFragment, password: this.password, iceLite: true };
  }

  /** Every packet read from a UDP socket or a TCP frame enters here. */
  receive(packet: Buffer, tuple: IceTuple): void {
    if (this.state === 'closed') return;
    if (isStunPacket(packet)) {
      this.processStun(packet, tuple);
      return;
    }
    if (!this.hasTuple(tuple)) return; // media from an address that never passed a check
    this.packetsReceived++;
    this.onData.execute(packet);
  }

  /** Sends on the selected tuple; false if there is none. */
  send(packet: Buffer): boolean {
    const t = this.selectedTuple;
    if (!t || this.state === 'closed') return false;
    t.send(packet);
    return true;
  }

  hasTuple(tuple: IceTuple): boolean {
    return this.tuples.has(tupleKey(tuple));
  }

  /** New local credentials (mediasoup's restartIce); the old ones stay valid until the peer uses the new. */
  restart(): IceParameters {
    this.oldUsernameFragment = this.usernameFragment;
    this.oldPassword = this.password;
    this.usernameFragment = randomIceString(16);
    this.password = randomIceString(32);
    this.restarts++;
    return this.iceParameters;
  }

  /** A tuple is gone (its TCP connection closed): select another valid one, or become disconnected. */
  removeTuple(tuple: IceTuple): void {
    const key = tupleKey(tuple);
    if (!this.tuples.delete(key)) return;
    if (this.selectedTuple && tupleKey(this.selectedTuple) === key) {
      this.selectedTuple = undefined;
      const next = this.tuples.values().next().value;
      if (next && (this.state === 'connected' || this.state === 'completed')) this.selectedTuple = next;
      else this.setState('disconnected');
    }
  }

  close(): void {
    this.tuples.clear();
    this.selectedTuple = undefined;
    this.setState('closed');
  }

  private processStun(packet: Buffer, tuple: IceTuple): void {
    const msg = parseMessage(packet);
    if (!msg) return;
    if (msg.messageClass !== classes.REQUEST) return; // we send no requests; indications are ignored
    if (msg.messageMethod !== methods.BINDING) return this.reject(msg, tuple, 400, 'Bad Request');
    if (!msg.attributesKeys.includes('FINGERPRINT') || !msg.attributesKeys.includes('PRIORITY')) return this.reject(msg, tuple, 400, 'Bad Request');
    const username = String(msg.getAttributeValue('USERNAME') ?? '');
    const localUfrag = username.split(':')[0];
    let password: string;
    if (localUfrag === this.usernameFragment) password = this.password;
    else if (localUfrag === this.oldUsernameFragment && this.oldPassword) password = this.oldPassword;
    else return this.reject(msg, tuple, 401, 'Unauthorized');
    const verified = parseMessage(packet, Buffer.from(password, 'utf8'));
    if (!verified) return this.reject(msg, tuple, 401, 'Unauthorized');
    this.requestsReceived++; // authenticated checks only: a stranger's must not keep a dead transport alive
    if (password === this.password && this.oldPassword) {
      this.log('debug', 'new ICE credentials in use');
      this.oldUsernameFragment = this.oldPassword = undefined;
    }
    // the full agent must be controlling towards a lite agent
    if (msg.attributesKeys.includes('ICE-CONTROLLED')) return this.reject(msg, tuple, 487, 'Role Conflict', password);
    const response = new Message(methods.BINDING, classes.RESPONSE, msg.transactionId)
      .setAttribute('XOR-MAPPED-ADDRESS', [tuple.remoteIp, tuple.remotePort])
      .addMessageIntegrity(Buffer.from(password, 'utf8'))
      .addFingerprint();
    tuple.send(response.bytes);
    this.handleTuple(tuple, msg.attributesKeys.includes('USE-CANDIDATE'));
  }

  private reject(msg: Message, tuple: IceTuple, code: number, reason: string, password?: string): void {
    this.log(
      'warn',
      `STUN ${msg.messageMethod === methods.BINDING ? 'Binding' : 'request'} from ${tuple.protocol} ${tuple.remoteIp}:${tuple.remotePort} → ${code}`,
    );
    const response = new Message(msg.messageMethod, classes.ERROR, msg.transactionId).setAttribute('ERROR-CODE', [code, reason]);
    if (password) response.addMessageIntegrity(Buffer.from(password, 'utf8'));
    tuple.send(response.addFingerprint().bytes);
  }

  private handleTuple(tuple: IceTuple, useCandidate: boolean): void {
    const key = tupleKey(tuple);
    if (!this.tuples.has(key)) {
      if (this.tuples.size >= MAX_TUPLES) this.evictOneTuple();
      this.tuples.set(key, tuple);
    }
    const stored = this.tuples.get(key)!;
    if (useCandidate) {
      this.selectedTuple = stored;
      this.setState('completed');
    } else if (!this.selectedTuple) {
      this.selectedTuple = stored;
      this.setState('connected');
    }
  }

  /** Oldest tuple that is not the selected one. */
  private evictOneTuple(): void {
    for (const [key, t] of this.tuples) {
      if (t === this.selectedTuple) continue;
      this.tuples.delete(key);
      t.close?.();
      return;
    }
  }

  private setState(s: IceState): void {
    if (this.state === s) return;
    this.state = s;
    this.onStateChange.execute(s);
  }
}

/**
 * TEST ONLY: a Node peer that reaches a transport over ICE-TCP the way a browser behind a
 * UDP-blocking firewall does: it dials the passive TCP candidate, frames everything with
 * RFC 4571, sends a STUN Binding check with USE-CANDIDATE (controlling, short-term credentials),
 * then runs werift's DTLS client and SRTP over that connection. `restartIce()` dials a fresh
 * connection and checks with the new credentials, keeping the DTLS session (as a browser does).
 */
import { randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import {
  Event,
  Message,
  RTCDtlsFingerprint,
  RTCDtlsParameters,
  RTCDtlsTransport,
  RtpHeader,
  classes,
  methods,
  parseMessage,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import { dtlsIceAdapter } from '../engine/ice/dtlsIceAdapter';
import { isStunPacket } from '../engine/ice/IceLiteServer';
import { FrameDecoder, encodeFrame } from '../engine/ice/rfc4571';
import type { DtlsParameters, IceCandidate, IceParameters } from '../types';

export interface TcpRemote {
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

/** What a check got back: a success, or the STUN error code. */
export type CheckResult = { ok: true } | { ok: false; code: number };

export class TcpNodePeer {
  readonly rtp: RtpPacket[] = [];
  readonly rtcp: RtcpPacket[] = [];
  /** false: count RTP only (benches) */
  keepPackets = true;
  rtpCount = 0;
  private readonly onData = new Event<[Buffer]>();
  private socket!: Socket;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Map<string, (r: CheckResult) => void>();
  private readonly ufrag = randomBytes(4).toString('hex');
  private readonly tieBreaker = randomBytes(8).readBigUInt64BE();
  readonly dtls: RTCDtlsTransport;

  private constructor(
    private remote: TcpRemote,
    cert: Awaited<ReturnType<typeof RTCDtlsTransport.SetupCertificate>>,
  ) {
    const ice = dtlsIceAdapter({
      onData: this.onData,
      send: (p) => this.socket.write(encodeFrame(p)),
      role: 'controlling',
      state: () => 'connected',
      credentials: () => ({ usernameFragment: this.ufrag, password: 'p'.repeat(22) }),
      restarts: () => 0,
    });
    this.dtls = new RTCDtlsTransport({}, ice, cert, [0x0001]);
    this.dtls.role = 'client';
    this.dtls.setRemoteParams(
      new RTCDtlsParameters(
        remote.dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
        'server',
      ),
    );
    this.dtls.onRtp.subscribe((p) => {
      this.rtpCount++;
      if (this.keepPackets) this.rtp.push(p);
    });
    this.dtls.onRtcp.subscribe((p) => this.rtcp.push(p));
  }

  get localDtlsParameters(): DtlsParameters {
    return {
      role: 'client',
      fingerprints: this.dtls.localCertificate!.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })),
    };
  }

  /** Dials the TCP candidate, passes the ICE check, calls `connect` (our DTLS parameters to the node), runs DTLS. */
  static async connect(remote: TcpRemote, connect: (dtls: DtlsParameters) => Promise<void>): Promise<TcpNodePeer> {
    const peer = new TcpNodePeer(remote, await RTCDtlsTransport.SetupCertificate());
    peer.socket = await peer.dial();
    const check = await peer.check(peer.socket);
    if (!check.ok) throw new Error(`ICE check failed: ${check.code}`);
    await connect(peer.localDtlsParameters);
    await peer.dtls.start();
    return peer;
  }

  /** New credentials from the node: a fresh connection checks with them and becomes the one we send on. */
  async restartIce(iceParameters: IceParameters): Promise<void> {
    this.remote = { ...this.remote, iceParameters };
    const socket = await this.dial();
    const check = await this.check(socket);
    if (!check.ok) throw new Error(`ICE check after restart failed: ${check.code}`);
    this.socket = socket;
  }

  /** Closes every connection, as when the browser's path breaks. */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  /** Dials again and checks with the current credentials (no restart). */
  async reconnect(): Promise<void> {
    await this.restartIce(this.remote.iceParameters);
  }

  /** A Binding check on `socket` with the node's current (or given) credentials. */
  check(socket: Socket = this.socket, password = this.remote.iceParameters.password): Promise<CheckResult> {
    const request = new Message(methods.BINDING, classes.REQUEST)
      .setAttribute('USERNAME', `${this.remote.iceParameters.usernameFragment}:${this.ufrag}`)
      .setAttribute('PRIORITY', 1_845_501_695)
      .setAttribute('ICE-CONTROLLING', this.tieBreaker)
      .setAttribute('USE-CANDIDATE', null)
      .addMessageIntegrity(Buffer.from(password, 'utf8'))
      .addFingerprint();
    return new Promise((resolve) => {
      this.pending.set(request.transactionIdHex, resolve);
      socket.write(encodeFrame(request.bytes));
    });
  }

  /** A raw connection to the node's TCP candidate whose frames feed this peer. */
  async dial(): Promise<Socket> {
    const c = this.remote.iceCandidates.find((x) => x.protocol === 'tcp');
    if (!c) throw new Error('no TCP candidate');
    const socket = tcpConnect({ host: c.address ?? c.ip, port: c.port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.on('error', () => {});
    this.sockets.add(socket);
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (!isStunPacket(frame)) {
          this.onData.execute(frame);
          continue;
        }
        const msg = parseMessage(frame);
        const done = msg && this.pending.get(msg.transactionIdHex);
        if (!msg || !done) continue;
        this.pending.delete(msg.transactionIdHex);
        if (msg.messageClass === classes.RESPONSE) done({ ok: true });
        else done({ ok: false, code: (msg.getAttributeValue('ERROR-CODE') as [number, string])[0] });
      }
    });
    return socket;
  }

  sendRtp(h: { ssrc: number; payloadType: number; sequenceNumber: number; timestamp: number; marker?: boolean }, payload: Buffer) {
    return this.dtls.sendRtp(payload, new RtpHeader({ ...h, marker: h.marker ?? false, extensions: [] }));
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
  }
}

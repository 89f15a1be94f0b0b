/**
 * A WebRTC transport inside the engine: ICE-lite + DTLS + SRTP (werift building blocks). It demuxes
 * incoming RTP/RTCP to its producers and consumers, sends periodic RTCP, and closes itself when the
 * peer stops answering (ICE consent) or never connects.
 */
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RTCDtlsParameters,
  RTCDtlsFingerprint,
  RTCDtlsTransport,
  RtcpPayloadSpecificFeedback,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  TransportWideCC,
  type RtcpPacket,
  type RtpHeader,
  type RtpPacket,
} from 'werift';
import type { DtlsParameters, IceCandidate, IceParameters, TransportState, TransportStats } from '../types';
import { EXT } from '../ortc';
import type { Consumer } from './Consumer';
import type { Producer } from './Producer';
import type { EngineSettings } from './protocol';
import { Rate } from './Rate';
import { rembFields } from './rtcpFields';
import {
  CONSENT_CHECK_INTERVAL_MS,
  DEFAULT_ICE_CONNECT_TIMEOUT_MS,
  DEFAULT_ICE_CONSENT_TIMEOUT_MS,
  REMB_BPS,
  RR_MAX_REPORTS,
  RTCP_INTERVAL_MS,
  SERVER_SSRC,
  TWCC_FEEDBACK_INTERVAL_MS,
} from './tuning';
import type { EngineScope, ProducerStream, RtcpSender, RtpSender } from './types';
import { CloseSignal } from './CloseSignal';
import { TransportCc } from './cc/TransportCc';
import { TransportIce } from './ice/TransportIce';

const SRTP_PROFILES: (0x0007 | 0x0001)[] = [0x0007 /* AEAD_AES_128_GCM */, 0x0001 /* AES_CM_128_HMAC_SHA1_80 */];

/** One DTLS certificate per engine (thread), made on first use. */
let certificatePromise: ReturnType<typeof RTCDtlsTransport.SetupCertificate> | undefined;

export class Transport implements RtcpSender, RtpSender {
  /** tells the parents (transport, producer, router, engine) that this closed */
  private readonly closing: CloseSignal;
  readonly producers = new Map<string, Producer>();
  readonly consumers = new Map<string, Consumer>();
  /** incoming SSRC → producer stream */
  private readonly ssrcTable = new Map<number, { producer: Producer; stream: ProducerStream; rtx: boolean }>();
  /** outgoing SSRC → consumer (for RTCP feedback demux) */
  readonly consumerBySsrc = new Map<number, Consumer>();
  private ice!: TransportIce;
  dtls!: RTCDtlsTransport;
  state: TransportState = 'new';
  closed = false;
  private rtcpTimer?: NodeJS.Timeout;
  private ccTimer?: NodeJS.Timeout;
  /** transport-cc both ways: feedback to the peer's sender, estimation and layer allocation for our sends */
  readonly cc = new TransportCc(
    (packets) => this.sendRtcp(packets),
    () => this.consumers.values(),
  );
  private consentTimer?: NodeJS.Timeout;
  private lastActivity = Date.now();
  private lastActivityCounter = -1;
  readonly recvRate = new Rate();
  readonly sendRate = new Rate();
  get iceParameters(): IceParameters {
    return this.ice.iceParameters;
  }
  get iceCandidates(): IceCandidate[] {
    return this.ice.iceCandidates;
  }
  dtlsParameters!: DtlsParameters;
  /** stats counters (plain RTP, pre-SRTP) */
  rtpBytesReceived = 0;
  rtpBytesSent = 0;
  rtpPacketsReceived = 0;
  rtpPacketsSent = 0;

  constructor(
    private readonly scope: EngineScope,
    readonly id: string,
  ) {
    this.closing = new CloseSignal((err) => scope.log('error', `transport ${id}: a close listener threw: ${String(err)}`));
  }

  async init(settings: EngineSettings): Promise<void> {
    certificatePromise ??= RTCDtlsTransport.SetupCertificate();
    const cert = await certificatePromise;
    this.ice = await TransportIce.create(settings, (level, msg) => this.scope.log(level, `transport ${this.id}: ${msg}`));
    this.dtls = new RTCDtlsTransport({}, this.ice.dtlsIceTransport, cert, SRTP_PROFILES);
    this.dtlsParameters = {
      role: 'auto',
      fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })),
    };
    this.ice.server.onStateChange.subscribe((s) => this.scope.notify({ targetId: this.id, event: 'icestatechange', data: s }));
    this.dtls.onRtp.subscribe((p) => this.onRtp(p));
    this.dtls.onRtcp.subscribe((p) => this.onRtcp(p));
    const connectTimeout = settings.iceConnectTimeoutMs ?? DEFAULT_ICE_CONNECT_TIMEOUT_MS;
    const consentTimeout = settings.iceConsentTimeoutMs ?? DEFAULT_ICE_CONSENT_TIMEOUT_MS;
    this.consentTimer = setInterval(() => this.checkConsent(connectTimeout, consentTimeout), CONSENT_CHECK_INTERVAL_MS);
    this.consentTimer.unref?.();
  }

  private activityCounter(): number {
    return this.ice.server.requestsReceived + this.ice.server.packetsReceived;
  }

  private checkConsent(connectTimeout: number, consentTimeout: number) {
    const now = Date.now();
    const c = this.activityCounter();
    if (c !== this.lastActivityCounter) {
      this.lastActivityCounter = c;
      this.lastActivity = now;
      return;
    }
    // connected: consent timeout; otherwise (never connected, or stuck connecting): connect timeout
    const limit = this.state === 'connected' ? consentTimeout : connectTimeout;
    if (now - this.lastActivity > limit) this.die(this.state === 'connected' ? 'ICE consent timeout' : 'connect timeout');
  }

  private dtlsStarted = false;

  connect(dtlsParameters: DtlsParameters): void {
    if (this.dtlsStarted) throw new Error('transport already connected');
    this.dtlsStarted = true;
    this.lastActivity = Date.now();
    // server role opposite to the client's; client 'auto' → we act as DTLS client (like mediasoup)
    const remoteRole = dtlsParameters.role ?? 'auto';
    this.dtls.role = remoteRole === 'client' ? 'server' : 'client';
    this.dtls.setRemoteParams(
      new RTCDtlsParameters(
        dtlsParameters.fingerprints.map((f) => new RTCDtlsFingerprint(f.algorithm, f.value)),
        remoteRole === 'auto' ? 'server' : remoteRole,
      ),
    );
    // ICE-lite: the browser's checks select a tuple; DTLS starts once one is there
    this.setState('connecting');
    void (async () => {
      try {
        await this.ice.connected();
        if (this.closed) return;
        await this.dtls.start();
        if (this.closed) return;
        this.setState('connected');
        this.startRtcp();
        for (const c of this.consumers.values()) c.onTransportConnected();
        for (const p of this.producers.values()) p.requestKeyFrameAll();
      } catch (e) {
        if (!this.closed) this.die(`connect failed: ${(e as Error).message}`);
      }
    })();
  }

  private setState(s: TransportState) {
    if (this.state === s) return;
    this.state = s;
    this.scope.notify({ targetId: this.id, event: 'dtlsstatechange', data: s });
  }

  private startRtcp() {
    this.rtcpTimer = setInterval(() => this.sendPeriodicRtcp(), RTCP_INTERVAL_MS);
    this.rtcpTimer.unref?.();
    this.startUplinkFeedback();
  }

  /** Only a transport whose peer stamps transport-wide sequence numbers needs the 100 ms feedback timer. */
  private startUplinkFeedback() {
    if (this.ccTimer || !this.cc.uplinkActive || this.state !== 'connected') return;
    this.ccTimer = setInterval(() => this.cc.sendUplinkFeedback(), TWCC_FEEDBACK_INTERVAL_MS);
    this.ccTimer.unref?.();
  }

  private sendPeriodicRtcp() {
    const now = Date.now();
    this.recvRate.roll(now);
    this.sendRate.roll(now);
    const packets: RtcpPacket[] = [];
    this.cc.allocate(now);
    for (const c of this.consumers.values()) {
      c.maybeSwitchLayer(now);
      const sr = c.senderReport(now);
      if (sr) packets.push(sr);
    }
    const reports: RtcpReceiverInfo[] = [];
    let video = false;
    const videoSsrcs: number[] = [];
    for (const p of this.producers.values()) {
      for (const s of p.streams) {
        if (s.ssrc === undefined || s.stats.packetCount === 0) continue;
        s.stats.updateBitrate(now);
        reports.push(new RtcpReceiverInfo(s.stats.reportBlock(s.ssrc, now)));
        if (p.kind === 'video') {
          video = true;
          videoSsrcs.push(s.ssrc);
        }
      }
    }
    for (let i = 0; i < reports.length; i += RR_MAX_REPORTS)
      packets.push(new RtcpRrPacket({ ssrc: SERVER_SSRC, reports: reports.slice(i, i + RR_MAX_REPORTS) }));
    // with transport-cc the sender estimates its own rate; REMB only for senders without it
    if (video && !this.cc.uplinkActive) {
      packets.push(
        new RtcpPayloadSpecificFeedback({
          feedback: new ReceiverEstimatedMaxBitrate({
            senderSsrc: SERVER_SSRC,
            mediaSsrc: 0,
            ...rembFields(REMB_BPS),
            ssrcFeedbacks: videoSsrcs,
            ssrcNum: videoSsrcs.length,
          }),
        }),
      );
    }
    if (packets.length) this.sendRtcp(packets);
  }

  sendRtcp(packets: RtcpPacket[]) {
    if (this.state !== 'connected') return;
    this.dtls.sendRtcp(packets).catch(() => {});
  }

  sendRtp(header: RtpHeader, payload: Buffer, transportCc?: Buffer) {
    if (this.state !== 'connected') return;
    this.rtpPacketsSent++;
    this.scope.counters.rtpOut++;
    const n = payload.length + 12;
    if (transportCc) this.cc.stamp(transportCc, n);
    this.rtpBytesSent += n;
    this.sendRate.add(n, Date.now());
    this.dtls.sendRtp(payload, header).catch(() => {});
  }

  /** A producer on this transport: its SSRCs are demuxed to it until it closes. */
  addProducer(p: Producer) {
    this.producers.set(p.id, p);
    this.cc.onProducer(p.rtpParameters, p.streams[0]?.ssrc);
    this.startUplinkFeedback();
    for (const s of p.streams) {
      if (s.ssrc !== undefined) this.ssrcTable.set(s.ssrc, { producer: p, stream: s, rtx: false });
      if (s.rtxSsrc !== undefined) this.ssrcTable.set(s.rtxSsrc, { producer: p, stream: s, rtx: true });
    }
    p.once('close', () => {
      this.producers.delete(p.id);
      for (const [ssrc, e] of this.ssrcTable) if (e.producer === p) this.ssrcTable.delete(ssrc);
    });
  }

  /** A consumer on this transport: RTCP feedback for its SSRCs reaches it until it closes. */
  addConsumer(c: Consumer) {
    this.consumers.set(c.id, c);
    this.consumerBySsrc.set(c.ssrc, c);
    if (c.rtxSsrc !== undefined) this.consumerBySsrc.set(c.rtxSsrc, c);
    c.once('close', () => {
      this.consumers.delete(c.id);
      this.consumerBySsrc.delete(c.ssrc);
      if (c.rtxSsrc !== undefined) this.consumerBySsrc.delete(c.rtxSsrc);
    });
  }

  private onRtp(packet: RtpPacket) {
    const now = Date.now();
    this.rtpPacketsReceived++;
    this.scope.counters.rtpIn++;
    const size = packet.payload.length + 12;
    this.rtpBytesReceived += size;
    this.recvRate.add(size, now);
    this.cc.onRtp(packet);
    const h = packet.header;
    let entry = this.ssrcTable.get(h.ssrc);
    if (!entry) entry = this.learnSsrc(packet);
    if (!entry) return;
    entry.producer.onRtp(packet, entry.stream, entry.rtx, now);
  }

  /** Map an unknown SSRC to a producer stream via MID + RID (simulcast with rids) header extensions. */
  private learnSsrc(packet: RtpPacket) {
    for (const p of this.producers.values()) {
      const mid = p.readExt(packet, EXT.MID);
      if (mid === undefined || mid !== p.rtpParameters.mid) continue;
      const rid = p.readExt(packet, EXT.RID);
      const rrid = p.readExt(packet, EXT.RRID);
      const isRtx = rrid !== undefined || p.isRtxPt(packet.header.payloadType);
      const r = rrid ?? rid;
      const stream = r !== undefined ? p.streams.find((s) => s.rid === r) : p.streams.length === 1 ? p.streams[0] : undefined;
      if (!stream) return undefined;
      if (isRtx) stream.rtxSsrc = packet.header.ssrc;
      else stream.ssrc = packet.header.ssrc;
      const entry = { producer: p, stream, rtx: isRtx };
      this.ssrcTable.set(packet.header.ssrc, entry);
      return entry;
    }
    return undefined;
  }

  private onRtcp(packet: RtcpPacket) {
    this.lastActivity = Date.now();
    switch (packet.type) {
      case RtcpSrPacket.type: {
        const sr = packet as RtcpSrPacket;
        const e = this.ssrcTable.get(sr.ssrc);
        if (e && !e.rtx) e.stream.stats.onSenderReport(sr.senderInfo.ntpTimestamp);
        for (const rb of sr.reports) this.consumerBySsrc.get(rb.ssrc)?.onReceiverReport(rb);
        break;
      }
      case RtcpRrPacket.type:
        for (const rb of (packet as RtcpRrPacket).reports) this.consumerBySsrc.get(rb.ssrc)?.onReceiverReport(rb);
        break;
      case RtcpTransportLayerFeedback.type: {
        const fb = (packet as RtcpTransportLayerFeedback).feedback;
        if (fb instanceof GenericNack) this.consumerBySsrc.get(fb.mediaSourceSsrc)?.onNack(fb.lost);
        else if (fb instanceof TransportWideCC) this.cc.onFeedback(fb);
        break;
      }
      case RtcpPayloadSpecificFeedback.type: {
        const fb = (packet as RtcpPayloadSpecificFeedback).feedback;
        if (fb instanceof PictureLossIndication) this.consumerBySsrc.get(fb.mediaSsrc)?.onKeyFrameRequest('pli');
        else if ('fir' in fb) {
          for (const e of fb.fir) this.consumerBySsrc.get(e.ssrc)?.onKeyFrameRequest('fir');
        }
        break;
      }
      default:
        break;
    }
  }

  /** Transport died on its own (ICE consent / DTLS failure): tell the main thread, then close. */
  die(reason: string) {
    if (this.closed) return;
    this.scope.log('warn', `transport ${this.id} closing: ${reason}`);
    this.setState(this.state === 'connected' ? 'closed' : 'failed');
    this.scope.notify({ targetId: this.id, event: 'died', data: { reason } });
    this.close();
  }

  once(_event: 'close', fn: () => void): void {
    this.closing.once(fn);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.rtcpTimer);
    clearInterval(this.ccTimer);
    clearInterval(this.consentTimer);
    for (const c of [...this.consumers.values()]) c.close();
    for (const p of [...this.producers.values()]) p.close();
    this.state = 'closed';
    this.dtls?.stop().catch(() => {});
    this.ice?.close();
    this.closing.emit();
  }

  /** New local ICE credentials; the peer's checks with them select a tuple again, DTLS and SRTP are kept. */
  restartIce(): IceParameters {
    if (this.closed) throw new Error('transport closed');
    return this.ice.restart();
  }

  stats(): TransportStats {
    const tuple = this.ice?.selectedTuple;
    const now = Date.now();
    this.recvRate.roll(now);
    this.sendRate.roll(now);
    return {
      type: 'webrtc-transport',
      transportId: this.id,
      timestamp: now,
      iceState: this.ice?.state ?? 'new',
      dtlsState: this.state,
      iceSelectedTuple: tuple
        ? {
            localIp: this.iceCandidates.find((c) => c.protocol === tuple.protocol)?.ip ?? tuple.localIp,
            localPort: tuple.localPort,
            remoteIp: tuple.remoteIp,
            remotePort: tuple.remotePort,
            protocol: tuple.protocol,
          }
        : undefined,
      bytesReceived: this.rtpBytesReceived,
      bytesSent: this.rtpBytesSent,
      packetsReceived: this.rtpPacketsReceived,
      packetsSent: this.rtpPacketsSent,
      recvBitrate: this.recvRate.bps,
      sendBitrate: this.sendRate.bps,
      availableOutgoingBitrate: this.cc.estimatedBps,
    };
  }
}

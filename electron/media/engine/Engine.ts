/**
 * The media engine: the data plane that runs inside a media worker (or in-process for tests).
 * It owns ICE-lite/DTLS/SRTP transports (werift building blocks) and forwards RTP between
 * producers and consumers. It knows nothing about signaling: every object is created by the
 * main thread, which has already negotiated parameters (see ../ortc.ts).
 */
import {
  GenericNack,
  PictureLossIndication,
  ReceiverEstimatedMaxBitrate,
  RTCDtlsParameters,
  RTCDtlsFingerprint,
  RTCDtlsTransport,
  RTCIceGatherer,
  RTCIceParameters,
  RTCIceTransport,
  RtcpPayloadSpecificFeedback,
  RtcpReceiverInfo,
  RtcpRrPacket,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  RtpHeader,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import type { DtlsParameters, IceCandidate, IceParameters, MediaKind, RtpParameters, RtpStreamStats, TransportState, TransportStats } from '../types';
import { EXT, isRtxMime, type RtpMapping } from '../ortc';
import type { EngineNotification, EngineRequests, EngineSettings } from './protocol';
import { RecvStats, ntpFromMs, rttFromReport } from '../rtp/RecvStats';
import { RetransmissionBuffer } from '../rtp/RetransmissionBuffer';
import { NackGenerator } from '../rtp/NackGenerator';
import { RtpRewriter } from '../rtp/RtpRewriter';
import { isKeyframeStart } from '../rtp/keyframe';
import { Recording } from '../recorder/Recording';
import { performance } from 'node:perf_hooks';

export type Notify = (n: EngineNotification) => void;
export type EngineLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, data?: unknown) => void;

const SRTP_PROFILES: (0x0007 | 0x0001)[] = [0x0007 /* AEAD_AES_128_GCM */, 0x0001 /* AES_CM_128_HMAC_SHA1_80 */];
const SERVER_SSRC = 0x4d53; // sender SSRC of our RTCP feedback
const REMB_BPS = 3_000_000;

/** REMB bitrate as werift serializes it (exponent + 18-bit mantissa; its `bitrate` field is ignored). */
export function rembFields(bps: number): { brExp: number; brMantissa: number; bitrate: bigint } {
  let exp = 0;
  let mantissa = Math.floor(bps);
  while (mantissa >= 1 << 18) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return { brExp: exp, brMantissa: mantissa, bitrate: BigInt(mantissa) << BigInt(exp) };
}

let certificatePromise: ReturnType<typeof RTCDtlsTransport.SetupCertificate> | undefined;

function absSendTime(now: number): Buffer {
  // 6.18 fixed point seconds, 24 bits
  const v = Math.floor(((now / 1000) * (1 << 18)) % (1 << 24));
  const b = Buffer.alloc(3);
  b.writeUIntBE(v, 0, 3);
  return b;
}

/** Sliding bitrate counter (1 s windows). */
class Rate {
  private bytes = 0;
  private start = Date.now();
  bps = 0;
  add(n: number, now: number) {
    this.bytes += n;
    if (now - this.start >= 1000) this.roll(now);
  }
  roll(now = Date.now()) {
    const el = now - this.start;
    if (el <= 0) return;
    if (el > 3000) this.bps = 0;
    else this.bps = Math.round((this.bytes * 8 * 1000) / el);
    this.bytes = 0;
    this.start = now;
  }
}

// ------------------------------------------------------------------------------------ Router

export class EngineRouter {
  readonly transports = new Map<string, EngineTransport>();
  readonly producers = new Map<string, EngineProducer>();
  readonly recordings = new Map<string, Recording>();
  private levelTimer: NodeJS.Timeout;
  private dominant: string | null = null;

  constructor(
    readonly engine: Engine,
    readonly id: string,
  ) {
    this.levelTimer = setInterval(() => this.emitLevels(), 800);
    this.levelTimer.unref?.();
  }

  /** Audio-level observer + active speaker: average of ssrc-audio-level over the interval. */
  private emitLevels() {
    const volumes: { producerId: string; volume: number }[] = [];
    for (const p of this.producers.values()) {
      if (p.kind !== 'audio' || p.paused) continue;
      const v = p.takeAudioLevel();
      if (v !== null && v > -70) volumes.push({ producerId: p.id, volume: Math.round(v) });
    }
    volumes.sort((a, b) => b.volume - a.volume);
    if (volumes.length) {
      this.engine.notify({ targetId: this.id, event: 'volumes', data: volumes.slice(0, 8) });
      if (volumes[0].producerId !== this.dominant) {
        this.dominant = volumes[0].producerId;
        this.engine.notify({ targetId: this.id, event: 'dominantspeaker', data: { producerId: this.dominant } });
      }
    } else {
      this.engine.notify({ targetId: this.id, event: 'silence' });
    }
  }

  close() {
    clearInterval(this.levelTimer);
    for (const r of this.recordings.values()) void r.stop();
    this.recordings.clear();
    for (const t of [...this.transports.values()]) t.close();
    this.engine.routers.delete(this.id);
  }
}

// ------------------------------------------------------------------------------------ Transport

export class EngineTransport {
  readonly producers = new Map<string, EngineProducer>();
  readonly consumers = new Map<string, EngineConsumer>();
  /** incoming SSRC → producer stream */
  private readonly ssrcTable = new Map<number, { producer: EngineProducer; stream: ProducerStream; rtx: boolean }>();
  /** outgoing SSRC → consumer (for RTCP feedback demux) */
  readonly consumerBySsrc = new Map<number, EngineConsumer>();
  private gatherer!: RTCIceGatherer;
  private ice!: RTCIceTransport;
  dtls!: RTCDtlsTransport;
  state: TransportState = 'new';
  closed = false;
  private rtcpTimer?: NodeJS.Timeout;
  private consentTimer?: NodeJS.Timeout;
  private lastActivity = Date.now();
  private lastActivityCounter = -1;
  readonly recvRate = new Rate();
  readonly sendRate = new Rate();
  iceParameters!: IceParameters;
  iceCandidates!: IceCandidate[];
  dtlsParameters!: DtlsParameters;
  /** stats counters (plain RTP, pre-SRTP) */
  rtpBytesReceived = 0;
  rtpBytesSent = 0;
  rtpPacketsReceived = 0;
  rtpPacketsSent = 0;

  constructor(
    readonly router: EngineRouter,
    readonly id: string,
  ) {}

  async init(settings: EngineSettings): Promise<void> {
    certificatePromise ??= RTCDtlsTransport.SetupCertificate();
    const cert = await certificatePromise;
    this.gatherer = new RTCIceGatherer({
      iceLite: true,
      useIpv4: true,
      useIpv6: false,
      useTcp: false,
      stunServer: undefined,
      turnServer: undefined,
      interfaceAddresses: { udp4: settings.listenIp },
      portRange: [settings.rtcMinPort, settings.rtcMaxPort],
    });
    await this.gatherer.gather();
    const local = this.gatherer.localCandidates.find((c) => c.protocol === 'udp') ?? this.gatherer.localCandidates[0];
    if (!local) throw new Error('no local ICE candidate (port range exhausted?)');
    this.ice = new RTCIceTransport(this.gatherer);
    this.dtls = new RTCDtlsTransport({}, this.ice, cert, SRTP_PROFILES);
    const lp = this.gatherer.localParameters;
    this.iceParameters = { usernameFragment: lp.usernameFragment, password: lp.password, iceLite: true };
    // announcedIp wins; a wildcard listenIp without one falls back to the gatherer's interface address
    const ip = settings.announcedIp ?? (settings.listenIp === '0.0.0.0' ? local.ip : settings.listenIp);
    this.iceCandidates = [
      { foundation: 'udpcandidate', priority: 1076302079, ip, address: ip, protocol: 'udp', port: local.port, type: 'host' } as IceCandidate,
    ];
    this.dtlsParameters = {
      role: 'auto',
      fingerprints: cert.getFingerprints().map((f) => ({ algorithm: f.algorithm as never, value: f.value })),
    };
    this.ice.onStateChange.subscribe((s) => {
      this.router.engine.notify({ targetId: this.id, event: 'icestatechange', data: s });
      if ((s === 'failed' || s === 'closed') && !this.closed) this.die(`ice ${s}`);
    });
    this.dtls.onRtp.subscribe((p) => this.onRtp(p));
    this.dtls.onRtcp.subscribe((p) => this.onRtcp(p));
    const connectTimeout = settings.iceConnectTimeoutMs ?? 60_000;
    const consentTimeout = settings.iceConsentTimeoutMs ?? 30_000;
    this.consentTimer = setInterval(() => this.checkConsent(connectTimeout, consentTimeout), 1000);
    this.consentTimer.unref?.();
  }

  private activityCounter(): number {
    const pair = this.ice?.connection?.nominated;
    return (pair?.requestsReceived ?? 0) + (pair?.packetsReceived ?? 0) + this.rtpPacketsReceived;
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
    // mediasoup-client never sends its ICE credentials; as the lite side we only answer checks,
    // so placeholder remote parameters are enough for start() to run.
    this.ice.setRemoteParams(new RTCIceParameters({ usernameFragment: 'remote', password: 'remotepasswordplaceholder00', iceLite: false }));
    this.setState('connecting');
    void (async () => {
      try {
        await this.ice.start();
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
    this.router.engine.notify({ targetId: this.id, event: 'dtlsstatechange', data: s });
  }

  private startRtcp() {
    this.rtcpTimer = setInterval(() => this.sendPeriodicRtcp(), 1000);
    this.rtcpTimer.unref?.();
  }

  private sendPeriodicRtcp() {
    const now = Date.now();
    this.recvRate.roll(now);
    this.sendRate.roll(now);
    const packets: RtcpPacket[] = [];
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
    for (let i = 0; i < reports.length; i += 31) packets.push(new RtcpRrPacket({ ssrc: SERVER_SSRC, reports: reports.slice(i, i + 31) }));
    if (video) {
      packets.push(
        new RtcpPayloadSpecificFeedback({
          feedback: new ReceiverEstimatedMaxBitrate({ senderSsrc: SERVER_SSRC, mediaSsrc: 0, ...rembFields(REMB_BPS), ssrcFeedbacks: videoSsrcs, ssrcNum: videoSsrcs.length }),
        }),
      );
    }
    if (packets.length) this.sendRtcp(packets);
  }

  sendRtcp(packets: RtcpPacket[]) {
    if (this.state !== 'connected') return;
    this.dtls.sendRtcp(packets).catch(() => {});
  }

  sendRtp(header: RtpHeader, payload: Buffer) {
    if (this.state !== 'connected') return;
    this.rtpPacketsSent++;
    this.router.engine.counters.rtpOut++;
    const n = payload.length + 12;
    this.rtpBytesSent += n;
    this.sendRate.add(n, Date.now());
    this.dtls.sendRtp(payload, header).catch(() => {});
  }

  registerProducer(p: EngineProducer) {
    this.producers.set(p.id, p);
    for (const s of p.streams) {
      if (s.ssrc !== undefined) this.ssrcTable.set(s.ssrc, { producer: p, stream: s, rtx: false });
      if (s.rtxSsrc !== undefined) this.ssrcTable.set(s.rtxSsrc, { producer: p, stream: s, rtx: true });
    }
  }

  unregisterProducer(p: EngineProducer) {
    this.producers.delete(p.id);
    for (const [ssrc, e] of this.ssrcTable) if (e.producer === p) this.ssrcTable.delete(ssrc);
  }

  private onRtp(packet: RtpPacket) {
    const now = Date.now();
    this.rtpPacketsReceived++;
    this.router.engine.counters.rtpIn++;
    const size = packet.payload.length + 12;
    this.rtpBytesReceived += size;
    this.recvRate.add(size, now);
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
    this.router.engine.log('warn', `transport ${this.id} closing: ${reason}`);
    this.setState(this.state === 'connected' ? 'closed' : 'failed');
    this.router.engine.notify({ targetId: this.id, event: 'died', data: { reason } });
    this.close();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.rtcpTimer);
    clearInterval(this.consentTimer);
    for (const c of [...this.consumers.values()]) c.close();
    for (const p of [...this.producers.values()]) p.close();
    this.router.transports.delete(this.id);
    this.router.engine.transports.delete(this.id);
    this.state = 'closed';
    this.dtls?.stop().catch(() => {});
    this.ice?.stop().catch(() => {});
  }

  stats(): TransportStats {
    const pair = this.ice?.connection?.nominated;
    const now = Date.now();
    this.recvRate.roll(now);
    this.sendRate.roll(now);
    return {
      type: 'webrtc-transport',
      transportId: this.id,
      timestamp: now,
      iceState: this.ice?.state ?? 'new',
      dtlsState: this.state,
      iceSelectedTuple: pair
        ? {
            localIp: this.iceCandidates[0].ip,
            localPort: this.iceCandidates[0].port,
            remoteIp: pair.remoteCandidate.host,
            remotePort: pair.remoteCandidate.port,
            protocol: 'udp',
          }
        : undefined,
      bytesReceived: this.rtpBytesReceived,
      bytesSent: this.rtpBytesSent,
      packetsReceived: this.rtpPacketsReceived,
      packetsSent: this.rtpPacketsSent,
      recvBitrate: this.recvRate.bps,
      sendBitrate: this.sendRate.bps,
    };
  }
}

// ------------------------------------------------------------------------------------ Producer

export interface ProducerStream {
  index: number;
  ssrc?: number;
  rtxSsrc?: number;
  rid?: string;
  mappedSsrc: number;
  stats: RecvStats;
  lastPacketAt: number;
  lastPliAt: number;
  pliCount: number;
  firCount: number;
  /** present when the producer negotiated generic NACK */
  nack?: NackGenerator;
}

/** A packet as forwarded to consumers and recorders (already un-RTXed, PT mapped to router space). */
export interface ForwardPacket {
  seq: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  payload: Buffer;
  /** header extensions by URI */
  audioLevel?: Buffer;
  keyframe: boolean;
}

export interface PacketSink {
  onPacket(fp: ForwardPacket, stream: ProducerStream, producer: EngineProducer, now: number): void;
}

export class EngineProducer {
  readonly streams: ProducerStream[];
  readonly consumers = new Set<EngineConsumer>();
  readonly sinks = new Set<PacketSink>();
  paused: boolean;
  closed = false;
  private readonly ptMap = new Map<number, number>();
  private readonly rtxApt = new Map<number, number>();
  private readonly extIdByUri = new Map<string, number>();
  readonly mimeType: string;
  readonly clockRate: number;
  private levelSum = 0;
  private levelCount = 0;

  constructor(
    readonly transport: EngineTransport,
    readonly id: string,
    readonly kind: MediaKind,
    readonly rtpParameters: RtpParameters,
    readonly consumable: RtpParameters,
    mapping: RtpMapping,
    paused: boolean,
  ) {
    this.paused = paused;
    for (const m of mapping.codecs) this.ptMap.set(m.payloadType, m.mappedPayloadType);
    for (const c of rtpParameters.codecs) if (isRtxMime(c.mimeType)) this.rtxApt.set(c.payloadType, Number(c.parameters?.apt));
    for (const e of rtpParameters.headerExtensions ?? []) this.extIdByUri.set(e.uri, e.id);
    const media = rtpParameters.codecs.find((c) => !isRtxMime(c.mimeType))!;
    this.mimeType = media.mimeType;
    this.clockRate = media.clockRate;
    this.streams = mapping.encodings.map((m, index) => ({
      index,
      ssrc: m.ssrc,
      rtxSsrc: rtpParameters.encodings?.[index]?.rtx?.ssrc,
      rid: m.rid,
      mappedSsrc: m.mappedSsrc,
      stats: new RecvStats(this.clockRate),
      lastPacketAt: 0,
      lastPliAt: 0,
      pliCount: 0,
      firCount: 0,
      nack: media.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter) ? new NackGenerator() : undefined,
    }));
  }

  isRtxPt(pt: number) {
    return this.rtxApt.has(pt);
  }

  readExt(packet: RtpPacket, uri: string): string | undefined {
    const id = this.extIdByUri.get(uri);
    if (id === undefined) return undefined;
    const e = packet.header.extensions.find((x) => x.id === id);
    return e ? e.payload.toString('ascii').replace(/\0+$/, '') : undefined;
  }

  onRtp(packet: RtpPacket, stream: ProducerStream, rtx: boolean, now: number) {
    if (this.closed) return;
    const h = packet.header;
    let seq = h.sequenceNumber;
    let payload = packet.payload;
    let pt = h.payloadType;
    if (rtx || this.rtxApt.has(pt)) {
      if (payload.length <= 2) return; // RTX padding (BWE probe)
      seq = payload.readUInt16BE(0);
      payload = payload.subarray(2);
      pt = this.rtxApt.get(pt) ?? pt;
    }
    const mappedPt = this.ptMap.get(pt);
    if (mappedPt === undefined) return;
    stream.stats.onPacket(seq, h.timestamp, payload.length + 12, now);
    stream.lastPacketAt = now;
    if (stream.nack && stream.ssrc !== undefined) {
      const lost = stream.nack.onPacket(seq, now);
      if (lost.length) {
        this.transport.sendRtcp([
          new RtcpTransportLayerFeedback({ feedback: new GenericNack({ senderSsrc: SERVER_SSRC, mediaSourceSsrc: stream.ssrc, lost }) }),
        ]);
      }
    }
    if (payload.length === 0) {
      for (const c of this.consumers) c.onPadding(seq, stream);
      return;
    }
    let audioLevel: Buffer | undefined;
    const alId = this.extIdByUri.get(EXT.AUDIO_LEVEL);
    if (alId !== undefined) {
      audioLevel = h.extensions.find((e) => e.id === alId)?.payload;
      if (audioLevel && audioLevel.length > 0) {
        this.levelSum += -(audioLevel[0] & 0x7f);
        this.levelCount++;
      }
    }
    if (this.paused) return;
    const fp: ForwardPacket = {
      seq,
      timestamp: h.timestamp,
      marker: h.marker,
      payloadType: mappedPt,
      payload,
      audioLevel,
      keyframe: this.kind === 'video' ? isKeyframeStart(this.mimeType, payload) : false,
    };
    for (const c of this.consumers) c.onPacket(fp, stream, now);
    for (const s of this.sinks) {
      try {
        s.onPacket(fp, stream, this, now);
      } catch (e) {
        this.transport.router.engine.log('warn', `sink error: ${(e as Error).message}`);
      }
    }
  }

  takeAudioLevel(): number | null {
    if (this.levelCount === 0) return null;
    const v = this.levelSum / this.levelCount;
    this.levelSum = 0;
    this.levelCount = 0;
    return v;
  }

  requestKeyFrame(streamIndex: number, kind: 'pli' | 'fir' = 'pli') {
    if (this.kind !== 'video' || this.closed) return;
    const s = this.streams[streamIndex];
    if (!s || s.ssrc === undefined) return;
    const now = Date.now();
    if (now - s.lastPliAt < 300) return;
    s.lastPliAt = now;
    if (kind === 'fir') s.firCount++;
    else s.pliCount++;
    this.transport.sendRtcp([
      new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: SERVER_SSRC, mediaSsrc: s.ssrc }) }),
    ]);
  }

  requestKeyFrameAll() {
    for (const s of this.streams) this.requestKeyFrame(s.index);
  }

  /** Highest stream index that received media within the last 2 s (simulcast availability). */
  activeLayers(now: number): number[] {
    return this.streams.filter((s) => now - s.lastPacketAt < 2000).map((s) => s.index);
  }

  pause() {
    this.paused = true;
    for (const c of this.consumers) c.onProducerPaused();
  }

  resume() {
    this.paused = false;
    for (const c of this.consumers) c.onProducerResumed();
    this.requestKeyFrameAll();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.consumers]) c.close();
    for (const s of [...this.sinks]) (s as { onProducerClose?: (p: EngineProducer) => void }).onProducerClose?.(this);
    this.sinks.clear();
    this.transport.unregisterProducer(this);
    this.transport.router.producers.delete(this.id);
    this.transport.router.engine.producers.delete(this.id);
  }

  stats(): RtpStreamStats[] {
    const now = Date.now();
    return this.streams.map((s) => {
      s.stats.updateBitrate(now);
      return {
        type: 'inbound-rtp' as const,
        kind: this.kind,
        ssrc: s.ssrc ?? 0,
        rid: s.rid,
        mimeType: this.mimeType,
        timestamp: now,
        packetCount: s.stats.packetCount,
        byteCount: s.stats.byteCount,
        bitrate: now - s.lastPacketAt > 2000 ? 0 : s.stats.bitrate,
        packetsLost: s.stats.packetsLost,
        fractionLost: s.stats.fractionLost,
        jitter: Math.round(s.stats.jitter),
        roundTripTime: 0,
        nackCount: s.nack?.nacksSent ?? 0,
        nackPacketCount: s.nack?.packetsNacked ?? 0,
        retransmittedPackets: 0,
        pliCount: s.pliCount,
        firCount: s.firCount,
        score: s.stats.packetCount === 0 ? 0 : Math.max(0, Math.round(10 - s.stats.fractionLost * 20)),
      };
    });
  }
}

// ------------------------------------------------------------------------------------ Consumer

export class EngineConsumer {
  readonly ssrc: number;
  readonly rtxSsrc?: number;
  readonly payloadType: number;
  readonly rtxPayloadType?: number;
  readonly clockRate: number;
  readonly mimeType: string;
  paused: boolean;
  producerPaused: boolean;
  closed = false;
  private readonly rewriter: RtpRewriter;
  private readonly rtxBuffer?: RetransmissionBuffer;
  private rtxSeq = Math.floor(Math.random() * 0xffff);
  private waitingKeyframe: boolean;
  private readonly extIds: { mid?: number; abs?: number; level?: number };
  private readonly midBuf?: Buffer;
  currentLayer = -1;
  targetLayer: number;
  preferredLayer: number;
  // stats
  packetCount = 0;
  byteCount = 0;
  private readonly rate = new Rate();
  private rr = { fractionLost: 0, packetsLost: 0, jitter: 0, rtt: 0 };
  nackCount = 0;
  nackPacketCount = 0;
  retransmitted = 0;
  pliCount = 0;
  firCount = 0;

  constructor(
    readonly transport: EngineTransport,
    readonly id: string,
    readonly producer: EngineProducer,
    readonly rtpParameters: RtpParameters,
    paused: boolean,
    preferredSpatialLayer?: number,
  ) {
    this.paused = paused;
    this.producerPaused = producer.paused;
    const enc = rtpParameters.encodings![0];
    this.ssrc = enc.ssrc!;
    this.rtxSsrc = enc.rtx?.ssrc;
    const media = rtpParameters.codecs.find((c) => !isRtxMime(c.mimeType))!;
    this.payloadType = media.payloadType;
    this.clockRate = media.clockRate;
    this.mimeType = media.mimeType;
    this.rtxPayloadType = rtpParameters.codecs.find((c) => isRtxMime(c.mimeType) && Number(c.parameters?.apt) === media.payloadType)?.payloadType;
    const ext = (uri: string) => rtpParameters.headerExtensions?.find((e) => e.uri === uri)?.id;
    this.extIds = { mid: ext(EXT.MID), abs: ext(EXT.ABS_SEND_TIME), level: ext(EXT.AUDIO_LEVEL) };
    if (rtpParameters.mid !== undefined) this.midBuf = Buffer.from(rtpParameters.mid, 'ascii');
    this.rewriter = new RtpRewriter(this.clockRate);
    const hasNack = media.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter);
    if (producer.kind === 'video' || hasNack) this.rtxBuffer = new RetransmissionBuffer(producer.kind === 'video' ? 1000 : 200);
    this.waitingKeyframe = producer.kind === 'video';
    const maxLayer = producer.streams.length - 1;
    this.preferredLayer = Math.min(preferredSpatialLayer ?? maxLayer, maxLayer);
    this.targetLayer = this.preferredLayer;
    producer.consumers.add(this);
    transport.consumers.set(id, this);
    transport.consumerBySsrc.set(this.ssrc, this);
    if (this.rtxSsrc !== undefined) transport.consumerBySsrc.set(this.rtxSsrc, this);
  }

  private get active() {
    return !this.paused && !this.producerPaused && !this.closed && this.transport.state === 'connected';
  }

  /** (Re)start the flow: resync seq/ts, wait for and ask for a keyframe. */
  private restart() {
    this.rewriter.resync();
    if (this.producer.kind === 'video') {
      this.waitingKeyframe = true;
      this.currentLayer = -1;
      this.producer.requestKeyFrame(this.targetLayer);
    }
  }

  onTransportConnected() {
    if (this.active) this.restart();
  }

  onPacket(fp: ForwardPacket, stream: ProducerStream, now: number) {
    if (!this.active) return;
    if (this.producer.kind === 'video') {
      if (stream.index !== this.currentLayer) {
        // switch only onto the target layer, and only at a keyframe
        if (stream.index !== this.targetLayer || !fp.keyframe) {
          if (stream.index === this.targetLayer) this.producer.requestKeyFrame(this.targetLayer);
          return;
        }
        if (this.currentLayer !== -1) this.rewriter.resync();
        this.currentLayer = stream.index;
        this.waitingKeyframe = false;
        this.transport.router.engine.notify({ targetId: this.id, event: 'layerschange', data: { spatialLayer: stream.index, temporalLayer: 0 } });
      } else if (this.waitingKeyframe) {
        if (!fp.keyframe) return;
        this.waitingKeyframe = false;
      }
    }
    const out = this.rewriter.rewrite(fp.seq, fp.timestamp, now);
    if (!out) return;
    const extensions: { id: number; payload: Buffer }[] = [];
    if (this.extIds.mid !== undefined && this.midBuf) extensions.push({ id: this.extIds.mid, payload: this.midBuf });
    if (this.extIds.abs !== undefined) extensions.push({ id: this.extIds.abs, payload: absSendTime(now) });
    if (this.extIds.level !== undefined && fp.audioLevel) extensions.push({ id: this.extIds.level, payload: fp.audioLevel });
    const header = new RtpHeader({
      payloadType: this.payloadType,
      sequenceNumber: out.seq,
      timestamp: out.ts,
      ssrc: this.ssrc,
      marker: fp.marker,
      extensions,
    });
    this.transport.sendRtp(header, fp.payload);
    this.packetCount++;
    this.byteCount += fp.payload.length + 12;
    this.rate.add(fp.payload.length + 12, now);
    this.rtxBuffer?.store({ seq: out.seq, timestamp: out.ts, marker: fp.marker, payload: fp.payload, extensions, sentAt: now, resentAt: 0 });
  }

  onPadding(seq: number, stream: ProducerStream) {
    if (stream.index === this.currentLayer || this.producer.kind === 'audio') this.rewriter.skip(seq);
  }

  onNack(lost: number[]) {
    this.nackCount++;
    this.nackPacketCount += lost.length;
    if (!this.rtxBuffer || !this.active) return;
    const now = Date.now();
    for (const seq of lost) {
      const p = this.rtxBuffer.get(seq, now);
      if (!p) continue;
      this.retransmitted++;
      if (this.rtxSsrc !== undefined && this.rtxPayloadType !== undefined) {
        const osn = Buffer.alloc(2);
        osn.writeUInt16BE(seq);
        this.rtxSeq = (this.rtxSeq + 1) & 0xffff;
        const header = new RtpHeader({
          payloadType: this.rtxPayloadType,
          sequenceNumber: this.rtxSeq,
          timestamp: p.timestamp,
          ssrc: this.rtxSsrc,
          marker: p.marker,
          extensions: p.extensions,
        });
        this.transport.sendRtp(header, Buffer.concat([osn, p.payload]));
      } else {
        const header = new RtpHeader({ payloadType: this.payloadType, sequenceNumber: seq, timestamp: p.timestamp, ssrc: this.ssrc, marker: p.marker, extensions: p.extensions });
        this.transport.sendRtp(header, p.payload);
      }
    }
  }

  onKeyFrameRequest(kind: 'pli' | 'fir') {
    if (kind === 'pli') this.pliCount++;
    else this.firCount++;
    if (!this.active) return;
    this.producer.requestKeyFrame(this.currentLayer >= 0 ? this.currentLayer : this.targetLayer, kind);
  }

  onReceiverReport(rb: RtcpReceiverInfo) {
    this.rr = {
      fractionLost: rb.fractionLost / 256,
      packetsLost: rb.packetsLost,
      jitter: rb.jitter,
      rtt: rttFromReport(rb.lsr, rb.dlsr) || this.rr.rtt,
    };
  }

  senderReport(now: number): RtcpSrPacket | null {
    if (!this.active || !this.rewriter.hasStarted || this.packetCount === 0) return null;
    return new RtcpSrPacket({
      ssrc: this.ssrc,
      senderInfo: new RtcpSenderInfo({
        ntpTimestamp: ntpFromMs(now),
        rtpTimestamp: this.rewriter.rtpTimeAt(now),
        packetCount: this.packetCount,
        octetCount: this.byteCount,
      }),
      reports: [],
    });
  }

  /** Simulcast: pick the best available layer not above the preferred one. */
  maybeSwitchLayer(now: number) {
    if (this.producer.kind !== 'video' || this.producer.streams.length < 2 || !this.active) return;
    const avail = this.producer.activeLayers(now);
    if (avail.length === 0) return;
    const candidates = avail.filter((l) => l <= this.preferredLayer);
    const target = candidates.length ? Math.max(...candidates) : Math.min(...avail);
    if (target !== this.targetLayer || this.currentLayer !== target) {
      this.targetLayer = target;
      if (this.currentLayer !== target) this.producer.requestKeyFrame(target);
    }
  }

  setPreferredLayers(spatialLayer: number) {
    this.preferredLayer = Math.max(0, Math.min(spatialLayer, this.producer.streams.length - 1));
    this.maybeSwitchLayer(Date.now());
    if (this.targetLayer !== this.preferredLayer) {
      // layer not seen yet: still aim for it
      this.targetLayer = this.preferredLayer;
      this.producer.requestKeyFrame(this.targetLayer);
    }
  }

  onProducerPaused() {
    this.producerPaused = true;
    this.transport.router.engine.notify({ targetId: this.id, event: 'producerpause' });
  }

  onProducerResumed() {
    this.producerPaused = false;
    if (this.active) this.restart();
    this.transport.router.engine.notify({ targetId: this.id, event: 'producerresume' });
  }

  pause() {
    this.paused = true;
  }

  resume() {
    const was = this.paused;
    this.paused = false;
    if (was && this.active) this.restart();
  }

  requestKeyFrame() {
    this.producer.requestKeyFrame(this.currentLayer >= 0 ? this.currentLayer : this.targetLayer);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.producer.consumers.delete(this);
    this.transport.consumers.delete(this.id);
    this.transport.consumerBySsrc.delete(this.ssrc);
    if (this.rtxSsrc !== undefined) this.transport.consumerBySsrc.delete(this.rtxSsrc);
    this.transport.router.engine.consumers.delete(this.id);
    this.rtxBuffer?.clear();
  }

  stats(): RtpStreamStats[] {
    const now = Date.now();
    this.rate.roll(now);
    return [
      {
        type: 'outbound-rtp',
        kind: this.producer.kind,
        ssrc: this.ssrc,
        mimeType: this.mimeType,
        timestamp: now,
        packetCount: this.packetCount,
        byteCount: this.byteCount,
        bitrate: this.rate.bps,
        packetsLost: this.rr.packetsLost,
        fractionLost: this.rr.fractionLost,
        jitter: this.rr.jitter,
        roundTripTime: Math.round(this.rr.rtt * 10) / 10,
        nackCount: this.nackCount,
        nackPacketCount: this.nackPacketCount,
        retransmittedPackets: this.retransmitted,
        pliCount: this.pliCount,
        firCount: this.firCount,
        score: this.packetCount === 0 ? 0 : Math.max(0, Math.round(10 - this.rr.fractionLost * 20)),
      },
    ];
  }
}

// ------------------------------------------------------------------------------------ Engine

export class Engine {
  readonly routers = new Map<string, EngineRouter>();
  readonly transports = new Map<string, EngineTransport>();
  readonly producers = new Map<string, EngineProducer>();
  readonly consumers = new Map<string, EngineConsumer>();
  readonly recordings = new Map<string, Recording>();
  readonly counters = { rtpIn: 0, rtpOut: 0 };

  constructor(
    readonly settings: EngineSettings,
    readonly notify: Notify,
    readonly log: EngineLog = () => {},
  ) {}

  private router(id: string) {
    const r = this.routers.get(id);
    if (!r) throw new Error(`router ${id} not found`);
    return r;
  }
  private transport(id: string) {
    const t = this.transports.get(id);
    if (!t) throw new Error(`transport ${id} not found`);
    return t;
  }
  private producer(id: string) {
    const p = this.producers.get(id);
    if (!p) throw new Error(`producer ${id} not found`);
    return p;
  }
  private consumer(id: string) {
    const c = this.consumers.get(id);
    if (!c) throw new Error(`consumer ${id} not found`);
    return c;
  }

  async handle<M extends keyof EngineRequests>(method: M, data: EngineRequests[M]): Promise<unknown> {
    const d = data as never as Record<string, unknown> & EngineRequests[keyof EngineRequests];
    switch (method) {
      case 'router.create': {
        const { routerId } = d as EngineRequests['router.create'];
        this.routers.set(routerId, new EngineRouter(this, routerId));
        return {};
      }
      case 'router.close':
        this.routers.get((d as EngineRequests['router.close']).routerId)?.close();
        return {};
      case 'router.createWebRtcTransport': {
        const { routerId, transportId } = d as EngineRequests['router.createWebRtcTransport'];
        const router = this.router(routerId);
        const t = new EngineTransport(router, transportId);
        await t.init(this.settings);
        router.transports.set(transportId, t);
        this.transports.set(transportId, t);
        return { iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
      }
      case 'transport.connect': {
        const { transportId, dtlsParameters } = d as EngineRequests['transport.connect'];
        this.transport(transportId).connect(dtlsParameters);
        return {};
      }
      case 'transport.close':
        this.transports.get((d as EngineRequests['transport.close']).transportId)?.close();
        return {};
      case 'transport.getStats':
        return [this.transport((d as EngineRequests['transport.getStats']).transportId).stats()];
      case 'transport.produce': {
        const r = d as EngineRequests['transport.produce'];
        const t = this.transport(r.transportId);
        const p = new EngineProducer(t, r.producerId, r.kind, r.rtpParameters, r.consumableRtpParameters, r.mapping, r.paused);
        t.registerProducer(p);
        t.router.producers.set(p.id, p);
        this.producers.set(p.id, p);
        return {};
      }
      case 'transport.consume': {
        const r = d as EngineRequests['transport.consume'];
        const t = this.transport(r.transportId);
        const p = this.producer(r.producerId);
        const c = new EngineConsumer(t, r.consumerId, p, r.rtpParameters, r.paused, r.preferredSpatialLayer);
        this.consumers.set(c.id, c);
        if (!r.paused && t.state === 'connected') c.onTransportConnected();
        return { producerPaused: p.paused };
      }
      case 'producer.pause':
        this.producer((d as EngineRequests['producer.pause']).producerId).pause();
        return {};
      case 'producer.resume':
        this.producer((d as EngineRequests['producer.resume']).producerId).resume();
        return {};
      case 'producer.close':
        this.producers.get((d as EngineRequests['producer.close']).producerId)?.close();
        return {};
      case 'producer.getStats':
        return this.producer((d as EngineRequests['producer.getStats']).producerId).stats();
      case 'consumer.pause':
        this.consumer((d as EngineRequests['consumer.pause']).consumerId).pause();
        return {};
      case 'consumer.resume':
        this.consumer((d as EngineRequests['consumer.resume']).consumerId).resume();
        return {};
      case 'consumer.close':
        this.consumers.get((d as EngineRequests['consumer.close']).consumerId)?.close();
        return {};
      case 'consumer.getStats':
        return this.consumer((d as EngineRequests['consumer.getStats']).consumerId).stats();
      case 'consumer.setPreferredLayers': {
        const r = d as EngineRequests['consumer.setPreferredLayers'];
        this.consumer(r.consumerId).setPreferredLayers(r.spatialLayer);
        return {};
      }
      case 'consumer.requestKeyFrame':
        this.consumer((d as EngineRequests['consumer.requestKeyFrame']).consumerId).requestKeyFrame();
        return {};
      case 'recorder.start': {
        const r = d as EngineRequests['recorder.start'];
        const router = this.router(r.routerId);
        const producers = r.producerIds.map((id) => this.producer(id));
        const rec = new Recording(r.recordingId, producers, r.flags, this.settings.recordingsDir, r.fileBaseName, (err) => {
          this.recordings.delete(r.recordingId);
          router.recordings.delete(r.recordingId);
          this.notify({ targetId: r.recordingId, event: 'error', data: { message: err.message } });
        });
        await rec.start();
        this.recordings.set(r.recordingId, rec);
        router.recordings.set(r.recordingId, rec);
        return rec.describe();
      }
      case 'recorder.stop': {
        const { recordingId } = d as EngineRequests['recorder.stop'];
        const rec = this.recordings.get(recordingId);
        if (!rec) throw new Error(`recording ${recordingId} not found`);
        this.recordings.delete(recordingId);
        for (const r of this.routers.values()) r.recordings.delete(recordingId);
        return await rec.stop();
      }
      case 'engine.dump':
        return {
          routers: this.routers.size,
          transports: this.transports.size,
          producers: this.producers.size,
          consumers: this.consumers.size,
          recordings: this.recordings.size,
          rtpIn: this.counters.rtpIn,
          rtpOut: this.counters.rtpOut,
          // event-loop utilisation of the engine's thread (≈ share of one core it keeps busy)
          elu: (({ idle, active }) => ({ idle, active }))(performance.eventLoopUtilization()),
        };
      case 'engine.crash':
        setImmediate(() => {
          throw new Error('engine.crash requested');
        });
        return {};
      default:
        throw new Error(`unknown method ${String(method)}`);
    }
  }

  close() {
    for (const r of [...this.routers.values()]) r.close();
  }
}

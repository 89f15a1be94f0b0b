/** A producer inside the engine: receives one sender's RTP (all its simulcast streams) and fans it out. */
import { GenericNack, PictureLossIndication, RtcpPayloadSpecificFeedback, RtcpTransportLayerFeedback, type RtpPacket } from 'werift';
import type { MediaKind, RtpParameters, RtpStreamStats } from '../types';
import { EXT, isRtxMime, type RtpMapping } from '../ortc';
import { RecvStats } from '../rtp/RecvStats';
import { NackGenerator } from '../rtp/NackGenerator';
import { isKeyframeStart } from '../rtp/keyframe';
import { LAYER_ACTIVE_MS, PLI_THROTTLE_MS, SERVER_SSRC } from './tuning';
import type { EngineScope, ForwardPacket, PacketSink, PacketSource, ProducerListener, ProducerStream, RtcpSender } from './types';
import { CloseSignal } from './CloseSignal';

export class Producer implements PacketSource {
  /** tells the parents (transport, producer, router, engine) that this closed */
  private readonly closing: CloseSignal;
  readonly streams: ProducerStream[];
  readonly consumers = new Set<ProducerListener>();
  readonly sinks = new Set<PacketSink>();
  paused: boolean;
  closed = false;
  private readonly ptMap = new Map<number, number>();
  private readonly rtxApt = new Map<number, number>();
  private readonly extIdByUri = new Map<string, number>();
  private readonly audioLevelExtId: number | undefined;
  readonly mimeType: string;
  readonly clockRate: number;
  private levelSum = 0;
  private levelCount = 0;

  constructor(
    private readonly scope: EngineScope,
    private readonly transport: RtcpSender,
    readonly id: string,
    readonly kind: MediaKind,
    readonly rtpParameters: RtpParameters,
    mapping: RtpMapping,
    paused: boolean,
  ) {
    this.closing = new CloseSignal((err) => scope.log('error', `producer ${id}: a close listener threw: ${String(err)}`));
    this.paused = paused;
    for (const m of mapping.codecs) this.ptMap.set(m.payloadType, m.mappedPayloadType);
    for (const c of rtpParameters.codecs) if (isRtxMime(c.mimeType)) this.rtxApt.set(c.payloadType, Number(c.parameters?.apt));
    for (const e of rtpParameters.headerExtensions ?? []) this.extIdByUri.set(e.uri, e.id);
    this.audioLevelExtId = this.extIdByUri.get(EXT.AUDIO_LEVEL);
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

  /** A consumer of this producer; it leaves the set when it closes. */
  addConsumer(c: ProducerListener & { once(event: 'close', fn: () => void): unknown }) {
    this.consumers.add(c);
    c.once('close', () => this.consumers.delete(c));
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
    if (this.audioLevelExtId !== undefined) {
      const id = this.audioLevelExtId;
      audioLevel = h.extensions.find((e) => e.id === id)?.payload;
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
        this.scope.log('warn', `sink error: ${(e as Error).message}`);
      }
    }
  }

  /** Mean audio level (dBov) since the last call, or null without any level extension seen. */
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
    if (now - s.lastPliAt < PLI_THROTTLE_MS) return;
    s.lastPliAt = now;
    if (kind === 'fir') s.firCount++;
    else s.pliCount++;
    this.transport.sendRtcp([new RtcpPayloadSpecificFeedback({ feedback: new PictureLossIndication({ senderSsrc: SERVER_SSRC, mediaSsrc: s.ssrc }) })]);
  }

  requestKeyFrameAll() {
    for (const s of this.streams) this.requestKeyFrame(s.index);
  }

  /** Stream indexes that received media recently (simulcast availability). */
  activeLayers(now: number): number[] {
    return this.streams.filter((s) => now - s.lastPacketAt < LAYER_ACTIVE_MS).map((s) => s.index);
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

  once(_event: 'close', fn: () => void): void {
    this.closing.once(fn);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.consumers]) c.close();
    for (const s of [...this.sinks]) s.onProducerClose?.(this);
    this.sinks.clear();
    this.closing.emit();
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
        bitrate: now - s.lastPacketAt > LAYER_ACTIVE_MS ? 0 : s.stats.bitrate,
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

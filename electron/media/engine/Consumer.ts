/**
 * What every consumer does: rewrite a producer's packets into its own SSRC/seq/timestamp space,
 * send them on its transport, keep them for retransmission, answer NACK/PLI/RR and report stats.
 * Which of the producer's streams to forward is the subclass's job (SimpleConsumer, SimulcastConsumer).
 */
import { RtcpSenderInfo, RtcpSrPacket, RtpHeader, type RtcpReceiverInfo } from 'werift';
import type { RtpParameters, RtpStreamStats } from '../types';
import { EXT, isRtxMime } from '../ortc';
import { ntpFromMs, rttFromReport } from '../rtp/RecvStats';
import { RetransmissionBuffer } from '../rtp/RetransmissionBuffer';
import { RtpRewriter } from '../rtp/RtpRewriter';
import type { Producer } from './Producer';
import { Rate } from './Rate';
import { absSendTime } from './rtcpFields';
import { RTX_BUFFER_AUDIO, RTX_BUFFER_VIDEO } from './tuning';
import type { EngineScope, ForwardPacket, ProducerListener, ProducerStream, RtpSender } from './types';
import { CloseSignal } from './CloseSignal';
import { transportCcExtId, type CcConsumer, type CcShare } from './cc/TransportCc';

export abstract class Consumer implements ProducerListener, CcConsumer {
  /** tells the parents (transport, producer, router, engine) that this closed */
  private readonly closing: CloseSignal;
  readonly ssrc: number;
  readonly rtxSsrc?: number;
  readonly payloadType: number;
  readonly rtxPayloadType?: number;
  readonly clockRate: number;
  readonly mimeType: string;
  paused: boolean;
  producerPaused: boolean;
  closed = false;
  protected readonly rewriter: RtpRewriter;
  private readonly rtxBuffer?: RetransmissionBuffer;
  private rtxSeq = Math.floor(Math.random() * 0xffff);
  private readonly extIds: { mid?: number; abs?: number; level?: number };
  private readonly midBuf?: Buffer;
  /** header-extension id under which the transport stamps its transport-wide sequence number */
  protected readonly transportCcExtId?: number;
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
    protected readonly scope: EngineScope,
    protected readonly transport: RtpSender,
    readonly id: string,
    readonly producer: Producer,
    readonly rtpParameters: RtpParameters,
    paused: boolean,
  ) {
    this.closing = new CloseSignal((err) => scope.log('error', `consumer ${id}: a close listener threw: ${String(err)}`));
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
    this.transportCcExtId = transportCcExtId(rtpParameters);
    if (rtpParameters.mid !== undefined) this.midBuf = Buffer.from(rtpParameters.mid, 'ascii');
    this.rewriter = new RtpRewriter(this.clockRate);
    const hasNack = media.rtcpFeedback?.some((f) => f.type === 'nack' && !f.parameter);
    if (producer.kind === 'video' || hasNack) this.rtxBuffer = new RetransmissionBuffer(producer.kind === 'video' ? RTX_BUFFER_VIDEO : RTX_BUFFER_AUDIO);
  }

  protected get active() {
    return !this.paused && !this.producerPaused && !this.closed && this.transport.state === 'connected';
  }

  abstract onPacket(fp: ForwardPacket, stream: ProducerStream, now: number): void;
  abstract onPadding(seq: number, stream: ProducerStream): void;
  /** The producer stream a keyframe request from the receiver should go to. */
  protected abstract keyFrameLayer(): number;
  /** Re-evaluate which stream to forward (RTCP tick); simulcast only. */
  abstract maybeSwitchLayer(now: number): void;
  abstract setPreferredLayers(spatialLayer: number): void;

  /** (Re)start the flow: resync seq/ts; video waits for and asks for a keyframe. */
  protected restart() {
    this.rewriter.resync();
  }

  onTransportConnected() {
    if (this.active) this.restart();
  }

  /** Rewrite one packet into this consumer's space and send it. */
  protected forward(fp: ForwardPacket, now: number) {
    const out = this.rewriter.rewrite(fp.seq, fp.timestamp, now);
    if (!out) return;
    const extensions: { id: number; payload: Buffer }[] = [];
    if (this.extIds.mid !== undefined && this.midBuf) extensions.push({ id: this.extIds.mid, payload: this.midBuf });
    if (this.extIds.abs !== undefined) extensions.push({ id: this.extIds.abs, payload: absSendTime(now) });
    if (this.extIds.level !== undefined && fp.audioLevel) extensions.push({ id: this.extIds.level, payload: fp.audioLevel });
    let transportCc: Buffer | undefined;
    if (this.transportCcExtId !== undefined) {
      transportCc = Buffer.allocUnsafe(2);
      extensions.push({ id: this.transportCcExtId, payload: transportCc });
    }
    const header = new RtpHeader({
      payloadType: this.payloadType,
      sequenceNumber: out.seq,
      timestamp: out.ts,
      ssrc: this.ssrc,
      marker: fp.marker,
      extensions,
    });
    this.transport.sendRtp(header, fp.payload, transportCc);
    this.packetCount++;
    this.byteCount += fp.payload.length + 12;
    this.rate.add(fp.payload.length + 12, now);
    this.rtxBuffer?.store({ seq: out.seq, timestamp: out.ts, marker: fp.marker, payload: fp.payload, extensions, transportCc, sentAt: now, resentAt: 0 });
  }

  /** A video consumer on a transport-cc downlink takes its current rate from the estimate (simulcast ones take part in the split). */
  ccShare(_now: number): CcShare | null {
    if (!this.active || this.transportCcExtId === undefined || this.producer.kind !== 'video') return null;
    return { kind: 'fixed', bps: this.rate.bps };
  }

  applyAllowedLayer(_layer: number, _now: number): void {}

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
        this.transport.sendRtp(header, Buffer.concat([osn, p.payload]), p.transportCc);
      } else {
        const header = new RtpHeader({
          payloadType: this.payloadType,
          sequenceNumber: seq,
          timestamp: p.timestamp,
          ssrc: this.ssrc,
          marker: p.marker,
          extensions: p.extensions,
        });
        this.transport.sendRtp(header, p.payload, p.transportCc);
      }
    }
  }

  onKeyFrameRequest(kind: 'pli' | 'fir') {
    if (kind === 'pli') this.pliCount++;
    else this.firCount++;
    if (!this.active) return;
    this.producer.requestKeyFrame(this.keyFrameLayer(), kind);
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

  /** The main thread learns of a producer pause from its own Producer proxy; nothing is notified from here. */
  onProducerPaused() {
    this.producerPaused = true;
  }

  onProducerResumed() {
    this.producerPaused = false;
    if (this.active) this.restart();
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
    this.producer.requestKeyFrame(this.keyFrameLayer());
  }

  once(_event: 'close', fn: () => void): void {
    this.closing.once(fn);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.rtxBuffer?.clear();
    this.closing.emit();
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

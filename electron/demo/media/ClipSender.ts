/**
 * Plays the demo clip as RTP, looped, in real time: Opus with the ssrc-audio-level extension and
 * VP8 packetized per RFC 7741. Sequence numbers and timestamps run on across loops (each loop
 * starts on a key frame), a PLI/FIR restarts the current second at its key frame, a NACK is
 * answered from the last packets sent, and each stream sends an RTCP sender report every second.
 */
import { randomInt } from 'node:crypto';
import {
  GenericNack,
  PictureLossIndication,
  RtcpPayloadSpecificFeedback,
  RtcpSenderInfo,
  RtcpSrPacket,
  RtcpTransportLayerFeedback,
  type RtcpPacket,
} from 'werift';
import { ntpFromMs } from '../../media/rtp/RecvStats';
import type { BotPeer, RtpSendHeader } from '../bots/BotPeer';
import type { Clip } from './clip';
import { packetizeVp8 } from './vp8Packetizer';

export interface StreamIds {
  ssrc: number;
  payloadType: number;
}

export interface ClipSenderOptions {
  clip: Clip;
  peer: Pick<BotPeer, 'sendRtp' | 'sendRtcp' | 'onRtcp'>;
  audio: (StreamIds & { audioLevelExtId: number }) | null;
  video: StreamIds | null;
  /** Start this far into the loop, so bots sharing the clip do not sound in unison. */
  offsetMs?: number;
  /** Tick period (ms); audio packets are 20 ms, so 20 is the natural choice. */
  tickMs?: number;
}

export interface ClipSenderStats {
  packetsSent: number;
  bytesSent: number;
  loops: number;
  keyframeRequests: number;
  retransmitted: number;
}

interface Track {
  ids: StreamIds;
  clockRate: number;
  seq: number;
  /** RTP timestamp of the next packet. */
  ts: number;
  /** performance.now() when the next unit is due. */
  due: number;
  index: number;
  packets: number;
  octets: number;
}

const HISTORY = 512;
/** A stall longer than this (event loop blocked) skips ahead instead of bursting the backlog. */
const MAX_BACKLOG_MS = 500;

export class ClipSender {
  readonly stats: ClipSenderStats = { packetsSent: 0, bytesSent: 0, loops: 0, keyframeRequests: 0, retransmitted: 0 };
  private readonly audio: Track | null;
  private readonly video: Track | null;
  private readonly history = new Map<number, { h: RtpSendHeader; payload: Buffer }>();
  private pictureId = randomInt(0x7fff);
  private lastRewind = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private lastSr = 0;

  constructor(private readonly opts: ClipSenderOptions) {
    const now = performance.now();
    const track = (ids: StreamIds, clockRate: number): Track => ({
      ids,
      clockRate,
      seq: randomInt(0x8000),
      ts: randomInt(0x7fffffff),
      due: now,
      index: 0,
      packets: 0,
      octets: 0,
    });
    this.audio = opts.audio ? track(opts.audio, 48_000) : null;
    this.video = opts.video ? track(opts.video, 90_000) : null;
    const offset = opts.offsetMs ?? 0;
    if (this.audio && offset) this.audio.index = Math.floor(offset / 20) % opts.clip.audio.length;
    if (this.video && offset) this.video.index = this.keyframeAtOrBefore(Math.floor((offset * 15) / 1000) % opts.clip.video.length);
    opts.peer.onRtcp = (p) => this.onRtcp(p);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.opts.tickMs ?? 20);
    this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = performance.now();
    const { clip, peer } = this.opts;
    const a = this.audio;
    if (a) {
      this.catchUp(a, now);
      while (a.due <= now) {
        const p = clip.audio[a.index]!;
        const level = Buffer.from([p.level & 0x7f]);
        this.send(a, { marker: false, extensions: [{ id: this.opts.audio!.audioLevelExtId, payload: level }] }, p.data);
        a.ts = (a.ts + p.samples) >>> 0;
        a.due += p.samples / 48;
        if (++a.index >= clip.audio.length) a.index = 0;
      }
    }
    const v = this.video;
    if (v) {
      this.catchUp(v, now);
      while (v.due <= now) {
        const f = clip.video[v.index]!;
        const payloads = packetizeVp8(f.data, this.pictureId);
        this.pictureId = (this.pictureId + 1) & 0x7fff;
        payloads.forEach((payload, i) => this.send(v, { marker: i === payloads.length - 1, extensions: [] }, payload));
        v.ts = (v.ts + f.ticks) >>> 0;
        v.due += f.ticks / 90;
        if (++v.index >= clip.video.length) {
          v.index = 0;
          this.stats.loops++;
        }
      }
    }
    if (now - this.lastSr >= 1000) {
      this.lastSr = now;
      peer.sendRtcp([a, v].filter((t): t is Track => t !== null && t.packets > 0).map((t) => this.senderReport(t, now)));
    }
  }

  /** After a stall, jump the schedule to now; timestamps advance by the skipped time so they track the clock. */
  private catchUp(t: Track, now: number): void {
    const behind = now - t.due;
    if (behind <= MAX_BACKLOG_MS) return;
    t.ts = (t.ts + Math.round((behind * t.clockRate) / 1000)) >>> 0;
    t.due = now;
  }

  private send(t: Track, h: Pick<RtpSendHeader, 'marker' | 'extensions'>, payload: Buffer): void {
    const header: RtpSendHeader = { ssrc: t.ids.ssrc, payloadType: t.ids.payloadType, sequenceNumber: t.seq, timestamp: t.ts, ...h };
    t.seq = (t.seq + 1) & 0xffff;
    t.packets++;
    t.octets += payload.length;
    this.stats.packetsSent++;
    this.stats.bytesSent += payload.length;
    if (t === this.video) {
      this.history.set(header.sequenceNumber, { h: header, payload });
      this.history.delete((header.sequenceNumber - HISTORY) & 0xffff);
    }
    this.opts.peer.sendRtp(header, payload);
  }

  private senderReport(t: Track, now: number): RtcpSrPacket {
    // RTP time of "now": the next unit's timestamp minus what is still to come before it is due.
    const rtpNow = (t.ts - Math.round(((t.due - now) * t.clockRate) / 1000)) >>> 0;
    return new RtcpSrPacket({
      ssrc: t.ids.ssrc,
      senderInfo: new RtcpSenderInfo({ ntpTimestamp: ntpFromMs(Date.now()), rtpTimestamp: rtpNow, packetCount: t.packets, octetCount: t.octets }),
      reports: [],
    });
  }

  private onRtcp(p: RtcpPacket): void {
    const v = this.video;
    if (!v) return;
    if (p instanceof RtcpPayloadSpecificFeedback) {
      const fb = p.feedback;
      const pli = fb instanceof PictureLossIndication && fb.mediaSsrc === v.ids.ssrc;
      const fir = 'fir' in fb && (fb.fir as { ssrc: number }[]).some((e) => e.ssrc === v.ids.ssrc);
      if (pli || fir) this.onKeyframeRequest();
    } else if (p instanceof RtcpTransportLayerFeedback && p.feedback instanceof GenericNack && p.feedback.mediaSourceSsrc === v.ids.ssrc) {
      for (const seq of p.feedback.lost) {
        const h = this.history.get(seq);
        if (!h) continue;
        this.stats.retransmitted++;
        this.opts.peer.sendRtp(h.h, h.payload);
      }
    }
  }

  /** Restart the current second at its key frame (at most twice a second; the clip has one every second anyway). */
  private onKeyframeRequest(): void {
    const v = this.video!;
    this.stats.keyframeRequests++;
    const now = performance.now();
    if (now - this.lastRewind < 500) return;
    this.lastRewind = now;
    v.index = this.keyframeAtOrBefore(v.index);
  }

  private keyframeAtOrBefore(i: number): number {
    const frames = this.opts.clip.video;
    while (i > 0 && !frames[i]!.keyframe) i--;
    return i;
  }
}

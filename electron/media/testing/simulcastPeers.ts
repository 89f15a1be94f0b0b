/**
 * TEST ONLY: a synthetic 3-layer VP8 simulcast sender and a viewer that answers with transport-cc
 * feedback, both on NodePeer (werift ICE/DTLS/SRTP), for the congestion-control scenarios.
 * The sender stamps transport-wide sequence numbers, sends each layer at a fixed bitrate in 30 fps
 * frames of ≤ 1,000-byte packets, a keyframe every 3 s and on PLI, and tags every payload's last
 * byte with its layer so the viewer can tell which layer it receives.
 */
import { PictureLossIndication, RtcpPayloadSpecificFeedback, RtcpTransportLayerFeedback, TransportWideCC, ReceiverEstimatedMaxBitrate } from 'werift';
import { EXT } from '../ortc';
import type { RtpParameters } from '../types';
import { TransportCcFeedback } from '../engine/cc/TransportCcFeedback';
import { rawRtcp } from '../engine/cc/twccPacket';
import type { NodePeer } from './NodePeer';

export const SIM_PT = 96;
export const TWCC_EXT_ID = 5;
const MID_EXT_ID = 1;
const FPS = 30;
const MAX_PACKET = 1000;
const KEYFRAME_EVERY_MS = 3000;

export function simulcastParameters(ssrcs: readonly number[]): RtpParameters {
  return {
    mid: '0',
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: SIM_PT,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [{ type: 'nack', parameter: 'pli' }, { type: 'transport-cc' }],
      },
    ],
    headerExtensions: [
      { uri: EXT.MID, id: MID_EXT_ID },
      { uri: EXT.TRANSPORT_CC, id: TWCC_EXT_ID },
    ],
    encodings: ssrcs.map((ssrc) => ({ ssrc })),
    rtcp: { cname: 'sim' },
  };
}

export class SimulcastSender {
  private timer?: NodeJS.Timeout;
  private twSeq = 0;
  private readonly seq: number[];
  private readonly ts: number[];
  private readonly keyframeDue: boolean[];
  private lastKeyframeAt = 0;
  private frame = 0;
  twccFeedbacks = 0;
  rembs = 0;
  plis = 0;

  constructor(
    private readonly peer: NodePeer,
    private readonly ssrcs: readonly number[],
    /** bits/s per layer */
    private readonly layerBps: readonly number[],
  ) {
    this.seq = ssrcs.map((_, i) => 1000 * (i + 1));
    this.ts = ssrcs.map(() => 0);
    this.keyframeDue = ssrcs.map(() => true);
    peer.onRtcp = (p) => {
      if (p instanceof RtcpTransportLayerFeedback && p.feedback instanceof TransportWideCC) this.twccFeedbacks++;
      if (p instanceof RtcpPayloadSpecificFeedback) {
        const fb = p.feedback;
        if (fb instanceof ReceiverEstimatedMaxBitrate) this.rembs++;
        if (fb instanceof PictureLossIndication) {
          const layer = this.ssrcs.indexOf(fb.mediaSsrc);
          if (layer >= 0) {
            this.plis++;
            this.keyframeDue[layer] = true;
          }
        }
      }
    };
  }

  start(): void {
    this.timer = setInterval(() => this.sendFrame(), 1000 / FPS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sendFrame() {
    const now = Date.now();
    if (now - this.lastKeyframeAt >= KEYFRAME_EVERY_MS) {
      this.lastKeyframeAt = now;
      this.keyframeDue.fill(true);
    }
    this.frame++;
    for (let layer = 0; layer < this.ssrcs.length; layer++) {
      const key = this.keyframeDue[layer];
      this.keyframeDue[layer] = false;
      // keyframes are 3× the size of a delta frame, as with a real encoder
      let bytes = Math.round((this.layerBps[layer] / 8 / FPS) * (key ? 3 : 0.93));
      this.ts[layer] = (this.ts[layer] + 90000 / FPS) >>> 0;
      let first = true;
      while (bytes > 0) {
        const size = Math.min(MAX_PACKET, Math.max(bytes, 16));
        bytes -= size;
        const payload = Buffer.alloc(size);
        // VP8 payload descriptor (S bit on the first packet) + the keyframe bit of the payload header
        payload[0] = first ? 0x10 : 0x00;
        if (first) payload.set(key ? [0x00, 0x9d, 0x01, 0x2a] : [0x01, 0x00, 0x00, 0x00], 1);
        payload[size - 1] = layer;
        const tw = Buffer.alloc(2);
        tw.writeUInt16BE(this.twSeq++ & 0xffff);
        void this.peer
          .sendRtp(
            {
              ssrc: this.ssrcs[layer],
              payloadType: SIM_PT,
              sequenceNumber: this.seq[layer]++ & 0xffff,
              timestamp: this.ts[layer],
              marker: bytes <= 0,
              extensions: [
                { id: MID_EXT_ID, payload: Buffer.from('0') },
                { id: TWCC_EXT_ID, payload: tw },
              ],
            },
            payload,
          )
          .catch(() => undefined);
        first = false;
      }
    }
  }
}

/** What a viewer saw in one second of the run. */
export interface ViewerSecond {
  /** video packets per layer */
  layers: number[];
  received: number;
  /** sequence numbers missing between the first and last packet of the second */
  lost: number;
}

/** A viewer of one video consumer: counts layers and losses per second, sends transport-cc feedback every 100 ms. */
export class CcViewer {
  private readonly feedback = new TransportCcFeedback(0x5eed);
  private timer?: NodeJS.Timeout;
  readonly seconds: ViewerSecond[] = [];
  private cur: { layers: number[]; seqs: Set<number>; min: number; max: number } = CcViewer.fresh();
  private lastExtSeq = -1;

  constructor(
    private readonly peer: NodePeer,
    private readonly consumerSsrc: number,
    twccExtId: number | undefined,
  ) {
    peer.keepPackets = false;
    peer.onRtp = (p) => {
      if (twccExtId !== undefined) {
        const ext = p.header.extensions.find((e) => e.id === twccExtId);
        if (ext) this.feedback.onPacket(ext.payload.readUInt16BE(0), performance.now());
      }
      if (p.header.ssrc !== this.consumerSsrc || p.payload.length === 0) return;
      const seq = this.extend(p.header.sequenceNumber);
      this.cur.layers[p.payload[p.payload.length - 1]] = (this.cur.layers[p.payload[p.payload.length - 1]] ?? 0) + 1;
      this.cur.seqs.add(seq);
      this.cur.min = Math.min(this.cur.min, seq);
      this.cur.max = Math.max(this.cur.max, seq);
    };
  }

  private static fresh() {
    return { layers: [0, 0, 0], seqs: new Set<number>(), min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
  }

  private extend(seq16: number): number {
    if (this.lastExtSeq < 0) return (this.lastExtSeq = seq16);
    let d = (seq16 - (this.lastExtSeq & 0xffff)) & 0xffff;
    if (d >= 0x8000) d -= 0x10000;
    const ext = this.lastExtSeq + d;
    if (ext > this.lastExtSeq) this.lastExtSeq = ext;
    return ext;
  }

  start(): void {
    let ticks = 0;
    this.timer = setInterval(() => {
      const packets = this.feedback.build(this.consumerSsrc);
      if (packets.length) void this.peer.sendRtcp(packets.map(rawRtcp)).catch(() => undefined);
      if (++ticks % 10 === 0) {
        const c = this.cur;
        const span = c.seqs.size ? c.max - c.min + 1 : 0;
        this.seconds.push({ layers: c.layers, received: c.seqs.size, lost: span - c.seqs.size });
        this.cur = CcViewer.fresh();
      }
    }, 100);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Packets per layer, received and lost over the last `n` seconds. */
  last(n: number): ViewerSecond {
    const tail = this.seconds.slice(-n);
    return {
      layers: [0, 1, 2].map((l) => tail.reduce((s, x) => s + (x.layers[l] ?? 0), 0)),
      received: tail.reduce((s, x) => s + x.received, 0),
      lost: tail.reduce((s, x) => s + x.lost, 0),
    };
  }
}

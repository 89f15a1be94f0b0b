/**
 * Send-side bandwidth estimation for one transport's downlink (what mediasoup's
 * TransportCongestionControlClient gets from libwebrtc's GCC), kept small:
 *
 * - every packet sent gets a transport-wide sequence number; its send time and size go into a
 *   ring (no allocation per packet);
 * - the viewer's transport-cc feedback gives arrival times: packets are grouped by send time
 *   (5 ms bursts) and the inter-group delay variation is accumulated, smoothed and fitted with a
 *   **trendline** over the last 20 groups (GCC's delay-based detector, with its adaptive threshold);
 * - **AIMD**: on overuse the estimate drops to 0.85 × the rate the viewer acknowledged; while the
 *   delay is normal it grows 8 %/s (or ~1 packet per response time once it is near the rate at
 *   which it last fell);
 * - **loss** over ~0.5 s windows: > 10 % cuts the estimate by half the loss fraction, 2–10 % holds it.
 *
 * Growth is capped at 1.5 × the acknowledged rate, or at 1.2 × what the consumers would take for
 * their next step up (`desiredBps`) when that is more: switching a consumer up is the probe, and
 * while the allocator backs off nothing grows the estimate past what is being sent.
 */
import type { TwccResult } from './twccPacket';

const RING = 8192;
const RING_MASK = RING - 1;
const BURST_MS = 5;
const MAX_BURST_MS = 100;
const OVERUSE_TIME_MS = 10;
const TREND_WINDOW = 20;
const SMOOTHING = 0.9;
const TREND_GAIN = 4;
const THRESHOLD_MIN = 6;
const THRESHOLD_MAX = 600;
const K_UP = 0.0087;
const K_DOWN = 0.039;
const BETA = 0.85;
const HOLD_AFTER_DECREASE_MS = 300;
const REPEAT_DECREASE_MS = 1000;
const DELIVERY_RING = 256;
const DELIVERY_WINDOW_MS = 300;
const RECENT_ACKED_WINDOWS = 4;
const LOSS_WINDOW_MS = 500;
const LOSS_HIGH = 0.1;
const LOSS_LOW = 0.02;
/** no feedback for this long: the downlink is idle */
const IDLE_AFTER_MS = 1000;
/** 24-bit reference time in 64 ms ticks wraps after this many ms */
const REF_PERIOD_MS = 0x1000000 * 64;

export type DelaySignal = 'normal' | 'overuse' | 'underuse';

export interface EstimatorOptions {
  initialBps?: number;
  minBps?: number;
  maxBps?: number;
}

interface Group {
  firstSend: number;
  lastSend: number;
  firstArrival: number;
  lastArrival: number;
}

export class DownlinkEstimator {
  private readonly sentAt = new Float64Array(RING);
  private readonly sizes = new Uint16Array(RING);
  /** extended sequence number stored at each ring slot (-1 = free or acknowledged) */
  private readonly slotSeq = new Float64Array(RING).fill(-1);
  private nextSeq = 0;
  private lastFeedbackSeq = -1;
  // arrival-time unwrapping
  private arrivalOffset = 0;
  private lastArrival = Number.NaN;
  // trendline
  private group: Group | null = null;
  private prevGroup: Group | null = null;
  private accumulatedDelay = 0;
  private smoothedDelay = 0;
  private firstArrival = Number.NaN;
  private readonly trend: { x: number; y: number }[] = [];
  private numDeltas = 0;
  private threshold = 12.5;
  private overuseMs = -1;
  private overuseCount = 0;
  private prevModified = 0;
  private lastThresholdUpdate = Number.NaN;
  signal: DelaySignal = 'normal';
  // rates
  private ackedBytes = 0;
  private ackWindowStart = Number.NaN;
  ackedBps = 0;
  /** the acknowledged rate of the last few windows: what the link carried just before a switch down */
  private readonly recentAcked: number[] = [];
  /** the last received packets by arrival time (ring): their spacing is the link's rate while a queue builds */
  private readonly arrivals = new Float64Array(DELIVERY_RING);
  private readonly arrivalSizes = new Uint16Array(DELIVERY_RING);
  private arrivalCount = 0;
  private lossReceived = 0;
  private lossLost = 0;
  private lossWindowStart = Number.NaN;
  lossFraction = 0;
  // rate control
  bps: number;
  private readonly minBps: number;
  private readonly maxBps: number;
  private lastUpdate = Number.NaN;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  private lastDecreaseBps = 0;
  /** what the consumers on this transport would take for their next move up (set by the allocator) */
  desiredBps = 0;
  feedbackCount = 0;
  private lastFeedbackAt = Number.NaN;

  constructor(o: EstimatorOptions = {}) {
    this.bps = o.initialBps ?? 600_000;
    this.minBps = o.minBps ?? 50_000;
    this.maxBps = o.maxBps ?? 20_000_000;
  }

  /** Records a packet about to be sent; returns the 16-bit transport-wide sequence number to stamp. */
  onSend(size: number, nowMs: number): number {
    const seq = this.nextSeq++;
    const slot = seq & RING_MASK;
    this.slotSeq[slot] = seq;
    this.sentAt[slot] = nowMs;
    this.sizes[slot] = size > 0xffff ? 0xffff : size;
    return seq & 0xffff;
  }

  /** The results of one transport-cc feedback (in sequence order); `nowMs` on the send clock. */
  onFeedback(results: TwccResult[], nowMs: number): void {
    this.feedbackCount++;
    this.lastFeedbackAt = nowMs;
    let received = 0;
    let lost = 0;
    for (const r of results) {
      const seq = this.extend(r.seq);
      const slot = seq & RING_MASK;
      if (this.slotSeq[slot] !== seq) continue; // unknown or too old
      if (!r.received) {
        lost++;
        continue;
      }
      this.slotSeq[slot] = -1;
      received++;
      this.ackedBytes += this.sizes[slot];
      const arrival = this.unwrapArrival(r.arrivalMs);
      const k = this.arrivalCount++ % DELIVERY_RING;
      this.arrivals[k] = arrival;
      this.arrivalSizes[k] = this.sizes[slot];
      this.onArrival(this.sentAt[slot], arrival);
    }
    this.lossReceived += received;
    this.lossLost += lost;
    this.updateRates(nowMs);
    this.control(nowMs);
  }

  /** A feedback's 16-bit sequence number → the extended number it most likely means (near the last one). */
  private extend(seq16: number): number {
    const ref = this.lastFeedbackSeq >= 0 ? this.lastFeedbackSeq : this.nextSeq - 1;
    let diff = (seq16 - (ref & 0xffff)) & 0xffff;
    if (diff >= 0x8000) diff -= 0x10000;
    const ext = ref + diff;
    if (ext > this.lastFeedbackSeq) this.lastFeedbackSeq = ext;
    return ext;
  }

  private unwrapArrival(a: number): number {
    let t = a + this.arrivalOffset;
    if (!Number.isNaN(this.lastArrival)) {
      if (t < this.lastArrival - REF_PERIOD_MS / 2) {
        this.arrivalOffset += REF_PERIOD_MS;
        t += REF_PERIOD_MS;
      } else if (t > this.lastArrival + REF_PERIOD_MS / 2) {
        this.arrivalOffset -= REF_PERIOD_MS;
        t -= REF_PERIOD_MS;
      }
    }
    this.lastArrival = t;
    return t;
  }

  /** Send-time grouping and the trendline (GCC's InterArrival + TrendlineEstimator). */
  private onArrival(sendMs: number, arrivalMs: number) {
    const g = this.group;
    if (g && (sendMs - g.firstSend <= BURST_MS || this.arrivedInBurst(g, sendMs, arrivalMs))) {
      if (sendMs > g.lastSend) g.lastSend = sendMs;
      if (arrivalMs > g.lastArrival) g.lastArrival = arrivalMs;
      return;
    }
    if (g && sendMs < g.firstSend) return; // reordered from an earlier group
    if (g) {
      if (this.prevGroup) this.onGroupDelta(g.lastSend - this.prevGroup.lastSend, g.lastArrival - this.prevGroup.lastArrival, g.lastArrival);
      this.prevGroup = g;
    }
    this.group = { firstSend: sendMs, lastSend: sendMs, firstArrival: arrivalMs, lastArrival: arrivalMs };
  }

  /**
   * GCC's InterArrival::BelongsToBurst: packets that arrive back to back although they were sent
   * apart were held up on the way (or by a busy receiver) and released together; they join the
   * group instead of reading as a queue that drains.
   */
  private arrivedInBurst(g: Group, sendMs: number, arrivalMs: number): boolean {
    const arrivalDelta = arrivalMs - g.lastArrival;
    const propagationDelta = arrivalDelta - (sendMs - g.lastSend);
    return propagationDelta < 0 && arrivalDelta <= BURST_MS && arrivalMs - g.firstArrival < MAX_BURST_MS;
  }

  private onGroupDelta(sendDelta: number, arrivalDelta: number, arrivalMs: number) {
    if (arrivalDelta < 0) return;
    this.numDeltas = Math.min(this.numDeltas + 1, 1000);
    if (Number.isNaN(this.firstArrival)) this.firstArrival = arrivalMs;
    this.accumulatedDelay += arrivalDelta - sendDelta;
    this.smoothedDelay = SMOOTHING * this.smoothedDelay + (1 - SMOOTHING) * this.accumulatedDelay;
    this.trend.push({ x: arrivalMs - this.firstArrival, y: this.smoothedDelay });
    if (this.trend.length > TREND_WINDOW) this.trend.shift();
    if (this.trend.length < TREND_WINDOW) return;
    const slope = linearSlope(this.trend);
    const modified = Math.min(this.numDeltas, 60) * slope * TREND_GAIN;
    // overuse only when it lasts (> 10 ms over more than one delta) and still grows: GCC's detector
    if (modified > this.threshold) {
      this.overuseMs = this.overuseMs < 0 ? sendDelta / 2 : this.overuseMs + sendDelta;
      this.overuseCount++;
      if (this.overuseMs > OVERUSE_TIME_MS && this.overuseCount > 1 && modified >= this.prevModified) {
        this.overuseMs = 0;
        this.overuseCount = 0;
        this.signal = 'overuse';
      }
    } else {
      this.overuseMs = -1;
      this.overuseCount = 0;
      this.signal = modified < -this.threshold ? 'underuse' : 'normal';
    }
    this.prevModified = modified;
    this.adaptThreshold(modified, arrivalMs);
  }

  private adaptThreshold(modified: number, nowMs: number) {
    if (Number.isNaN(this.lastThresholdUpdate)) this.lastThresholdUpdate = nowMs;
    const abs = Math.abs(modified);
    // a spike far above the threshold is not let to drag it up (GCC's kMaxAdaptOffsetMs)
    if (abs > this.threshold + 15) {
      this.lastThresholdUpdate = nowMs;
      return;
    }
    const k = abs < this.threshold ? K_DOWN : K_UP;
    const dt = Math.min(nowMs - this.lastThresholdUpdate, 100);
    this.threshold = Math.min(THRESHOLD_MAX, Math.max(THRESHOLD_MIN, this.threshold + k * (abs - this.threshold) * dt));
    this.lastThresholdUpdate = nowMs;
  }

  private updateRates(nowMs: number) {
    if (Number.isNaN(this.ackWindowStart)) this.ackWindowStart = nowMs;
    const ackElapsed = nowMs - this.ackWindowStart;
    if (ackElapsed >= LOSS_WINDOW_MS) {
      const bps = (this.ackedBytes * 8 * 1000) / ackElapsed;
      this.ackedBps = this.ackedBps === 0 ? bps : 0.5 * this.ackedBps + 0.5 * bps;
      this.recentAcked.push(bps);
      if (this.recentAcked.length > RECENT_ACKED_WINDOWS) this.recentAcked.shift();
      this.ackedBytes = 0;
      this.ackWindowStart = nowMs;
    }
    if (Number.isNaN(this.lossWindowStart)) this.lossWindowStart = nowMs;
    const total = this.lossReceived + this.lossLost;
    if (nowMs - this.lossWindowStart >= LOSS_WINDOW_MS && total >= 10) {
      this.lossFraction = this.lossLost / total;
      this.lossReceived = 0;
      this.lossLost = 0;
      this.lossWindowStart = nowMs;
      // what got through is a floor: the link carried at least that
      if (this.lossFraction > LOSS_HIGH) this.decrease(Math.max(this.bps * (1 - 0.5 * this.lossFraction), BETA * this.ackedBps), nowMs);
    }
  }

  /** AIMD on the delay signal (GCC's AimdRateControl, simplified). */
  private control(nowMs: number) {
    const dt = Number.isNaN(this.lastUpdate) ? 0 : Math.min(nowMs - this.lastUpdate, 1000);
    this.lastUpdate = nowMs;
    if (this.signal === 'overuse') {
      // one cut per episode: the queue needs a moment to drain once the sender has switched down
      if (nowMs - this.lastDecreaseAt >= REPEAT_DECREASE_MS) {
        const basis = this.capacityEvidence(nowMs);
        this.lastDecreaseBps = basis;
        this.decrease(BETA * basis, nowMs);
      }
      return;
    }
    if (this.signal === 'underuse' || nowMs - this.lastDecreaseAt < HOLD_AFTER_DECREASE_MS) return;
    if (this.lossFraction > LOSS_LOW) return;
    if (this.lastDecreaseBps > 0 && this.bps > 1.5 * this.lastDecreaseBps) this.lastDecreaseBps = 0;
    const nearMax = this.lastDecreaseBps > 0 && this.bps >= 0.85 * this.lastDecreaseBps;
    let next: number;
    if (nearMax) {
      // about one 1,000-byte packet per response time (~200 ms)
      next = this.bps + (40_000 * dt) / 1000;
    } else {
      next = this.bps * Math.pow(1.08, dt / 1000);
    }
    const cap = Math.max(1.5 * this.ackedBps + 10_000, 1.2 * this.desiredBps);
    if (next > cap) next = Math.max(this.bps, cap);
    this.bps = Math.min(this.maxBps, next);
  }

  /**
   * The highest rate the viewer acknowledged lately: the last windows (after a switch down the
   * current rate says nothing about capacity) and the one in progress (a switch up that
   * overloads the link shows there first).
   */
  private capacityEvidence(nowMs: number): number {
    let best = this.recentAcked.length ? Math.max(...this.recentAcked) : 0;
    const elapsed = nowMs - this.ackWindowStart;
    if (elapsed >= 100) best = Math.max(best, (this.ackedBytes * 8 * 1000) / elapsed);
    best = Math.max(best, this.deliveryRate());
    return best > 0 ? best : this.bps;
  }

  /** Bits/s at which the last ~300 ms of packets arrived (by the receiver's clock). */
  private deliveryRate(): number {
    const n = Math.min(this.arrivalCount, DELIVERY_RING);
    if (n < 8) return 0;
    const newest = (this.arrivalCount - 1) % DELIVERY_RING;
    const last = this.arrivals[newest];
    let bytes = 0;
    let first = last;
    for (let i = 1; i < n; i++) {
      const k = (this.arrivalCount - 1 - i) % DELIVERY_RING;
      if (last - this.arrivals[k] > DELIVERY_WINDOW_MS) break;
      bytes += this.arrivalSizes[(k + 1) % DELIVERY_RING];
      first = this.arrivals[k];
    }
    return last - first >= 50 ? (bytes * 8 * 1000) / (last - first) : 0;
  }

  /**
   * Nothing sent, so no feedback (every consumer paused): without a congestion signal the estimate
   * creeps up (8 %/s, up to what the consumers want) so a paused consumer gets to try again.
   */
  onIdle(nowMs: number): void {
    if (Number.isNaN(this.lastFeedbackAt) || nowMs - this.lastFeedbackAt < IDLE_AFTER_MS) return;
    const dt = Math.min(nowMs - (Number.isNaN(this.lastUpdate) ? nowMs : this.lastUpdate), 1000);
    this.lastUpdate = nowMs;
    const cap = 1.2 * this.desiredBps;
    if (this.bps < cap) this.bps = Math.min(cap, this.bps * Math.pow(1.08, dt / 1000));
  }

  private decrease(target: number, nowMs: number) {
    if (target >= this.bps) return;
    this.bps = Math.max(this.minBps, target);
    this.lastDecreaseAt = nowMs;
  }
}

/** Least-squares slope of y over x. */
function linearSlope(points: { x: number; y: number }[]): number {
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.x;
    sy += p.y;
  }
  const mx = sx / points.length;
  const my = sy / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) * (p.x - mx);
  }
  return den === 0 ? 0 : num / den;
}

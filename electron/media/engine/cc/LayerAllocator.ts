/**
 * Splits one transport's estimated downlink across its simulcast consumers (the idea of LiveKit's
 * stream allocator, mediasoup's SimulcastConsumer::IncreaseLayer/ApplyLayers):
 *
 * 1. every consumer first gets its lowest active layer, in a stable order, while it fits; a
 *    consumer whose lowest layer does not fit is paused (-1), and resumes only when that layer
 *    fits with 20 % to spare;
 * 2. then consumers are raised one layer at a time, round robin, up to their preferred layer,
 *    while the budget holds. Going **down** happens at once; going **up** to a layer above the
 *    one being sent needs 10 % headroom and is a probe: if the consumer falls back within
 *    `PROBE_FAIL_MS`, its next try at that layer waits twice as long (4 s … 32 s).
 */

/** One simulcast consumer as the allocator sees it. */
export interface AllocatableConsumer {
  id: string;
  /** measured bitrate of each spatial layer (bps); 0 = layer not active */
  layerBitrates: readonly number[];
  /** highest layer the consumer may get (its preferred layer) */
  maxLayer: number;
}

const UP_HEADROOM = 1.1;
const RESUME_HEADROOM = 1.2;
const PROBE_FAIL_MS = 5000;
const BACKOFF_MIN_MS = 4000;
const BACKOFF_MAX_MS = 32_000;

interface ConsumerState {
  /** the layer last allotted (-1 paused) */
  layer: number;
  /** when it last went up, and to which layer */
  upAt: number;
  upTo: number;
  /** per layer: no probe to it before this time, and the current back-off */
  retryAt: Map<number, number>;
  backoff: Map<number, number>;
}

export class LayerAllocator {
  private readonly states = new Map<string, ConsumerState>();
  /**
   * What the last allocation would take to make its next move: each consumer's layer, plus the
   * headroom of one step up where a step is allowed now (not backing off). The estimator grows no
   * further than this, so an estimate that nothing will probe does not drift away from the link.
   */
  wantBps = 0;

  /** The layer each consumer may receive (-1 = paused: not even its lowest layer fits). */
  allocate(budgetBps: number, consumers: readonly AllocatableConsumer[], now: number): Map<string, number> {
    const out = new Map<string, number>();
    let budget = budgetBps;
    const live = new Set(consumers.map((c) => c.id));
    for (const id of this.states.keys()) if (!live.has(id)) this.states.delete(id);
    const ordered = [...consumers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const c of ordered) {
      const st = this.state(c.id);
      const low = c.layerBitrates.findIndex((b) => b > 0);
      if (low < 0) {
        out.set(c.id, st.layer); // nothing measured yet: keep what it has
        continue;
      }
      const resuming = st.layer < 0;
      const need = c.layerBitrates[low] * (resuming ? RESUME_HEADROOM : 1);
      if (need <= budget && !(resuming && now < (st.retryAt.get(low) ?? 0))) {
        out.set(c.id, low);
        budget -= c.layerBitrates[low];
      } else out.set(c.id, -1);
    }
    let changed = true;
    while (changed) {
      changed = false;
      for (const c of ordered) {
        const cur = out.get(c.id)!;
        if (cur < 0) continue;
        const next = this.nextLayer(c, cur);
        if (next < 0) continue;
        const st = this.state(c.id);
        const up = next > st.layer;
        if (up && now < (st.retryAt.get(next) ?? 0)) continue;
        const extra = c.layerBitrates[next] - c.layerBitrates[cur];
        const need = up ? c.layerBitrates[next] * UP_HEADROOM - c.layerBitrates[cur] : extra;
        if (need > budget) continue;
        out.set(c.id, next);
        budget -= extra;
        changed = true;
      }
    }
    for (const c of ordered) this.remember(c.id, out.get(c.id)!, now);
    this.wantBps = 0;
    for (const c of ordered) this.wantBps += this.nextMoveBps(c, out.get(c.id)!, now);
    return out;
  }

  private nextMoveBps(c: AllocatableConsumer, layer: number, now: number): number {
    const st = this.state(c.id);
    if (layer < 0) {
      const low = c.layerBitrates.findIndex((b) => b > 0);
      return low >= 0 && now >= (st.retryAt.get(low) ?? 0) ? c.layerBitrates[low] * RESUME_HEADROOM : 0;
    }
    const next = this.nextLayer(c, layer);
    if (next < 0 || now < (st.retryAt.get(next) ?? 0)) return c.layerBitrates[layer];
    return c.layerBitrates[next] * UP_HEADROOM;
  }

  /** The next active layer above `cur`, not above the consumer's preferred layer; -1 if none. */
  private nextLayer(c: AllocatableConsumer, cur: number): number {
    for (let l = cur + 1; l <= Math.min(c.maxLayer, c.layerBitrates.length - 1); l++) if (c.layerBitrates[l] > 0) return l;
    return -1;
  }

  private state(id: string): ConsumerState {
    let st = this.states.get(id);
    if (!st) {
      st = { layer: Number.POSITIVE_INFINITY, upAt: 0, upTo: -1, retryAt: new Map(), backoff: new Map() };
      this.states.set(id, st);
    }
    return st;
  }

  private remember(id: string, layer: number, now: number) {
    const st = this.state(id);
    if (layer > st.layer) {
      st.upAt = now;
      st.upTo = layer;
    } else if (layer < st.layer && st.upTo > layer && now - st.upAt < PROBE_FAIL_MS) {
      // the last step up did not hold: wait longer before trying that layer again
      const b = Math.min(BACKOFF_MAX_MS, (st.backoff.get(st.upTo) ?? BACKOFF_MIN_MS / 2) * 2);
      st.backoff.set(st.upTo, b);
      st.retryAt.set(st.upTo, now + b);
      st.upTo = -1;
    } else if (layer === st.layer && st.upTo === layer && now - st.upAt >= PROBE_FAIL_MS) {
      st.backoff.delete(layer); // held: forget the back-off
      st.upTo = -1;
    }
    st.layer = layer;
  }
}

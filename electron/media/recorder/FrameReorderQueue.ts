/**
 * Puts the frames of several tracks into one time order before they are muxed. Audio arrives
 * packet by packet while a video frame is only complete at its last packet, so without this a
 * cluster could start at a video keyframe after audio with an earlier time was already due —
 * the cause of "non monotonically increasing dts" in our old files. Frames are held for
 * `windowMs` of media time (bounded, so memory stays small) and released sorted.
 */
export interface TimedFrame<T> {
  time: number;
  item: T;
}

export class FrameReorderQueue<T> {
  private pending: TimedFrame<T>[] = [];
  private newest = -Infinity;
  private released = -Infinity;

  constructor(private readonly windowMs = 300) {}

  /** Adds a frame; returns the frames now older than the window, in time order. */
  push(time: number, item: T): TimedFrame<T>[] {
    // never release behind what is already out (a very late frame is moved up to it)
    const t = Math.max(time, this.released);
    const at = this.insertionIndex(t);
    this.pending.splice(at, 0, { time: t, item });
    if (t > this.newest) this.newest = t;
    const limit = this.newest - this.windowMs;
    let n = 0;
    while (n < this.pending.length && this.pending[n].time <= limit) n++;
    return this.take(n);
  }

  /** Everything still held, in time order (on stop). */
  drain(): TimedFrame<T>[] {
    return this.take(this.pending.length);
  }

  private take(n: number): TimedFrame<T>[] {
    if (n === 0) return [];
    const out = this.pending.splice(0, n);
    this.released = out[out.length - 1].time;
    return out;
  }

  /** After every frame with time ≤ t, so equal times keep their arrival order. */
  private insertionIndex(t: number): number {
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].time > t) i--;
    return i;
  }
}

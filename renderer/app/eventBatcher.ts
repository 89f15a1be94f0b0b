/**
 * Coalesces event application to at most one pass per animation frame, so a burst of events
 * (hundreds a second) becomes one store update batch and one React render, not one per event.
 * Falls back to a timer when frames are not being drawn (a hidden window) so the queue never grows
 * without bound.
 *
 * Each event belongs to a domain; `hold(domain)` keeps that domain's events queued (in order)
 * until `release(domain)` — used while the domain's snapshot loads, so no change falls between
 * snapshot and stream and other domains stay live meanwhile.
 */
export interface EventBatcher {
  push(domain: string, apply: () => void): void;
  hold(domain: string): void;
  release(domain: string): void;
  close(): void;
}

export interface BatcherTimers {
  frame?: (cb: () => void) => unknown;
  cancelFrame?: (handle: unknown) => void;
}

export function createEventBatcher(maxDelayMs = 50, timers: BatcherTimers = defaultTimers()): EventBatcher {
  let queue: { domain: string; apply: () => void }[] = [];
  const held = new Set<string>();
  let frame: unknown = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const flush = () => {
    if (frame !== null) timers.cancelFrame?.(frame);
    if (timer !== null) clearTimeout(timer);
    frame = null;
    timer = null;
    if (closed) return;
    const batch = queue;
    queue = [];
    for (const item of batch) {
      if (held.has(item.domain)) queue.push(item);
      else item.apply();
    }
  };
  const schedule = () => {
    if (closed || timer !== null) return;
    if (timers.frame) frame = timers.frame(flush);
    timer = setTimeout(flush, maxDelayMs);
  };
  return {
    push(domain, apply) {
      if (closed) return;
      queue.push({ domain, apply });
      if (!held.has(domain)) schedule();
    },
    hold(domain) {
      held.add(domain);
    },
    release(domain) {
      held.delete(domain);
      if (queue.length > 0) flush();
    },
    close() {
      closed = true;
      queue = [];
      if (timer !== null) clearTimeout(timer);
      if (frame !== null) timers.cancelFrame?.(frame);
    },
  };
}

function defaultTimers(): BatcherTimers {
  if (typeof requestAnimationFrame !== 'function') return {};
  return { frame: (cb) => requestAnimationFrame(cb), cancelFrame: (h) => cancelAnimationFrame(h as number) };
}

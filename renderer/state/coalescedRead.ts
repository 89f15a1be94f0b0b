/**
 * Coalesces re-reads triggered by "something changed" events: at most one read in flight plus one
 * pending. A burst of N requests while a read runs costs exactly one more read, started when the
 * running one ends — so the last change is always seen and nothing polls.
 */
export interface CoalescedRead {
  /** Asks for a read; resolves when a read that started after this request has finished. */
  request(): Promise<void>;
  /** True while a read runs (tests, diagnostics). */
  readonly busy: boolean;
}

export function coalescedRead(read: () => Promise<void>): CoalescedRead {
  let running: Promise<void> | null = null;
  let pending: Promise<void> | null = null;

  const run = (): Promise<void> => {
    const p = (async () => {
      try {
        await read();
      } catch {
        /* a failed read leaves the slice as it was; the next change reads again */
      }
    })();
    running = p.then(() => {
      running = null;
    });
    return running;
  };

  return {
    request() {
      if (!running) return run();
      // One pending read stands for every request made while this one runs.
      pending ??= running.then(() => {
        pending = null;
        return run();
      });
      return pending;
    },
    get busy() {
      return running !== null;
    },
  };
}

/**
 * How an engine entity tells its parents that it closed: listeners run once, in order, and a
 * throwing one is logged without stopping the others. Deliberately not an EventEmitter: entities
 * on the per-packet path (producers, consumers, transports) stay small plain objects.
 */
export class CloseSignal {
  private listeners: (() => void)[] | null = [];

  constructor(private readonly logError: (err: unknown) => void) {}

  once(fn: () => void): void {
    this.listeners?.push(fn);
  }

  emit(): void {
    const listeners = this.listeners;
    this.listeners = null;
    for (const fn of listeners ?? []) {
      try {
        fn();
      } catch (err) {
        this.logError(err);
      }
    }
  }
}

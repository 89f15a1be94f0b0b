/**
 * What an operator must not miss while the window is hidden in the tray, turned into native
 * notifications: a media worker crashed, a recording failed, webhook notices went dead
 * (attempts exhausted), the data disk is running low. Sources are plain subscriptions so this
 * module does not depend on the core's classes; main.ts wires them to the media node's
 * `workerdied` / `recordingerror`, the gateway outbox's `changed` + depth, and statfs on the data dir.
 * Each kind is throttled so a crash loop cannot flood the desktop.
 */
export type AlertKind = 'workerCrashed' | 'recordingFailed' | 'noticesDead' | 'diskLow';

export interface OperatorAlert {
  kind: AlertKind;
  title: string;
  body: string;
}

export interface AlertSources {
  onWorkerDied(listener: (e: { workerId: number; error: Error }) => void): () => void;
  onRecordingFailed(listener: (e: { recordingId: string; error: Error }) => void): () => void;
  /** Fires when the webhook outbox changed; `deadNotices()` is then read. */
  onOutboxChanged(listener: () => void): () => void;
  deadNotices(): number;
  /** Free and total bytes of the data dir's filesystem, or null when unknown. */
  diskSpace(): Promise<{ free: number; total: number } | null>;
}

export interface AlertOptions {
  /** Shortest gap between two alerts of one kind. */
  throttleMs?: number;
  diskCheckMs?: number;
  now?: () => number;
}

/** Low: under 1 GiB free, or under 5 % of the disk. */
export function isDiskLow(space: { free: number; total: number }): boolean {
  return space.free < 1024 ** 3 || (space.total > 0 && space.free / space.total < 0.05);
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

export class OperatorAlerts {
  private readonly last = new Map<AlertKind, number>();
  private readonly offs: (() => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private deadSeen: number;
  private diskWasLow = false;

  constructor(
    private readonly sources: AlertSources,
    private readonly notify: (alert: OperatorAlert) => void,
    private readonly opts: AlertOptions = {},
  ) {
    // Dead notices from before this run were already there: only new ones alert.
    this.deadSeen = sources.deadNotices();
  }

  start(): void {
    const s = this.sources;
    this.offs.push(
      s.onWorkerDied(({ workerId, error }) =>
        this.raise({ kind: 'workerCrashed', title: 'Media worker crashed', body: `Worker ${workerId} stopped (${error.message}); it is being restarted. Calls on it were interrupted.` }),
      ),
      s.onRecordingFailed(({ recordingId, error }) =>
        this.raise({ kind: 'recordingFailed', title: 'Recording failed', body: `Recording ${recordingId}: ${error.message}` }),
      ),
      s.onOutboxChanged(() => this.checkDead()),
    );
    const every = this.opts.diskCheckMs ?? 60_000;
    void this.checkDisk();
    this.timer = setInterval(() => void this.checkDisk(), every);
    this.timer.unref();
  }

  stop(): void {
    this.offs.splice(0).forEach((off) => off());
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  checkDead(): void {
    const dead = this.sources.deadNotices();
    if (dead > this.deadSeen) {
      const added = dead - this.deadSeen;
      this.raise({ kind: 'noticesDead', title: 'Webhook notices undelivered', body: `${added} notice${added === 1 ? '' : 's'} gave up after every retry (${dead} dead in all). Resend them from the Gateway screen.` });
    }
    this.deadSeen = dead;
  }

  async checkDisk(): Promise<void> {
    let space: { free: number; total: number } | null = null;
    try {
      space = await this.sources.diskSpace();
    } catch {
      space = null;
    }
    if (!space) return;
    const low = isDiskLow(space);
    // Alert on the way down only; recovering and falling again alerts again.
    if (low && !this.diskWasLow) {
      this.raise({ kind: 'diskLow', title: 'Disk space low', body: `${gib(space.free)} free of ${gib(space.total)} for the store, logs and recordings.` });
    }
    this.diskWasLow = low;
  }

  private raise(alert: OperatorAlert): void {
    const now = (this.opts.now ?? Date.now)();
    const prev = this.last.get(alert.kind);
    if (prev !== undefined && now - prev < (this.opts.throttleMs ?? 60_000)) return;
    this.last.set(alert.kind, now);
    this.notify(alert);
  }
}

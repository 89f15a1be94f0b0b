/**
 * What an operator must not miss while the window is hidden in the tray: the core's alerts
 * (observability's AlertBook: media worker restarted, recording failed, webhook notices dead,
 * disk low, a user's sustained loss) turned into native notifications. The rules live in the
 * core, so the console's bell and the desktop show the same alerts; this module only throttles
 * per rule, so a crash loop cannot flood the desktop.
 */
import type { AlertRecord } from '../../shared/ipc/observability';

export interface DesktopNotice {
  kind: string;
  title: string;
  body: string;
}

export interface NotifierOptions {
  /** Shortest gap between two notifications of one rule. */
  throttleMs?: number;
  now?: () => number;
}

export class DesktopNotifier {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly notify: (notice: DesktopNotice) => void,
    private readonly opts: NotifierOptions = {},
  ) {}

  /** Shows `alert` unless one of the same rule was shown within the throttle window. Returns whether it was shown. */
  onAlert(alert: AlertRecord): boolean {
    const now = (this.opts.now ?? Date.now)();
    const prev = this.last.get(alert.rule);
    if (prev !== undefined && now - prev < (this.opts.throttleMs ?? 60_000)) return false;
    this.last.set(alert.rule, now);
    this.notify({ kind: alert.rule, title: alert.title, body: alert.detail });
    return true;
  }
}

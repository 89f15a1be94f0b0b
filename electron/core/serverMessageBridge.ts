/**
 * Seed §2.1: server application messages 10–14 tell business code when a component's connection
 * fails or recovers (wParam = error code, 0 when healthy). The status board already tracks each
 * component's live state; this turns its health transitions into messages, once per transition,
 * instead of one synthetic "connected" per component at start.
 */
import { Codes } from '../../shared/codes';
import type { ComponentStatus } from '../../shared/status';
import type { StatusBoard } from './StatusBoard';

export function bridgeServerMessages(
  status: StatusBoard,
  report: (msg: number, wParam: number, lParam: number) => void,
  /** Messages another part already reports on its own real events (e.g. media workers → 14). */
  reportedElsewhere: ReadonlySet<number> = new Set(),
  /** Messages already sent before the bridge (msg → wParam), so they are not repeated. */
  alreadySent: ReadonlyMap<number, number> = new Map(),
): () => void {
  const last = new Map<number, number>(alreadySent);
  const onChange = (s: ComponentStatus) => {
    if (s.serverMessage === null || s.state === 'starting' || s.state === 'stopped') return;
    const wParam = s.state === 'up' ? 0 : s.errorCode || Codes.UNAVAILABLE;
    // Others report their failures themselves; the bridge still says when they are first up.
    if (reportedElsewhere.has(s.serverMessage) && last.has(s.serverMessage)) return;
    if (last.get(s.serverMessage) === wParam) return;
    last.set(s.serverMessage, wParam);
    report(s.serverMessage, wParam, 0);
  };
  for (const s of status.snapshot()) onChange(s);
  return status.on('changed', onChange);
}

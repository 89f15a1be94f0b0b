/** History search and CSV export, room timelines, usage, quality series and the alert list. */
import type { HandlerDeps, HandlerMap } from './types';

const FIVE_MINUTES = 5 * 60_000;

export function observabilityHandlers({ core }: HandlerDeps) {
  const o = () => core.components.observability;
  const open = () => ({ sessions: o().recorder?.openSessions() ?? [], rooms: o().recorder?.openRooms() ?? [] });
  return {
    'history:sessions': (q) => o().history.sessions(q, open().sessions),
    'history:rooms': (q) => o().history.rooms(q, open().rooms),
    'history:calls': (q) => o().history.calls(q),
    'history:export': ({ kind, ...q }) => o().history.exportCsv(kind, q, open()),
    'history:timeline': ({ roomId, from, to, limit }) => o().history.timeline(roomId, from, to, limit),
    'history:usage': ({ days }) => o().history.usage(days ?? 14),
    'quality:series': ({ userId, roomId, since }) => o().history.quality({ userId, roomId }, since ?? Date.now() - FIVE_MINUTES),
    'alerts:list': ({ limit }) => o().alerts.list(limit ?? 100),
    'alerts:ack': ({ id }) => ({ acknowledged: o().alerts.acknowledge(id) }),
  } satisfies HandlerMap;
}

/**
 * The history tables' rows as records, and the query helpers HistoryStore's searches share: pure
 * functions, kept apart so the store holds only the queue, the sweeps and the SQL.
 */
import type { CallRecord, HistoryQuery, RoomRecord, SessionRecord } from '../../shared/ipc/observability';

export function page(q: HistoryQuery): { limit: number; offset: number } {
  return { limit: q.limit ?? 100, offset: q.offset ?? 0 };
}

export const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function matchesOpenSession(s: SessionRecord, q: HistoryQuery): boolean {
  if (q.userId !== undefined && s.userId !== q.userId) return false;
  if (q.userName) {
    const n = q.userName.toLowerCase();
    if (!s.userName.toLowerCase().includes(n) && !s.nickName.toLowerCase().includes(n)) return false;
  }
  if (q.to !== undefined && s.loginAt > q.to) return false;
  return q.roomId === undefined;
}

export function sessionRecord(r: Record<string, number | string>): SessionRecord {
  const loginAt = Number(r.login_at);
  const logoutAt = Number(r.logout_at);
  return {
    id: Number(r.id),
    userId: Number(r.user_id),
    userName: String(r.user_name),
    nickName: String(r.nick_name),
    loginAt,
    logoutAt,
    reason: Number(r.reason),
    durationMs: logoutAt - loginAt,
    address: String(r.address),
    client: String(r.client),
  };
}

export function roomRecord(r: Record<string, number | string>): RoomRecord {
  const startedAt = Number(r.started_at);
  const endedAt = Number(r.ended_at);
  return {
    id: Number(r.id),
    roomId: Number(r.room_id),
    name: String(r.name),
    startedAt,
    endedAt,
    durationMs: endedAt - startedAt,
    peakUsers: Number(r.peak_users),
    members: String(r.members).split(',').filter(Boolean).map(Number),
  };
}

export function callRecord(r: Record<string, number | string | null>): CallRecord {
  const requestedAt = Number(r.requested_at);
  const answeredAt = r.answered_at === null ? null : Number(r.answered_at);
  const endedAt = Number(r.ended_at);
  return {
    id: Number(r.id),
    callerId: Number(r.caller_id),
    calleeId: Number(r.callee_id),
    requestedAt,
    answeredAt,
    endedAt,
    ringingMs: (answeredAt ?? endedAt) - requestedAt,
    talkingMs: answeredAt === null ? 0 : endedAt - answeredAt,
    outcome: String(r.outcome),
    endedBy: Number(r.ended_by),
    endCode: Number(r.end_code),
  };
}

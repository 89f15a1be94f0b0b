/**
 * The console calls and events of history, quality series, room timelines, usage and alerts
 * (issue 17). Kept apart from contract.ts so the domain's types live together; contract.ts
 * merges them into ConsoleCalls / ConsoleEvents.
 */
import { z } from 'zod';

/** Search filter shared by sessions, rooms and calls. Times are epoch ms; a row matches when it overlaps [from, to]. */
export interface HistoryQuery {
  userId?: number;
  /** Matches user name or nickname (sessions), case-insensitive substring. */
  userName?: string;
  roomId?: number;
  from?: number;
  to?: number;
  limit?: number;
  offset?: number;
}

export interface SessionRecord {
  id: number;
  userId: number;
  userName: string;
  nickName: string;
  loginAt: number;
  /** null while the user is still online. */
  logoutAt: number | null;
  /** Logout reason (0 normal, 100 timeout, 101 network, 211 kicked, -1 server stopped); null while online. */
  reason: number | null;
  durationMs: number;
  address: string;
  client: string;
}

export interface RoomRecord {
  id: number;
  roomId: number;
  name: string;
  startedAt: number;
  /** null while the room is open. */
  endedAt: number | null;
  durationMs: number;
  peakUsers: number;
  members: number[];
}

export interface CallRecord {
  id: number;
  callerId: number;
  calleeId: number;
  requestedAt: number;
  answeredAt: number | null;
  endedAt: number;
  ringingMs: number;
  talkingMs: number;
  /** 'answered' | 'refused' | 'timeout' | 'cancelled' | 'failed' */
  outcome: string;
  /** The user who ended it; 0 = the server (timeout, operator, shutdown). */
  endedBy: number;
  endCode: number;
}

export interface HistoryPage<T> {
  rows: T[];
  total: number;
}

export type RoomEventKind = 'created' | 'ended' | 'join' | 'leave' | 'publish' | 'unpublish' | 'seat' | 'kick';

export interface RoomEvent {
  id: number;
  roomId: number;
  at: number;
  kind: RoomEventKind;
  userId: number;
  detail: string;
}

/** One point a second per participant. Bitrates in bit/s, loss 0–1, rtt and jitter in ms. */
export interface QualityPoint {
  at: number;
  userId: number;
  roomId: number;
  bitrateUp: number;
  bitrateDown: number;
  loss: number;
  rttMs: number | null;
  jitterMs: number | null;
}

export interface UsageDay {
  /** Local midnight, epoch ms. */
  day: number;
  peakUsers: number;
  /** Sum over minutes of users online (user-minutes). */
  userMinutes: number;
  sessions: number;
  roomMinutes: number;
}

export type AlertSeverity = 'info' | 'warning' | 'critical';

export interface AlertRecord {
  id: number;
  at: number;
  rule: 'user-loss' | 'worker-restart' | 'recording-failed' | 'webhook-dead' | 'disk-low';
  severity: AlertSeverity;
  title: string;
  detail: string;
  /** The user / worker / app the alert is about, when it has one. */
  subject: string;
  acknowledged: boolean;
}

export type HistoryKind = 'sessions' | 'rooms' | 'calls';

export interface ObservabilityCalls {
  'history:sessions': { args: HistoryQuery; result: HistoryPage<SessionRecord> };
  'history:rooms': { args: HistoryQuery; result: HistoryPage<RoomRecord> };
  'history:calls': { args: HistoryQuery; result: HistoryPage<CallRecord> };
  /** The whole match (up to 100,000 rows) as CSV, for a download. */
  'history:export': { args: HistoryQuery & { kind: HistoryKind }; result: { fileName: string; csv: string } };
  'history:timeline': { args: { roomId: number; from?: number; to?: number; limit?: number }; result: RoomEvent[] };
  'history:usage': { args: { days?: number }; result: UsageDay[] };
  /** Quality points since `since` (default: last 5 minutes) of one user, or of every user of a room. */
  'quality:series': { args: { userId?: number; roomId?: number; since?: number }; result: QualityPoint[] };
  'alerts:list': { args: { limit?: number }; result: AlertRecord[] };
  'alerts:ack': { args: { id?: number }; result: { acknowledged: number } };
}

export interface ObservabilityEvents {
  /** A new alert (the bell list; the Electron shell turns it into a notification). */
  'alerts:raised': AlertRecord;
}

export const observabilityCallNames = [
  'history:sessions',
  'history:rooms',
  'history:calls',
  'history:export',
  'history:timeline',
  'history:usage',
  'quality:series',
  'alerts:list',
  'alerts:ack',
] as const;
export const observabilityEventNames = ['alerts:raised'] as const;

const int = z.number().int().min(1).max(2_147_483_647);
const time = z.number().int().min(0).max(8.64e15);
const historyQuery = z
  .object({
    userId: int.optional(),
    userName: z.string().min(1).max(64).optional(),
    roomId: int.optional(),
    from: time.optional(),
    to: time.optional(),
    limit: z.number().int().min(1).max(1000).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
  })
  .strict();

export const observabilityArgSchemas = {
  'history:sessions': historyQuery,
  'history:rooms': historyQuery,
  'history:calls': historyQuery,
  'history:export': historyQuery.extend({ kind: z.enum(['sessions', 'rooms', 'calls']) }).strict(),
  'history:timeline': z.object({ roomId: int, from: time.optional(), to: time.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(),
  'history:usage': z.object({ days: z.number().int().min(1).max(366).optional() }).strict(),
  'quality:series': z
    .object({ userId: int.optional(), roomId: int.optional(), since: time.optional() })
    .strict()
    .refine((a) => a.userId !== undefined || a.roomId !== undefined, { message: 'userId or roomId is required' }),
  'alerts:list': z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  'alerts:ack': z.object({ id: int.optional() }).strict(),
} satisfies { [K in keyof ObservabilityCalls]: z.ZodType<ObservabilityCalls[K]['args'], unknown> };

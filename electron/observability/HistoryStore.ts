/**
 * History in the store: ended sessions, rooms and calls, room timelines, quality points and usage
 * minutes. Writes are queued and flushed in one transaction every `flushMs` (and on close), so a
 * login storm costs a few batched inserts instead of one fsync'd statement per event. Rows older
 * than the retention are swept hourly (quality points every minute).
 */
import type { StatementSync } from 'node:sqlite';
import type {
  CallRecord,
  HistoryKind,
  HistoryPage,
  HistoryQuery,
  QualityPoint,
  RoomEvent,
  RoomEventKind,
  RoomRecord,
  SessionRecord,
  UsageDay,
} from '../../shared/ipc/observability';
import { inTransaction, scalar, type Db } from '../store/Database';
import { toCsv } from './csv';
import { callRecord, like, matchesOpenSession, page, roomRecord, sessionRecord } from './historyRows';

type SessionRow = Omit<SessionRecord, 'id' | 'durationMs'> & { logoutAt: number; reason: number };
type RoomRow = Omit<RoomRecord, 'id' | 'durationMs'> & { endedAt: number };
type CallRow = Omit<CallRecord, 'id' | 'ringingMs' | 'talkingMs'>;

type Write =
  | { t: 'session'; row: SessionRow }
  | { t: 'room'; row: RoomRow }
  | { t: 'call'; row: CallRow }
  | { t: 'event'; roomId: number; at: number; kind: RoomEventKind; userId: number; detail: string }
  | { t: 'quality'; p: QualityPoint }
  | { t: 'usage'; minute: number; users: number; rooms: number; logins: number };

const DAY = 86_400_000;
const MAX_EXPORT = 100_000;

export interface HistoryStoreOptions {
  retentionDays: number;
  qualityRetentionHours: number;
  flushMs?: number;
  now?: () => number;
  /** Writes started failing (disk full, I/O error): batches are dropped, the host keeps running. Called once per outage. */
  onError?: (err: Error, what: 'write' | 'sweep') => void;
  /** Writes work again after an outage; `droppedRows` were lost meanwhile. */
  onRecovered?: (droppedRows: number) => void;
}

export class HistoryStore {
  private queue: Write[] = [];
  private readonly flushTimer: NodeJS.Timeout;
  private readonly sweepTimer: NodeJS.Timeout;
  private lastQualitySweep = 0;
  private lastHistorySweep = 0;
  private failing = false;
  private dropped = 0;
  private readonly ins: Record<Write['t'], StatementSync>;
  private closed = false;
  readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly opts: HistoryStoreOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.ins = {
      session: db.prepare(
        'INSERT INTO history_sessions (user_id, user_name, nick_name, login_at, logout_at, reason, address, client) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      room: db.prepare('INSERT INTO history_rooms (room_id, name, started_at, ended_at, peak_users, members) VALUES (?, ?, ?, ?, ?, ?)'),
      call: db.prepare(
        'INSERT INTO history_calls (caller_id, callee_id, requested_at, answered_at, ended_at, outcome, ended_by, end_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      event: db.prepare('INSERT INTO room_events (room_id, at, kind, user_id, detail) VALUES (?, ?, ?, ?, ?)'),
      quality: db.prepare(
        'INSERT INTO quality_points (user_id, at, room_id, bitrate_up, bitrate_down, loss, rtt_ms, jitter_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      usage: db.prepare(
        'INSERT INTO usage_minutes (minute, users, rooms, logins) VALUES (?, ?, ?, ?) ON CONFLICT (minute) DO UPDATE SET users = MAX(users, excluded.users), rooms = MAX(rooms, excluded.rooms), logins = logins + excluded.logins',
      ),
    };
    this.flushTimer = setInterval(() => this.flushSafely(), opts.flushMs ?? 250);
    this.flushTimer.unref();
    this.sweepTimer = setInterval(() => this.sweepSafely(), 60_000);
    this.sweepTimer.unref();
    this.sweepSafely(true);
  }

  // ------------------------------------------------------------------ writes (queued)

  addSession(row: SessionRow): void {
    this.push({ t: 'session', row });
  }
  addRoom(row: RoomRow): void {
    this.push({ t: 'room', row });
  }
  addCall(row: CallRow): void {
    this.push({ t: 'call', row });
  }
  addEvent(roomId: number, kind: RoomEventKind, userId: number, detail = '', at = this.now()): void {
    this.push({ t: 'event', roomId, at, kind, userId, detail });
  }
  addQuality(p: QualityPoint): void {
    this.push({ t: 'quality', p });
  }
  addUsage(minute: number, users: number, rooms: number, logins: number): void {
    this.push({ t: 'usage', minute, users, rooms, logins });
  }

  private push(w: Write): void {
    if (!this.closed) this.queue.push(w);
  }

  /** Timer flushes never throw: a full disk costs the batch, not the host. */
  private flushSafely(): void {
    const n = this.queue.length;
    try {
      this.flush();
      if (this.failing && n > 0) {
        this.failing = false;
        this.opts.onRecovered?.(this.dropped);
        this.dropped = 0;
      }
    } catch (err) {
      this.dropped += n;
      this.fail(err as Error, 'write');
    }
  }

  private sweepSafely(all = false): void {
    try {
      this.sweep(all);
    } catch (err) {
      this.fail(err as Error, 'sweep');
    }
  }

  private fail(err: Error, what: 'write' | 'sweep'): void {
    if (this.failing) return;
    this.failing = true;
    this.opts.onError?.(err, what);
  }

  /** Writes everything queued in one transaction (the batch is gone either way). */
  flush(): void {
    if (!this.queue.length) return;
    const batch = this.queue;
    this.queue = [];
    inTransaction(this.db, () => {
      for (const w of batch) {
        switch (w.t) {
          case 'session': {
            const r = w.row;
            this.ins.session.run(r.userId, r.userName, r.nickName, r.loginAt, r.logoutAt, r.reason, r.address, r.client);
            break;
          }
          case 'room': {
            const r = w.row;
            this.ins.room.run(r.roomId, r.name, r.startedAt, r.endedAt, r.peakUsers, `,${r.members.join(',')},`);
            break;
          }
          case 'call': {
            const r = w.row;
            this.ins.call.run(r.callerId, r.calleeId, r.requestedAt, r.answeredAt, r.endedAt, r.outcome, r.endedBy, r.endCode);
            break;
          }
          case 'event':
            this.ins.event.run(w.roomId, w.at, w.kind, w.userId, w.detail);
            break;
          case 'quality': {
            const p = w.p;
            this.ins.quality.run(p.userId, p.at, p.roomId, Math.round(p.bitrateUp), Math.round(p.bitrateDown), p.loss, p.rttMs, p.jitterMs);
            break;
          }
          case 'usage':
            this.ins.usage.run(w.minute, w.users, w.rooms, w.logins);
            break;
        }
      }
    });
  }

  /** Deletes rows past their retention: history hourly (and at start), quality points every minute. */
  sweep(all = false): { history: number; quality: number } {
    const now = this.now();
    const cutoff = now - this.opts.retentionDays * DAY;
    let history = 0;
    let quality = 0;
    if (all || now - this.lastQualitySweep >= 55_000) {
      this.lastQualitySweep = now;
      quality = Number(this.db.prepare('DELETE FROM quality_points WHERE at < ?').run(now - this.opts.qualityRetentionHours * 3_600_000).changes);
    }
    if (all || now - this.lastHistorySweep >= 3_600_000) {
      this.lastHistorySweep = now;
      inTransaction(this.db, () => {
        history += Number(this.db.prepare('DELETE FROM history_sessions WHERE logout_at < ?').run(cutoff).changes);
        history += Number(this.db.prepare('DELETE FROM history_rooms WHERE ended_at < ?').run(cutoff).changes);
        history += Number(this.db.prepare('DELETE FROM history_calls WHERE ended_at < ?').run(cutoff).changes);
        history += Number(this.db.prepare('DELETE FROM room_events WHERE at < ?').run(cutoff).changes);
        history += Number(this.db.prepare('DELETE FROM usage_minutes WHERE minute < ?').run(cutoff).changes);
        history += Number(this.db.prepare('DELETE FROM alerts WHERE at < ?').run(cutoff).changes);
      });
    }
    return { history, quality };
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.flushTimer);
    clearInterval(this.sweepTimer);
    this.flushSafely();
    this.closed = true;
  }

  // ------------------------------------------------------------------ queries

  sessions(q: HistoryQuery, open: readonly SessionRecord[] = []): HistoryPage<SessionRecord> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.userId !== undefined) {
      where.push('user_id = ?');
      args.push(q.userId);
    }
    if (q.userName) {
      where.push("(user_name LIKE ? ESCAPE '\\' OR nick_name LIKE ? ESCAPE '\\')");
      args.push(like(q.userName), like(q.userName));
    }
    if (q.from !== undefined) {
      where.push('logout_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('login_at <= ?');
      args.push(q.to);
    }
    if (q.roomId !== undefined) {
      // Sessions that were in the room: a join event of the user in that room during the session.
      where.push(
        "EXISTS (SELECT 1 FROM room_events e WHERE e.room_id = ? AND e.user_id = history_sessions.user_id AND e.kind = 'join' AND e.at BETWEEN login_at AND logout_at)",
      );
      args.push(q.roomId);
    }
    this.flush();
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const stored = Number(scalar<number>(this.db, `SELECT COUNT(*) FROM history_sessions ${w}`, ...args) ?? 0);
    // Sessions still open come first (newest activity), then stored ones newest first.
    const live = open.filter((s) => matchesOpenSession(s, q));
    const { limit, offset } = page(q);
    const fromLive = live.slice(offset, offset + limit);
    const restOffset = Math.max(0, offset - live.length);
    const rows = (
      this.db
        .prepare(`SELECT * FROM history_sessions ${w} ORDER BY login_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...args, limit - fromLive.length, restOffset) as Record<string, number | string>[]
    ).map(sessionRecord);
    return { rows: [...fromLive, ...rows], total: stored + live.length };
  }

  rooms(q: HistoryQuery, open: readonly RoomRecord[] = []): HistoryPage<RoomRecord> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.roomId !== undefined) {
      where.push('room_id = ?');
      args.push(q.roomId);
    }
    if (q.userId !== undefined) {
      where.push('members LIKE ?');
      args.push(`%,${q.userId},%`);
    }
    if (q.from !== undefined) {
      where.push('ended_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('started_at <= ?');
      args.push(q.to);
    }
    this.flush();
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const live = open.filter(
      (r) =>
        (q.roomId === undefined || r.roomId === q.roomId) &&
        (q.userId === undefined || r.members.includes(q.userId)) &&
        (q.to === undefined || r.startedAt <= q.to),
    );
    const { limit, offset } = page(q);
    const fromLive = live.slice(offset, offset + limit);
    const rows = (
      this.db
        .prepare(`SELECT * FROM history_rooms ${w} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`)
        .all(...args, limit - fromLive.length, Math.max(0, offset - live.length)) as Record<string, number | string>[]
    ).map(roomRecord);
    const total = Number(scalar<number>(this.db, `SELECT COUNT(*) FROM history_rooms ${w}`, ...args) ?? 0) + live.length;
    return { rows: [...fromLive, ...rows], total };
  }

  calls(q: HistoryQuery): HistoryPage<CallRecord> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.userId !== undefined) {
      where.push('(caller_id = ? OR callee_id = ?)');
      args.push(q.userId, q.userId);
    }
    if (q.from !== undefined) {
      where.push('ended_at >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('requested_at <= ?');
      args.push(q.to);
    }
    this.flush();
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const { limit, offset } = page(q);
    const rows = (
      this.db.prepare(`SELECT * FROM history_calls ${w} ORDER BY requested_at DESC, id DESC LIMIT ? OFFSET ?`).all(...args, limit, offset) as Record<
        string,
        number | string
      >[]
    ).map(callRecord);
    return { rows, total: Number(scalar<number>(this.db, `SELECT COUNT(*) FROM history_calls ${w}`, ...args) ?? 0) };
  }

  /** CSV of the whole match (≤ 100,000 rows), with a header row. */
  exportCsv(kind: HistoryKind, q: HistoryQuery, open: { sessions: SessionRecord[]; rooms: RoomRecord[] }): { fileName: string; csv: string } {
    const all = { ...q, limit: MAX_EXPORT, offset: 0 };
    const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
    const stamp = new Date(this.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
    if (kind === 'sessions') {
      const rows = this.sessions(all, open.sessions).rows;
      return {
        fileName: `sessions-${stamp}.csv`,
        csv: toCsv(
          ['userId', 'userName', 'nickName', 'login', 'logout', 'durationSeconds', 'reason', 'address', 'client'],
          rows.map((r) => [
            r.userId,
            r.userName,
            r.nickName,
            iso(r.loginAt),
            iso(r.logoutAt),
            Math.round(r.durationMs / 1000),
            r.reason ?? '',
            r.address,
            r.client,
          ]),
        ),
      };
    }
    if (kind === 'rooms') {
      const rows = this.rooms(all, open.rooms).rows;
      return {
        fileName: `rooms-${stamp}.csv`,
        csv: toCsv(
          ['roomId', 'name', 'started', 'ended', 'durationSeconds', 'peakUsers', 'members'],
          rows.map((r) => [r.roomId, r.name, iso(r.startedAt), iso(r.endedAt), Math.round(r.durationMs / 1000), r.peakUsers, r.members.join(' ')]),
        ),
      };
    }
    const rows = this.calls(all).rows;
    return {
      fileName: `calls-${stamp}.csv`,
      csv: toCsv(
        ['callerId', 'calleeId', 'requested', 'answered', 'ended', 'ringingSeconds', 'talkingSeconds', 'outcome', 'endedBy', 'endCode'],
        rows.map((r) => [
          r.callerId,
          r.calleeId,
          iso(r.requestedAt),
          iso(r.answeredAt),
          iso(r.endedAt),
          r.ringingMs / 1000,
          r.talkingMs / 1000,
          r.outcome,
          r.endedBy,
          r.endCode,
        ]),
      ),
    };
  }

  timeline(roomId: number, from = 0, to = Number.MAX_SAFE_INTEGER, limit = 1000): RoomEvent[] {
    this.flush();
    return (
      this.db.prepare('SELECT * FROM room_events WHERE room_id = ? AND at BETWEEN ? AND ? ORDER BY at DESC, id DESC LIMIT ?').all(roomId, from, to, limit) as {
        id: number;
        room_id: number;
        at: number;
        kind: RoomEventKind;
        user_id: number;
        detail: string;
      }[]
    ).map((r) => ({ id: Number(r.id), roomId: Number(r.room_id), at: Number(r.at), kind: r.kind, userId: Number(r.user_id), detail: r.detail }));
  }

  quality(filter: { userId?: number; roomId?: number }, since: number): QualityPoint[] {
    this.flush();
    const [col, val] = filter.userId !== undefined ? ['user_id', filter.userId] : ['room_id', filter.roomId ?? 0];
    return (
      this.db.prepare(`SELECT * FROM quality_points WHERE ${col} = ? AND at >= ? ORDER BY at LIMIT 200000`).all(val, since) as Record<string, number | null>[]
    ).map((r) => ({
      at: Number(r.at),
      userId: Number(r.user_id),
      roomId: Number(r.room_id),
      bitrateUp: Number(r.bitrate_up),
      bitrateDown: Number(r.bitrate_down),
      loss: Number(r.loss),
      rttMs: r.rtt_ms === null ? null : Number(r.rtt_ms),
      jitterMs: r.jitter_ms === null ? null : Number(r.jitter_ms),
    }));
  }

  /** Per local day: peak concurrent users, user-minutes, sessions started, room-minutes. */
  usage(days: number): UsageDay[] {
    this.flush();
    const start = new Date(this.now());
    start.setHours(0, 0, 0, 0);
    start.setDate(start.getDate() - (days - 1));
    const rows = this.db.prepare('SELECT minute, users, rooms, logins FROM usage_minutes WHERE minute >= ? ORDER BY minute').all(start.getTime()) as Record<
      string,
      number
    >[];
    const out: UsageDay[] = [];
    const byDay = new Map<number, UsageDay>();
    for (let i = 0; i < days; i++) {
      const d = new Date(start);
      d.setDate(start.getDate() + i);
      const day: UsageDay = { day: d.getTime(), peakUsers: 0, userMinutes: 0, sessions: 0, roomMinutes: 0 };
      byDay.set(day.day, day);
      out.push(day);
    }
    for (const r of rows) {
      const d = new Date(Number(r.minute));
      d.setHours(0, 0, 0, 0);
      const day = byDay.get(d.getTime());
      if (!day) continue;
      day.peakUsers = Math.max(day.peakUsers, Number(r.users));
      day.userMinutes += Number(r.users);
      day.roomMinutes += Number(r.rooms);
      day.sessions += Number(r.logins);
    }
    return out;
  }
}

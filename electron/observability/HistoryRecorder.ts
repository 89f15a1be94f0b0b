/**
 * Turns SDK and business events into history: sessions (login → logout), rooms (first seen →
 * ended, members, peak size), calls (request → answer → finish, who ended it), room timeline
 * events (joins, leaves, kicks, seat changes; publishes come from MediaWatcher) and per-minute
 * usage. Open sessions and rooms live in memory and are written when they end, so each costs
 * one queued insert; on stop the still-open ones are written as ended by the server.
 */
import { Codes, SignalingCodes } from '../../shared/codes';
import type { MicStateView, RoomSummary } from '../../shared/ipc/types';
import type { RoomRecord, SessionRecord } from '../../shared/ipc/observability';
import { VideoCallEvent } from '../../shared/protocol/limits';
import type { BusinessLayer } from '../business';
import type { AnyChatSdk, SdkEvents } from '../sdk';
import type { HistoryStore } from './HistoryStore';

/** Logout reason written for sessions still open when the host stops. */
export const REASON_SERVER_STOPPED = -1;

interface OpenSession {
  userId: number;
  userName: string;
  nickName: string;
  loginAt: number;
  address: string;
  client: string;
}

interface OpenRoom {
  roomId: number;
  name: string;
  startedAt: number;
  members: Set<number>;
  present: Set<number>;
  peak: number;
}

interface OpenCall {
  callerId: number;
  calleeId: number;
  requestedAt: number;
  answeredAt: number | null;
}

export class HistoryRecorder {
  private readonly sessions = new Map<number, OpenSession>();
  private readonly rooms = new Map<number, OpenRoom>();
  private readonly calls = new Map<string, OpenCall>();
  private readonly seats = new Map<number, MicStateView['seats']>();
  private readonly disposers: (() => void)[] = [];
  private loginsThisMinute = 0;
  private readonly minuteTimer: NodeJS.Timeout;

  constructor(
    private readonly store: HistoryStore,
    private readonly sdk: AnyChatSdk,
    private readonly business: BusinessLayer,
  ) {
    for (const r of business.listRooms()) this.roomSeen(r);
    this.disposers.push(
      sdk.on('login', (e) => this.login(e)),
      sdk.on('logout', (e) => this.logout(e.userId, e.reason)),
      sdk.on('enterRoom', (e) => this.enter(e.userId, e.roomId, e.role)),
      sdk.on('leaveRoom', (e) => this.leave(e.userId, e.roomId, e.reason)),
      sdk.on('videoCall', (e) => this.call(e)),
      business.on('roomChanged', (r) => (r.removed ? this.roomEnded(r.roomId) : this.roomSeen(r))),
      business.on('micChanged', (m) => this.mic(m)),
    );
    this.minuteTimer = setInterval(() => this.usageMinute(), 60_000);
    this.minuteTimer.unref();
  }

  private now(): number {
    return this.store.now();
  }

  private login(e: SdkEvents['login']): void {
    // A second login of the same user replaces the first (kickOld): close the old one.
    if (this.sessions.has(e.userId)) this.logout(e.userId, Codes.LOGOUT_KICKED);
    this.sessions.set(e.userId, { userId: e.userId, userName: e.userName, nickName: e.nickName, loginAt: this.now(), address: e.ip, client: e.client ?? '' });
    this.loginsThisMinute++;
  }

  private logout(userId: number, reason: number): void {
    const s = this.sessions.get(userId);
    if (!s) return;
    this.sessions.delete(userId);
    this.store.addSession({ ...s, logoutAt: this.now(), reason });
  }

  private enter(userId: number, roomId: number, role: string): void {
    const r = this.rooms.get(roomId) ?? this.openRoom(roomId, `room ${roomId}`);
    r.members.add(userId);
    r.present.add(userId);
    r.peak = Math.max(r.peak, r.present.size);
    this.store.addEvent(roomId, 'join', userId, role);
  }

  private leave(userId: number, roomId: number, reason: number): void {
    this.rooms.get(roomId)?.present.delete(userId);
    if (reason === Codes.LOGOUT_KICKED) this.store.addEvent(roomId, 'kick', userId, 'kicked by an operator');
    else this.store.addEvent(roomId, 'leave', userId, reason ? `reason ${reason}` : '');
  }

  private openRoom(roomId: number, name: string): OpenRoom {
    const r: OpenRoom = { roomId, name, startedAt: this.now(), members: new Set(), present: new Set(), peak: 0 };
    this.rooms.set(roomId, r);
    this.store.addEvent(roomId, 'created', 0, name);
    return r;
  }

  private roomSeen(s: RoomSummary): void {
    const r = this.rooms.get(s.roomId) ?? this.openRoom(s.roomId, s.name ?? `room ${s.roomId}`);
    if (s.name) r.name = s.name;
    r.peak = Math.max(r.peak, s.userCount);
  }

  private roomEnded(roomId: number): void {
    const r = this.rooms.get(roomId);
    if (!r) return;
    this.rooms.delete(roomId);
    this.seats.delete(roomId);
    this.store.addEvent(roomId, 'ended', 0, '');
    this.store.addRoom({ roomId, name: r.name, startedAt: r.startedAt, endedAt: this.now(), peakUsers: r.peak, members: [...r.members] });
  }

  private mic(m: MicStateView): void {
    const before = this.seats.get(m.roomId) ?? [];
    this.seats.set(
      m.roomId,
      m.seats.map((s) => ({ ...s })),
    );
    for (const seat of m.seats) {
      const old = before.find((b) => b.seat === seat.seat);
      if ((old?.userId ?? null) !== seat.userId) {
        if (old?.userId) this.store.addEvent(m.roomId, 'seat', old.userId, `left seat ${seat.seat + 1}`);
        if (seat.userId) this.store.addEvent(m.roomId, 'seat', seat.userId, `took seat ${seat.seat + 1}`);
      }
      if (old && old.locked !== seat.locked) this.store.addEvent(m.roomId, 'seat', 0, `seat ${seat.seat + 1} ${seat.locked ? 'locked' : 'unlocked'}`);
    }
  }

  private call(e: SdkEvents['videoCall']): void {
    const key = `${e.srcUserId}:${e.targetUserId}`;
    const now = this.now();
    switch (e.eventType) {
      case VideoCallEvent.REQUEST:
        this.calls.set(key, { callerId: e.srcUserId, calleeId: e.targetUserId, requestedAt: now, answeredAt: null });
        break;
      case VideoCallEvent.REPLY:
        if (e.errorCode !== 0) this.endCall(key, 'refused', e.targetUserId, e.errorCode);
        break;
      case VideoCallEvent.START: {
        const c = this.calls.get(key);
        if (c) c.answeredAt = now;
        break;
      }
      case VideoCallEvent.FINISH: {
        const c = this.calls.get(key);
        if (!c) break;
        const outcome = c.answeredAt !== null ? 'answered' : e.errorCode === SignalingCodes.CALL_TIMEOUT ? 'timeout' : 'cancelled';
        this.endCall(key, outcome, e.endedBy ?? 0, e.errorCode);
        break;
      }
    }
  }

  private endCall(key: string, outcome: string, endedBy: number, endCode: number): void {
    const c = this.calls.get(key);
    if (!c) return;
    this.calls.delete(key);
    this.store.addCall({ ...c, endedAt: this.now(), outcome, endedBy, endCode });
  }

  private usageMinute(): void {
    const minute = Math.floor(this.now() / 60_000) * 60_000;
    this.store.addUsage(minute, this.sdk.onlineUserCount(), this.rooms.size, this.loginsThisMinute);
    this.loginsThisMinute = 0;
  }

  /** Room events that come from elsewhere (publishes from the media node). */
  roomEvent(roomId: number, kind: 'publish' | 'unpublish', userId: number, detail: string): void {
    this.store.addEvent(roomId, kind, userId, detail);
  }

  openSessions(): SessionRecord[] {
    const now = this.now();
    return [...this.sessions.values()]
      .sort((a, b) => b.loginAt - a.loginAt)
      .map((s) => ({ id: 0, ...s, logoutAt: null, reason: null, durationMs: now - s.loginAt }));
  }

  openRooms(): RoomRecord[] {
    const now = this.now();
    return [...this.rooms.values()]
      .sort((a, b) => b.startedAt - a.startedAt)
      .map((r) => ({
        id: 0,
        roomId: r.roomId,
        name: r.name,
        startedAt: r.startedAt,
        endedAt: null,
        durationMs: now - r.startedAt,
        peakUsers: r.peak,
        members: [...r.members],
      }));
  }

  /** Stops listening; writes what is still open as ended by the server, plus this minute's usage. */
  close(): void {
    clearInterval(this.minuteTimer);
    this.disposers.splice(0).forEach((d) => d());
    this.usageMinute();
    for (const id of [...this.sessions.keys()]) this.logout(id, REASON_SERVER_STOPPED);
    for (const id of [...this.rooms.keys()]) this.roomEnded(id);
    for (const key of [...this.calls.keys()]) this.endCall(key, this.calls.get(key)!.answeredAt ? 'answered' : 'cancelled', 0, REASON_SERVER_STOPPED);
  }
}

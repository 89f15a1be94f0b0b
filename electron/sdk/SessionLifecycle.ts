/**
 * Sessions and room membership coming and going: the journal of open sessions, the login, logout,
 * enterRoom and leaveRoom events, the friends' online news, and what a leaving user takes along
 * (media, call, transfers). AnyChatSdk and, through SdkInternals, ClientSide drive it.
 */
import type { Logger } from 'pino';
import { Codes } from '../../shared/codes';
import type { Db } from '../store/Database';
import type { CallManager } from './CallManager';
import type { Delivery } from './Delivery';
import type { SdkInternals } from './ClientSide';
import type { EventQueue } from './EventQueue';
import type { RoomTable } from './RoomTable';
import type { SdkStore } from './SdkStore';
import type { Session } from './Session';
import { SessionJournal } from './SessionJournal';
import type { SessionTable } from './SessionTable';
import type { TransferManager } from './TransferManager';
import type { MediaControl, RoomInfo, RoomRole } from './types';
import { roomInfoView } from './views';

export interface SessionLifecycleDeps extends Pick<SdkInternals, 'friendListOf' | 'pushToUser'> {
  /** Entries and leaves go to this host's members (Delivery.pushToMembersHere). */
  pushToMembersHere: Delivery['pushToMembersHere'];
  db: Db;
  sessions: SessionTable;
  rooms: RoomTable;
  events: EventQueue;
  store: SdkStore;
  calls: CallManager;
  transfers: TransferManager;
  logger: Logger;
  /** Read at each use: media and the friend switch are plugged in / changed after construction. */
  media(): MediaControl | null;
  defaultFriends(): boolean;
}

export class SessionLifecycle {
  private readonly journal: SessionJournal;

  constructor(private readonly d: SessionLifecycleDeps) {
    this.journal = new SessionJournal(d.db);
  }

  /** A new session is online (after verification and duplicate handling). */
  startSession(s: Session): void {
    const d = this.d;
    d.sessions.add(s);
    this.journalWrite(() => this.journal.opened(s.userId, s.userName, s.strUserId || s.userName, s.loginAt));
    d.events.emit('login', {
      userId: s.userId,
      userName: s.userName,
      userLevel: s.userLevel,
      nickName: s.nickName,
      ip: s.link.ip,
      client: s.link.userAgent ?? '',
    });
    if (d.defaultFriends()) {
      // After the login response has gone out (seed §8.1).
      setImmediate(() => {
        void (async () => {
          if (d.sessions.get(s.userId) !== s) return;
          const friends = await d.friendListOf(s.userId);
          const watchers = await d.store.whoHasFriend(s.userId);
          if (d.sessions.get(s.userId) !== s) return;
          s.link.push('friendList', friends);
          for (const fid of watchers) d.pushToUser(fid, 'friendStatus', { userId: s.userId, online: true });
        })().catch((err: unknown) => d.logger.warn({ err, userId: s.userId }, 'friend list not sent'));
      });
    }
  }

  /** Ends a session: leaves the room, ends the call, cancels transfers, tells friends. Idempotent. */
  async endSession(s: Session, reason: number): Promise<void> {
    const d = this.d;
    if (!d.sessions.remove(s)) return;
    this.journalWrite(() => this.journal.closed(s.userId));
    if (s.roomId !== null) await this.leaveRoomOf(s, reason, false);
    d.calls.userGone(s.userId, reason);
    await d.transfers.userGone(s.userId);
    d.events.emit('logout', { userId: s.userId, reason });
    if (d.defaultFriends()) for (const fid of await d.store.whoHasFriend(s.userId)) d.pushToUser(fid, 'friendStatus', { userId: s.userId, online: false });
  }

  joinRoom(s: Session, roomId: number, roomName: string, role: RoomRole): RoomInfo {
    const d = this.d;
    const room = d.rooms.join(roomId, roomName, s.userId, role);
    s.roomId = roomId;
    s.role = role;
    d.pushToMembersHere(roomId, 'userEntered', { roomId, userId: s.userId, nickName: s.nickName, role }, s.userId);
    d.events.emit('enterRoom', { userId: s.userId, roomId, role });
    return roomInfoView(room, d.sessions);
  }

  async leaveRoomOf(s: Session, reason: number, tellSelf: boolean): Promise<void> {
    const d = this.d;
    const roomId = s.roomId;
    if (roomId === null) return;
    const inRoom = d.rooms.get(roomId)?.members.has(s.userId) ?? false;
    s.roomId = null;
    s.role = null;
    try {
      await d.media()?.releaseUser(s.userId);
    } catch (err) {
      d.logger.warn({ err, userId: s.userId }, 'media release failed');
    }
    if (inRoom) {
      d.rooms.leave(roomId, s.userId, reason);
      d.pushToMembersHere(roomId, 'userLeft', { roomId, userId: s.userId, reason });
    }
    if (tellSelf) s.link.push('userLeft', { roomId, userId: s.userId, reason });
    d.events.emit('leaveRoom', { userId: s.userId, roomId, reason });
    d.calls.leftRoom(s.userId, roomId, reason);
  }

  /** The sessions the previous run left open (it crashed) are logged out with reason 100. Returns how many. */
  async closeSessionsLeftOpen(alreadyClosed: ReadonlySet<number>): Promise<number> {
    const d = this.d;
    const rows = this.journal.takeLeftOpen().filter((r) => !alreadyClosed.has(r.userId));
    for (const r of rows) d.events.emit('logout', { userId: r.userId, reason: Codes.LOGOUT_NETWORK_TIMEOUT, userName: r.userName, strUserId: r.strUserId });
    await d.events.idle();
    if (rows.length > 0) d.logger.warn({ count: rows.length }, 'sessions left open by a crash were logged out (reason 100)');
    return rows.length;
  }

  /** The journal must never stop a login or logout: a failed write (e.g. a full disk) is logged. */
  private journalWrite(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.d.logger.warn({ err }, 'session journal write failed');
    }
  }
}

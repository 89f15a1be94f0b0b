/** Maps SDK views onto the console's IPC DTOs (shared/ipc/types.ts). */
import type { ActiveCall as CallView, BanEntry as BanView, OnlineUser as UserView } from '../../shared/ipc/types';
import type { ActiveCall, AnyChatSdk, BanEntry, OnlineUser } from '../sdk';

export function userView(u: OnlineUser): UserView {
  return {
    userId: u.userId,
    userName: u.userName,
    nickName: u.nickName,
    level: u.userLevel,
    roomId: u.roomId,
    role: u.role,
    loginAt: u.loginAt,
    address: u.ip,
    flags: u.flags,
    guest: u.guest,
  };
}

/** A call's console id: stable for its lifetime (caller, callee and start time). */
export function callIdOf(c: Pick<ActiveCall, 'callerId' | 'calleeId' | 'startedAt'>): string {
  return `${c.callerId}-${c.calleeId}-${c.startedAt}`;
}

export function callView(c: ActiveCall): CallView {
  return {
    callId: callIdOf(c),
    callerId: c.callerId,
    calleeId: c.calleeId,
    state: c.state === 'ringing' ? 'requesting' : 'active',
    roomId: c.roomId,
    startedAt: c.startedAt,
    answeredAt: c.state === 'active' ? c.startedAt : null,
  };
}

/**
 * The console's view of bans: the SDK keeps the ban itself; this remembers who imposed it and the
 * user's name (a banned user is usually offline by then), for the list and the live feed alike.
 */
export class BanBook {
  private readonly byOperator = new Map<number, string>();
  private readonly names = new Map<number, string>();

  constructor(private readonly sdk: () => AnyChatSdk) {}

  noteUser(userId: number, userName: string): void {
    this.names.set(userId, userName);
  }

  noteBan(userId: number, operator: string): void {
    this.byOperator.set(userId, operator);
  }

  noteLifted(userId: number): void {
    this.byOperator.delete(userId);
  }

  nameOf(userId: number): string | undefined {
    return this.sdk().getOnlineUser(userId)?.userName ?? this.names.get(userId);
  }

  view(b: BanEntry): BanView {
    return {
      userId: b.userId,
      userName: this.nameOf(b.userId) ?? `user ${b.userId}`,
      until: b.until,
      reason: b.reason,
      by: this.byOperator.get(b.userId) ?? 'server',
      createdAt: b.createdAt,
    };
  }

  list(): BanView[] {
    return this.sdk().listBans().map((b) => this.view(b));
  }
}

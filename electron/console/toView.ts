/** Maps SDK views onto the console's IPC DTOs (shared/ipc/types.ts). */
import type { ActiveCall as CallView, OnlineUser as UserView } from '../../shared/ipc/types';
import type { ActiveCall, OnlineUser } from '../sdk';

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
    ...(u.node ? { node: u.node } : {}),
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

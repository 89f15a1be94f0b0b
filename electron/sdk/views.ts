/** The SDK's plain views of its live state (console, gateway, business). */
import type { RoomEntry } from './RoomTable';
import type { Session } from './Session';
import type { SessionTable } from './SessionTable';
import type { OnlineUser, RoomInfo } from './types';

/** `localNode`: this host's cluster node id (a cluster only; the view then names every user's node). */
export function onlineUserView(s: Session, localNode?: string): OnlineUser {
  return {
    ...(localNode ? { node: s.link.remoteNode ?? localNode } : {}),
    userId: s.userId,
    userName: s.userName,
    nickName: s.nickName,
    userLevel: s.userLevel,
    ip: s.link.ip,
    loginAt: s.loginAt,
    roomId: s.roomId,
    role: s.role,
    guest: s.guest,
    flags: s.flags,
    strUserId: s.strUserId || s.userName,
    strParam: s.strParam,
  };
}

export function roomInfoView(r: RoomEntry, sessions: SessionTable): RoomInfo {
  return {
    roomId: r.roomId,
    roomName: r.roomName,
    users: [...r.members].map(([userId, role]) => ({ userId, nickName: sessions.get(userId)?.nickName ?? '', role })),
  };
}

/** Users: the online list, detail, kick (with optional ban), bans, messages and buffers. */
import { Codes, CodedError } from '../../../shared/codes';
import type { UserDetail } from '../../../shared/ipc/types';
import type { BanBook } from '../banBook';
import { userView } from '../toView';
import type { UserHistory } from '../userHistory';
import type { HandlerDeps, HandlerMap } from './types';

export function usersHandlers({ core, audited }: HandlerDeps, bans: BanBook, history: UserHistory) {
  const sdk = () => core.components.sdk;
  const requireOnline = (userId: number) => {
    const u = sdk().getOnlineUser(userId);
    if (!u) throw new CodedError(Codes.NOT_FOUND, `user ${userId} is not online`);
    return u;
  };
  return {
    'users:list': () => sdk().getOnlineUsers().map(userView),
    'users:detail': async ({ userId }) => {
      const online = sdk().getOnlineUser(userId);
      const ban = (await sdk().listBans()).find((b) => b.userId === userId);
      const seen = history.get(userId);
      if (!online && !ban && !seen) throw new CodedError(Codes.NOT_FOUND, `user ${userId} has never been online here`);
      const { friends, groups } = await sdk().friendListOf(userId);
      const detail: UserDetail = {
        user: online ? userView(online) : null,
        userName: (await bans.nameOf(userId)) ?? `user ${userId}`,
        nickName: online?.nickName ?? seen?.nickName ?? '',
        level: online?.userLevel ?? 0,
        address: online?.ip ?? seen?.address ?? '',
        lastLoginAt: online?.loginAt ?? seen?.lastLoginAt ?? null,
        lastLogoutAt: online ? null : (seen?.lastLogoutAt ?? null),
        info: {},
        friends: friends.map((f) => ({ userId: f.userId, nickName: f.nickName, online: f.online, groupId: f.groupId ?? null })),
        groups,
        ban: ban ? await bans.view(ban) : null,
      };
      return detail;
    },
    'users:kick': ({ userId, banSeconds, reason, banAddress }, caller) =>
      audited(
        caller,
        'users:kick',
        `user ${userId}`,
        { userId, banSeconds: banSeconds ?? 0, reason: reason ?? '', ...(banAddress ? { banAddress } : {}) },
        async () => {
          const online = sdk().getOnlineUser(userId);
          if (!online && !banSeconds) throw new CodedError(Codes.NOT_FOUND, `user ${userId} has already left`);
          if (banSeconds) await bans.noteBan(userId, caller.operator, { byAddress: !!banAddress });
          // The user may leave between the look-up and the kick: report what really happened.
          const kicked = await sdk().kickUser(userId, { banSeconds, reason });
          if (!kicked && !banSeconds) throw new CodedError(Codes.NOT_FOUND, `user ${userId} has already left`);
          return { kicked, banned: !!banSeconds };
        },
      ),
    'users:mute': ({ userId, kind, muted }, caller) =>
      audited(caller, muted ? 'users:mute' : 'users:unmute', `user ${userId}`, { userId, kind }, async () => {
        requireOnline(userId);
        const media = core.components.signaling.roomMedia;
        if (!media) throw new CodedError(Codes.UNAVAILABLE, 'no media node');
        if (!(await media.muteUser(userId, kind, muted))) throw new CodedError(Codes.NOT_FOUND, `user ${userId} has no media in a room`);
        return {};
      }),
    'bans:list': () => bans.list(),
    'users:lookup': ({ query }) => history.search(query).map((u) => ({ ...u, online: !!sdk().getOnlineUser(u.userId) })),
    'bans:lift': ({ userId }, caller) =>
      audited(caller, 'bans:lift', `user ${userId}`, { userId }, async () => {
        if (!(await sdk().liftBan(userId))) throw new CodedError(Codes.NOT_FOUND, `user ${userId} is not banned`);
        await bans.noteLifted(userId);
        return {};
      }),
    'users:sendMessage': ({ userId, text }, caller) =>
      audited(caller, 'users:sendMessage', `user ${userId}`, { userId, length: text.length }, () => {
        const u = requireOnline(userId);
        sdk().pushToUser(userId, 'textMessage', { roomId: u.roomId ?? 0, srcUserId: 0, targetUserId: userId, secret: true, text });
        return {};
      }),
    'users:sendBuffer': ({ userId, dataBase64 }, caller) =>
      audited(caller, 'users:sendBuffer', `user ${userId}`, { userId }, () => {
        requireOnline(userId);
        const data = Buffer.from(dataBase64, 'base64');
        if (data.length === 0 || data.toString('base64').replace(/=+$/, '') !== dataBase64.replace(/=+$/, '')) {
          throw new CodedError(Codes.BAD_REQUEST, 'dataBase64 is not valid base64');
        }
        sdk().sendBufToUser(userId, new Uint8Array(data));
        return {};
      }),
    'users:broadcast': ({ roomId, text }, caller) =>
      audited(caller, 'users:broadcast', roomId === -1 ? 'everyone' : `room ${roomId}`, { roomId, length: text.length }, () => {
        if (roomId === -1) {
          for (const u of sdk().getOnlineUsers()) {
            sdk().pushToUser(u.userId, 'textMessage', { roomId: u.roomId ?? 0, srcUserId: 0, targetUserId: -1, secret: false, text });
          }
        } else {
          if (!sdk().getRoom(roomId)) throw new CodedError(Codes.NOT_FOUND, `room ${roomId} does not exist`);
          sdk().pushToRoom(roomId, 'textMessage', { roomId, srcUserId: 0, targetUserId: -1, secret: false, text });
        }
        return {};
      }),
  } satisfies HandlerMap;
}

/**
 * User-info controls (BRAS_UserInfoControl and the client's own) and the IM friend list: kick,
 * sync user info, groups and friends, app-defined codes pushed to the client.
 */
import { CodedError, Codes, SignalingCodes } from '../../shared/codes';
import { UserInfoCtrl } from '../../shared/protocol/limits';
import type { FriendEntry, NotificationName, Notifications } from '../../shared/protocol/messages';
import type { SdkStore } from './SdkStore';
import type { SessionTable } from './SessionTable';
import type { UserDirectory } from './UserDirectory';

export interface UserControlsDeps {
  readonly store: SdkStore;
  readonly sessions: SessionTable;
  readonly directory: UserDirectory;
  /** whether the built-in IM friend behaviour is on */
  defaultFriends(): boolean;
  kickUser(userId: number): Promise<boolean>;
  pushToUser<N extends NotificationName>(userId: number, notification: N, data: Notifications[N]): boolean;
}

export class UserControls {
  constructor(private readonly d: UserControlsDeps) {}

  /** Applies a user-info control (from the server: src 0; from a client: its id). */
  async apply(srcUserId: number, userId: number, ctrlCode: number, wParam: number, lParam: number, strValue: string): Promise<void> {
    const { store } = this.d;
    switch (ctrlCode) {
      case UserInfoCtrl.KICKOUT:
        await this.d.kickUser(userId);
        return;
      case UserInfoCtrl.SYNCDATA:
        if (!this.d.sessions.has(userId)) throw offline(userId);
        for (const info of await store.allUserInfo(userId)) this.d.pushToUser(userId, 'userInfo', { userId, ...info });
        if (this.d.defaultFriends()) this.d.pushToUser(userId, 'friendList', await this.friendListOf(userId));
        return;
      case UserInfoCtrl.ADDGROUP:
        await store.addGroup(userId, wParam, strValue);
        return;
      case UserInfoCtrl.DELGROUP:
        await store.deleteGroup(userId, wParam);
        return;
      case UserInfoCtrl.ADDFRIEND:
        await store.addFriend(userId, wParam);
        return;
      case UserInfoCtrl.DELFRIEND:
        await store.deleteFriend(userId, wParam);
        return;
      case UserInfoCtrl.SETGROUPRELATION:
        await store.setFriendGroup(userId, wParam, lParam);
        return;
      default:
        if (ctrlCode < UserInfoCtrl.APPDEFINE) throw new CodedError(Codes.BAD_REQUEST, `control code ${ctrlCode} is reserved`);
        if (!this.d.pushToUser(userId, 'userInfoControl', { srcUserId, ctrlCode, wParam, lParam, strValue })) throw offline(userId);
    }
  }

  /** A user's friends (online or not) and friend groups. */
  async friendListOf(userId: number): Promise<{ friends: FriendEntry[]; groups: { groupId: number; name: string }[] }> {
    const friends = (await this.d.store.friendsOf(userId)).map(({ friendId, groupId }) => {
      const online = this.d.sessions.get(friendId);
      return { userId: friendId, nickName: online?.nickName ?? this.d.directory.nickNameOf(friendId) ?? '', online: !!online, groupId };
    });
    return { friends, groups: await this.d.store.groupsOf(userId) };
  }
}

export function offline(userId: number): CodedError {
  return new CodedError(SignalingCodes.USER_OFFLINE, `user ${userId} is not online`);
}

import { expect, it } from 'vitest';
import { describeEachStore } from '../store/testing/storeMatrix';
import { AccountLockStore } from './PersistentCounters';
import { SdkStore, sdkMigrations, sdkPgMigrations } from './SdkStore';

describeEachStore('SdkStore', { sqlite: sdkMigrations, postgres: sdkPgMigrations }, (store) => {
  it('bans: set, replace, active only until they lapse, lifted once', async () => {
    const s = new SdkStore(store().db);
    const now = Date.now();
    await s.ban(7, now + 60_000, 'spam');
    await s.ban(7, now + 120_000, 'spam again');
    await s.ban(8, now - 1, 'old');
    expect(await s.activeBan(7)).toMatchObject({ userId: 7, until: now + 120_000, reason: 'spam again' });
    expect(await s.activeBan(8)).toBeNull();
    expect((await s.listBans()).map((b) => b.userId)).toEqual([7]);
    expect(await s.liftBan(7)).toBe(true);
    expect(await s.liftBan(7)).toBe(false);
  });

  it('friends and groups: add, regroup, delete a group (its friends fall back to 0), who has a friend', async () => {
    const s = new SdkStore(store().db);
    await s.addGroup(1, 10, 'work');
    await s.addGroup(1, 10, 'office');
    await s.addFriend(1, 2);
    await s.addFriend(1, 2);
    await s.addFriend(1, 3);
    await s.addFriend(4, 2);
    await s.setFriendGroup(1, 10, 2);
    expect(await s.groupsOf(1)).toEqual([{ groupId: 10, name: 'office' }]);
    expect(await s.friendsOf(1)).toEqual([
      { friendId: 2, groupId: 10 },
      { friendId: 3, groupId: 0 },
    ]);
    expect((await s.whoHasFriend(2)).sort()).toEqual([1, 4]);
    await s.deleteGroup(1, 10);
    expect(await s.groupsOf(1)).toEqual([]);
    expect(await s.friendsOf(1)).toEqual([
      { friendId: 2, groupId: 0 },
      { friendId: 3, groupId: 0 },
    ]);
    await s.deleteFriend(1, 3);
    expect((await s.friendsOf(1)).map((f) => f.friendId)).toEqual([2]);
  });

  it('user info: upsert, read back through another connection', async () => {
    await new SdkStore(store().db).setUserInfo(5, 1, 'a', 0);
    await new SdkStore(store().db).setUserInfo(5, 1, 'b', 2);
    await new SdkStore(store().db).setUserInfo(5, 3, 'c', 0);
    const again = new SdkStore(await store().reopen());
    expect(await again.getUserInfo(5, 1)).toBe('b');
    expect(await again.getUserInfo(5, 2)).toBeNull();
    expect(await again.allUserInfo(5)).toEqual([
      { infoId: 1, value: 'b' },
      { infoId: 3, value: 'c' },
    ]);
  });

  it('account locks survive a reopen and read back per account', async () => {
    const locks = await AccountLockStore.open(store().db);
    locks.save('bob', { count: 0, lockedUntil: 1234 });
    locks.save('eve', { count: 2, lockedUntil: 0 });
    locks.clear('eve');
    expect(await locks.get('bob')).toEqual({ count: 0, lockedUntil: 1234 });
    const reopened = await AccountLockStore.open(await store().reopen());
    expect(reopened.load()).toEqual(new Map([['bob', { count: 0, lockedUntil: 1234 }]]));
  });
});

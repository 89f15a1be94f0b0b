import type { StateCreator } from 'zustand';
import type { OnlineUser, UsersDelta } from '../../shared/ipc/contract';
import type { ConsoleState } from './store';

/**
 * Online users, normalised by id. The map is updated in place and `usersVersion` bumps once per
 * applied event, so applying `users:changed` costs O(changed users), never O(all users). A row
 * selecting `users.get(id)` re-renders only when that user's object was replaced.
 */
export interface UsersSlice {
  users: Map<number, OnlineUser>;
  usersVersion: number;
  usersSnapshotLoaded(list: OnlineUser[]): void;
  usersChanged(delta: UsersDelta): void;
}

export const createUsersSlice: StateCreator<ConsoleState, [], [], UsersSlice> = (set) => ({
  users: new Map(),
  usersVersion: 0,
  usersSnapshotLoaded: (list) =>
    set((s) => ({ users: new Map(list.map((u) => [u.userId, u])), usersVersion: s.usersVersion + 1 })),
  usersChanged: (delta) =>
    set((s) => {
      if (delta.upserted.length === 0 && delta.removed.length === 0) return {};
      for (const id of delta.removed) s.users.delete(id);
      for (const u of delta.upserted) s.users.set(u.userId, u);
      return { usersVersion: s.usersVersion + 1 };
    }),
});

export interface UserFilter {
  text: string;
  /** null: any room; -1: in no room. */
  roomId: number | null;
  guest: 'any' | 'guest' | 'registered';
  agent: 'any' | 'agent' | 'not-agent';
}

export const AGENT_FLAG = 0x02;

export const emptyUserFilter: UserFilter = { text: '', roomId: null, guest: 'any', agent: 'any' };

/** Lower-cased search text per user object (objects are replaced on change, so the cache never goes stale). */
const searchKeys = new WeakMap<OnlineUser, string>();
function searchKey(u: OnlineUser): string {
  let key = searchKeys.get(u);
  if (key === undefined) {
    key = `${u.userId} ${u.userName} ${u.nickName} ${u.address}`.toLowerCase();
    searchKeys.set(u, key);
  }
  return key;
}

/** Ids of the users matching a filter, sorted by id. O(users); call it from a memo keyed on usersVersion. */
export function filterUserIds(users: Map<number, OnlineUser>, f: UserFilter): number[] {
  const text = f.text.trim().toLowerCase();
  const ids: number[] = [];
  for (const u of users.values()) {
    if (f.roomId !== null && (f.roomId === -1 ? u.roomId !== null : u.roomId !== f.roomId)) continue;
    if (f.guest !== 'any' && u.guest !== (f.guest === 'guest')) continue;
    if (f.agent !== 'any' && ((u.flags & AGENT_FLAG) !== 0) !== (f.agent === 'agent')) continue;
    if (text && !searchKey(u).includes(text)) continue;
    ids.push(u.userId);
  }
  return ids.sort((a, b) => a - b);
}

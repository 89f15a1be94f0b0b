import type { StateCreator } from 'zustand';
import type { OnlineUser, UserDetail, UsersDelta } from '../../shared/ipc/contract';
import { readTickets, type DetailRead } from './detailRead';
import type { ConsoleState } from './store';

/**
 * Online users, normalised by id. The map is updated in place and `usersVersion` bumps once per
 * applied event, so applying `users:changed` costs O(changed users), never O(all users). A row
 * selecting `users.get(id)` re-renders only when that user's object was replaced.
 */
export interface UsersSlice {
  users: Map<number, OnlineUser>;
  /** Every user id, ascending, kept in order as users come and go (so a render never sorts 5,000 ids). */
  userIds: number[];
  usersVersion: number;
  /** The user detail dialog's read (`users:detail`) and what it gave. */
  userDetailRead: DetailRead<number> | null;
  userDetail: UserDetail | null;
  usersSnapshotLoaded(list: OnlineUser[]): void;
  usersChanged(delta: UsersDelta): void;
  fetchUserDetail(userId: number): Promise<void>;
}

export const createUsersSlice: StateCreator<ConsoleState, [], [], UsersSlice> = (set, get) => {
  // Per store (tests build several).
  const userDetailTickets = readTickets();
  return {
    users: new Map(),
    userIds: [],
    usersVersion: 0,
    userDetailRead: null,
    userDetail: null,
    usersSnapshotLoaded: (list) =>
      set((s) => {
        const users = new Map(list.map((u) => [u.userId, u]));
        return { users, userIds: [...users.keys()].sort((a, b) => a - b), usersVersion: s.usersVersion + 1 };
      }),
    usersChanged: (delta) =>
      set((s) => {
        if (delta.upserted.length === 0 && delta.removed.length === 0) return {};
        for (const id of delta.removed) {
          if (s.users.delete(id)) removeSorted(s.userIds, id);
        }
        for (const u of delta.upserted) {
          if (!s.users.has(u.userId)) insertSorted(s.userIds, u.userId);
          s.users.set(u.userId, u);
        }
        return { usersVersion: s.usersVersion + 1 };
      }),
    fetchUserDetail: async (userId) => {
      const client = get().client;
      if (!client) return;
      const ticket = userDetailTickets.take();
      set({ userDetailRead: { key: userId, loading: true, error: null }, userDetail: null });
      const r = await client.call('users:detail', { userId });
      if (!userDetailTickets.isLatest(ticket)) return;
      set(
        r.ok
          ? { userDetailRead: { key: userId, loading: false, error: null }, userDetail: r.value }
          : { userDetailRead: { key: userId, loading: false, error: r.error } },
      );
    },
  };
};

/** Index of the first element ≥ id in an ascending array. */
function lowerBound(ids: number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(ids: number[], id: number): void {
  ids.splice(lowerBound(ids, id), 0, id);
}

function removeSorted(ids: number[], id: number): void {
  const i = lowerBound(ids, id);
  if (ids[i] === id) ids.splice(i, 1);
}

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

/**
 * Ids of the users matching a filter, ascending. `sortedIds` (the slice's `userIds`) is walked in
 * order, so nothing is sorted here; with no filter it is a plain copy. O(users); call it from a
 * memo keyed on usersVersion.
 */
export function filterUserIds(users: Map<number, OnlineUser>, f: UserFilter, sortedIds?: readonly number[]): number[] {
  const text = f.text.trim().toLowerCase();
  const order = sortedIds ?? [...users.keys()].sort((a, b) => a - b);
  if (!text && f.roomId === null && f.guest === 'any' && f.agent === 'any') return order.slice();
  const ids: number[] = [];
  for (const id of order) {
    const u = users.get(id);
    if (!u) continue;
    if (f.roomId !== null && (f.roomId === -1 ? u.roomId !== null : u.roomId !== f.roomId)) continue;
    if (f.guest !== 'any' && u.guest !== (f.guest === 'guest')) continue;
    if (f.agent !== 'any' && ((u.flags & AGENT_FLAG) !== 0) !== (f.agent === 'agent')) continue;
    if (text && !searchKey(u).includes(text)) continue;
    ids.push(u.userId);
  }
  return ids;
}

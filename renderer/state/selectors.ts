/**
 * Selector hooks: what components read from the store. The big tables are Maps updated in place
 * with a version number that bumps per applied event (see store.ts); these hooks hide that trick,
 * so no component reads a version counter or walks a Map itself.
 *
 * - One entity (`useUser`, `useRoom`, `useCall`…): the entity object, the same object until it changes.
 * - Small derived sets (calls, bans, active recordings, queues): derived in the selector, kept by
 *   `useShallow` while equal.
 * - Big derived lists (users, rooms): derived in a memo keyed on the table's version, so a change
 *   elsewhere in the store never rescans 5,000 users.
 */
import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { AuditEntry, BanEntry, RecordingEntry, RecordingPage, RoomMember, RoomSummary } from '../../shared/ipc/contract';
import { filterRooms } from './roomsSlice';
import { useConsoleStore, type ConsoleState } from './store';
import { filterUserIds, type UserFilter } from './usersSlice';

const EMPTY_MEMBERS: RoomMember[] = [];

// Users

export const useUser = (userId: number) => useConsoleStore((s) => s.users.get(userId));

/** The nickname of an online user, else the id as text ('' for no user). */
export const useNickName = (userId: number | null) => useConsoleStore((s) => (userId === null ? '' : (s.users.get(userId)?.nickName ?? String(userId))));

/** Nickname (or user name) of an online user, else the id as text. */
export const useDisplayName = (userId: number) =>
  useConsoleStore((s) => {
    const u = s.users.get(userId);
    return u ? u.nickName || u.userName : String(userId);
  });

/** "Nickname (id)" of an online user, else the id as text. */
export const useNameWithId = (userId: number) =>
  useConsoleStore((s) => {
    const u = s.users.get(userId);
    return u ? `${u.nickName || u.userName} (${userId})` : String(userId);
  });

/** How often, at most, the Users screen's list follows the users table (ms). */
export const USER_LIST_REFRESH_MS = 250;

const selectUsersVersion = (s: ConsoleState) => s.usersVersion;

/**
 * Ids of the online users matching a filter (ascending), and how many are online. The list follows
 * the users table at most every USER_LIST_REFRESH_MS: at 200 events/s, re-deriving and rendering
 * it on every frame was most of the Users screen's frame cost. A row whose user changes still
 * re-renders at once (`useUser`).
 */
export function useFilteredUserIds(filter: UserFilter): { ids: number[]; total: number } {
  const version = useThrottledStoreValue(selectUsersVersion, USER_LIST_REFRESH_MS);
  return useMemo(() => {
    const { users, userIds } = useConsoleStore.getState();
    return { ids: filterUserIds(users, filter, userIds), total: users.size };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the Map it counts
  }, [version, filter]);
}

/**
 * A store value that reaches the component at most every `ms`: the first change after a quiet
 * spell lands on the next task, later ones together when the interval is up, the newest always.
 * `select` must be stable (a module-level function).
 */
function useThrottledStoreValue<T>(select: (s: ConsoleState) => T, ms: number): T {
  const [value, setValue] = useState(() => select(useConsoleStore.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let landedAt = 0;
    const land = () => {
      timer = null;
      landedAt = Date.now();
      setValue(select(useConsoleStore.getState()));
    };
    setValue(select(useConsoleStore.getState())); // a change between render and subscribe
    const unsubscribe = useConsoleStore.subscribe((s, prev) => {
      if (timer !== null || Object.is(select(s), select(prev))) return;
      timer = setTimeout(land, Math.max(0, landedAt + ms - Date.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [select, ms]);
  return value;
}

// Rooms

export const useRoom = (roomId: number) => useConsoleStore((s) => s.rooms.get(roomId));

/** Rooms whose id or name contains `query`, busiest first. */
export function useFilteredRooms(query: string): RoomSummary[] {
  const version = useConsoleStore((s) => s.roomsVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the Map it counts
  return useMemo(() => filterRooms(useConsoleStore.getState().rooms, query), [version, query]);
}

/** Room ids, ascending; re-derived only when a room appears or ends. */
export function useRoomIds(): number[] {
  const version = useConsoleStore((s) => s.roomSetVersion);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the Map it counts
  return useMemo(() => [...useConsoleStore.getState().rooms.keys()].sort((a, b) => a - b), [version]);
}

/** Rooms for a picker, by name (id when unnamed); rebuilt only when a room appears or ends, not on every count change. */
export function useRoomOptions(): { id: number; label: string }[] {
  const version = useConsoleStore((s) => s.roomSetVersion);
  return useMemo(
    () =>
      [...useConsoleStore.getState().rooms.values()]
        .sort((a, b) => a.roomId - b.roomId)
        .map((r) => ({ id: r.roomId, label: r.name ? `${r.name} (${r.roomId})` : String(r.roomId) })),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the version stands for the Map it counts
    [version],
  );
}

export const useRoomMembers = (roomId: number): RoomMember[] => useConsoleStore((s) => s.members.get(roomId) ?? EMPTY_MEMBERS);

/** Whether the operator muted the user's microphone / camera, from the room's producers. */
export const useOperatorMuted = (roomId: number, userId: number) =>
  useConsoleStore(
    useShallow((s) => {
      const mine = (s.producers.get(roomId) ?? []).filter((p) => p.userId === userId);
      return { audio: mine.some((p) => p.kind === 'audio' && p.operatorMuted), video: mine.some((p) => p.kind === 'video' && p.operatorMuted) };
    }),
  );

export const useMic = (roomId: number) => useConsoleStore((s) => s.mics.get(roomId));

/** Bitrate, loss (%) and RTT summed/maxed over the user's producers from the last `stats:tick`; n = producers seen. */
export const useUserQuality = (userId: number) =>
  useConsoleStore(
    useShallow((s) => {
      let bitrate = 0;
      let loss = 0;
      let rtt: number | null = null;
      let n = 0;
      for (const p of s.quality.values()) {
        if (p.userId !== userId) continue;
        n++;
        bitrate += p.bitrate;
        loss = Math.max(loss, p.lossRate);
        if (p.rttMs !== null) rtt = Math.max(rtt ?? 0, p.rttMs);
      }
      return { n, bitrate, loss: Math.round(loss * 1000) / 10, rtt };
    }),
  );

/** The media node's estimate of the user's downlink (bits/s, transport-cc) from the last `stats:tick`; undefined when it has none. */
export const useUserDownlink = (userId: number) => useConsoleStore((s) => s.downlinks.get(userId));

// Recordings

/** Recordings in progress. */
export const useActiveRecordings = (): RecordingEntry[] =>
  useConsoleStore(useShallow((s) => [...s.activeRecordings.values()].filter((r) => r.state === 'recording')));

/**
 * The page of finished recordings for the current query, read while the caller is mounted: again
 * when the query changes or a recording finishes or is deleted (an event, never a timer).
 */
export function useRecordingPage(): RecordingPage | null {
  const query = useConsoleStore((s) => s.recordingQuery);
  const listVersion = useConsoleStore((s) => s.recordingsListVersion);
  const fetchRecordingPage = useConsoleStore((s) => s.fetchRecordingPage);
  useEffect(() => {
    void fetchRecordingPage();
  }, [fetchRecordingPage, query, listVersion]);
  return useConsoleStore((s) => s.recordingPage);
}

/** The user's recording in progress, if any. */
export const useUserRecording = (userId: number): RecordingEntry | undefined =>
  useConsoleStore((s) => {
    for (const r of s.activeRecordings.values()) if (r.userId === userId && r.state === 'recording') return r;
    return undefined;
  });

// Calls, bans, audit, queues

/** Active call ids, oldest first. */
export const useCallIds = (): string[] =>
  useConsoleStore(useShallow((s) => [...s.calls.values()].sort((a, b) => a.startedAt - b.startedAt).map((c) => c.callId)));

export const useCall = (callId: string) => useConsoleStore((s) => s.calls.get(callId));

/** Active bans, soonest to end first. */
export const useBans = (): BanEntry[] => useConsoleStore(useShallow((s) => [...s.bans.values()].sort((a, b) => a.until - b.until)));

export const useBan = (userId: number): BanEntry | null => useConsoleStore((s) => s.bans.get(userId) ?? null);

export const useAuditEntry = (id: number): AuditEntry | undefined => useConsoleStore((s) => s.audit.get(id));

/** The loaded audit entries matching `match`, in `ids` order (newest first); all of them when match is null. */
export function useAuditIdsMatching(match: ((e: AuditEntry) => boolean) | null): number[] {
  const ids = useConsoleStore((s) => s.auditIds);
  return useMemo(() => {
    if (!match) return ids;
    const { audit } = useConsoleStore.getState();
    return ids.filter((id) => {
      const e = audit.get(id);
      return e !== undefined && match(e);
    });
  }, [ids, match]);
}

/** The loaded audit entries with these ids, in order (for an export). */
export function auditEntries(ids: readonly number[]): AuditEntry[] {
  const { audit } = useConsoleStore.getState();
  return ids.map((id) => audit.get(id)).filter((e): e is AuditEntry => e !== undefined);
}

export const useQueuesEmpty = () => useConsoleStore((s) => s.queueAreas.length === 0 && s.queueList.size === 0 && s.queueAgents.size === 0);

/** Queue guids, highest priority first. */
export const useQueueGuids = (): string[] =>
  useConsoleStore(useShallow((s) => [...s.queueList.values()].sort((a, b) => b.priority - a.priority || a.objectid - b.objectid).map((q) => q.objectguid)));

export const useQueue = (guid: string) => useConsoleStore((s) => s.queueList.get(guid));

/** Queue names by objectid. */
export const useQueueNames = (): Record<number, string> =>
  useConsoleStore(useShallow((s) => Object.fromEntries([...s.queueList.values()].map((q) => [q.objectid, q.name]))));

/** Agent ids, ascending. */
export const useQueueAgentIds = (): number[] => useConsoleStore(useShallow((s) => [...s.queueAgents.keys()].sort((a, b) => a - b)));

export const useQueueAgent = (userId: number) => useConsoleStore((s) => s.queueAgents.get(userId));

/** "Nickname (id)" of the customer an agent serves, null when none. */
export const useAgentServing = (agentId: number): string | null =>
  useConsoleStore((s) => {
    const id = s.queueAgents.get(agentId)?.servingUserId;
    if (id == null) return null;
    const u = s.users.get(id);
    return u ? `${u.nickName || u.userName} (${id})` : String(id);
  });

/** Whether the host is a cluster node: then each user names its node (the first user tells; O(1)). */
export function useUsersClustered(): boolean {
  return useConsoleStore((s) => s.users.values().next().value?.node !== undefined);
}

/** Whether calls name their node (a cluster; the first call tells). */
export function useCallsClustered(): boolean {
  return useConsoleStore((s) => s.calls.values().next().value?.node !== undefined);
}

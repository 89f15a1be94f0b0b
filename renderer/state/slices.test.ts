import { describe, expect, it } from 'vitest';
import type { ActiveCall, AuditEntry, OnlineUser, RoomDetail, RoomSummary, StatsTick } from '../../shared/ipc/contract';
import { AUDIT_KEEP } from './auditSlice';
import { moveInQueue } from './micsSlice';
import { filterRooms } from './roomsSlice';
import { HISTORY_WINDOW_MS } from './statsSlice';
import { createConsoleStore } from './store';
import { emptyUserFilter, filterUserIds } from './usersSlice';

const user = (userId: number, extra: Partial<OnlineUser> = {}): OnlineUser => ({
  userId,
  userName: `u${userId}`,
  nickName: `User ${userId}`,
  level: 0,
  roomId: null,
  role: null,
  loginAt: 1,
  address: '127.0.0.1',
  flags: 0,
  guest: false,
  ...extra,
});

const room = (roomId: number, extra: Partial<RoomSummary> = {}): RoomSummary => ({
  roomId,
  name: `Room ${roomId}`,
  userCount: 0,
  capacity: null,
  hasPassword: false,
  seatCount: 4,
  queueLength: 0,
  createdAt: 1,
  isCallRoom: false,
  ...extra,
});

describe('users slice', () => {
  it('applies a delta in place: changed users replaced, the rest keep their objects', () => {
    const store = createConsoleStore();
    store.getState().usersSnapshotLoaded(Array.from({ length: 5000 }, (_, i) => user(i + 1)));
    const map = store.getState().users;
    const before7 = map.get(7);
    const v = store.getState().usersVersion;
    store.getState().usersChanged({ upserted: [user(3, { roomId: 9 }), user(9001)], removed: [5] });
    const s = store.getState();
    expect(s.users).toBe(map); // no copy of the whole table
    expect(s.users.get(7)).toBe(before7);
    expect(s.users.get(3)?.roomId).toBe(9);
    expect(s.users.has(5)).toBe(false);
    expect(s.users.size).toBe(5000);
    expect(s.usersVersion).toBe(v + 1);
  });

  it('an empty delta does not bump the version (no re-render)', () => {
    const store = createConsoleStore();
    const v = store.getState().usersVersion;
    store.getState().usersChanged({ upserted: [], removed: [] });
    expect(store.getState().usersVersion).toBe(v);
  });

  it('notifies subscribers once per event, however many users it carries', () => {
    const store = createConsoleStore();
    let calls = 0;
    store.subscribe(() => calls++);
    store.getState().usersChanged({ upserted: Array.from({ length: 200 }, (_, i) => user(i)), removed: [] });
    expect(calls).toBe(1);
  });

  it('filters by text, room, guest and agent flag', () => {
    const users = new Map(
      [user(1, { roomId: 10, nickName: 'Alice' }), user(2, { guest: true }), user(3, { flags: 0x02, roomId: 10 }), user(4, { address: '10.0.0.4' })].map(
        (u) => [u.userId, u],
      ),
    );
    expect(filterUserIds(users, { ...emptyUserFilter, text: 'alice' })).toEqual([1]);
    expect(filterUserIds(users, { ...emptyUserFilter, roomId: 10 })).toEqual([1, 3]);
    expect(filterUserIds(users, { ...emptyUserFilter, roomId: -1 })).toEqual([2, 4]);
    expect(filterUserIds(users, { ...emptyUserFilter, guest: 'guest' })).toEqual([2]);
    expect(filterUserIds(users, { ...emptyUserFilter, agent: 'agent' })).toEqual([3]);
    expect(filterUserIds(users, { ...emptyUserFilter, agent: 'not-agent', guest: 'registered' })).toEqual([1, 4]);
    expect(filterUserIds(users, { ...emptyUserFilter, text: '10.0.0' })).toEqual([4]);
  });

  it('keeps user ids in ascending order as users come and go', () => {
    const store = createConsoleStore();
    const u = (userId: number) => ({
      userId,
      userName: `u${userId}`,
      nickName: '',
      level: 0,
      roomId: null,
      role: null,
      loginAt: 0,
      address: '',
      flags: 0,
      guest: false,
    });
    store.getState().usersSnapshotLoaded([u(5), u(1), u(9)]);
    store.getState().usersChanged({ upserted: [u(7), u(3), u(5)], removed: [9, 42] });
    expect(store.getState().userIds).toEqual([1, 3, 5, 7]);
    expect(filterUserIds(store.getState().users, emptyUserFilter, store.getState().userIds)).toEqual([1, 3, 5, 7]);
  });
});

describe('rooms and mics slices', () => {
  const detail = (roomId: number): RoomDetail => ({
    room: room(roomId, { userCount: 2 }),
    users: [
      { userId: 1, nickName: 'A', role: 'interactive' },
      { userId: 2, nickName: 'B', role: 'audience' },
    ],
    mic: { roomId, seats: [{ seat: 1, userId: 1, locked: false, since: 5 }], queue: [2] },
    producers: [{ producerId: 'p1', userId: 1, kind: 'video', paused: false }],
    recordings: [
      { fileId: null, recordingId: 'r1', userId: 1, roomId, fileName: 'x', flags: 3, startedAt: 1, durationSeconds: null, bytes: null, state: 'recording' },
    ],
  });

  it('loads a detail into rooms, members, mics, producers and active recordings', () => {
    const store = createConsoleStore();
    store.getState().roomDetailLoaded(detail(7));
    const s = store.getState();
    expect(s.rooms.get(7)?.userCount).toBe(2);
    expect(s.members.get(7)).toHaveLength(2);
    expect(s.mics.get(7)?.queue).toEqual([2]);
    expect(s.producers.get(7)?.[0].producerId).toBe('p1');
    expect(s.activeRecordings.get('r1')?.userId).toBe(1);
  });

  it('rooms:changed upserts one room and removes an ended one with its members and mics', () => {
    const store = createConsoleStore();
    store.getState().roomsSnapshotLoaded([room(1), room(2)]);
    store.getState().roomDetailLoaded(detail(2));
    const r1 = store.getState().rooms.get(1);
    store.getState().roomsChanged({ ...room(2), userCount: 5 });
    expect(store.getState().rooms.get(2)?.userCount).toBe(5);
    expect(store.getState().rooms.get(1)).toBe(r1);
    store.getState().roomsChanged({ ...room(2), removed: true });
    const s = store.getState();
    expect(s.rooms.has(2)).toBe(false);
    expect(s.members.has(2)).toBe(false);
    expect(s.mics.has(2)).toBe(false);
    expect(s.rooms.get(2)).toBeUndefined();
    expect('removed' in (s.rooms.get(1) ?? {})).toBe(false);
  });

  it('rooms:members and mic:changed replace one room only', () => {
    const store = createConsoleStore();
    store.getState().roomDetailLoaded(detail(1));
    store.getState().roomDetailLoaded(detail(2));
    const mic2 = store.getState().mics.get(2);
    store.getState().roomsMembers({ roomId: 1, users: [] });
    store.getState().micChanged({ roomId: 1, seats: [], queue: [9, 8] });
    expect(store.getState().members.get(1)).toEqual([]);
    expect(store.getState().mics.get(1)?.queue).toEqual([9, 8]);
    expect(store.getState().mics.get(2)).toBe(mic2);
  });

  it('searches rooms by id or name, busiest first', () => {
    const rooms = new Map([room(1, { userCount: 1 }), room(22, { name: 'Lobby', userCount: 9 }), room(3, { userCount: 4 })].map((r) => [r.roomId, r]));
    expect(filterRooms(rooms, '').map((r) => r.roomId)).toEqual([22, 3, 1]);
    expect(filterRooms(rooms, 'lob').map((r) => r.roomId)).toEqual([22]);
    expect(filterRooms(rooms, '3').map((r) => r.roomId)).toEqual([3]);
  });

  it('moves a queue item and clamps the target', () => {
    expect(moveInQueue([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moveInQueue([1, 2, 3, 4], 3, 0)).toEqual([4, 1, 2, 3]);
    expect(moveInQueue([1, 2, 3], 1, 99)).toEqual([1, 3, 2]);
    expect(moveInQueue([1, 2, 3], 5, 0)).toEqual([1, 2, 3]);
    const q = [1, 2];
    moveInQueue(q, 0, 1);
    expect(q).toEqual([1, 2]);
  });
});

describe('stats slice', () => {
  const tick = (at: number, usersOnline: number): StatsTick => ({
    at,
    usersOnline,
    roomCount: 3,
    activeCalls: 1,
    recordingsToday: 0,
    bitrate: usersOnline * 1000,
    producers: [{ producerId: 'p', userId: 1, roomId: 1, kind: 'audio', bitrate: 32000, lossRate: 0.01, rttMs: 20, audioLevel: -30 }],
    activeSpeakers: { 1: 1 },
  });

  it('starts from the dashboard snapshot and appends a point per tick, keeping 15 minutes', () => {
    const store = createConsoleStore();
    const t0 = 1_000_000_000;
    store.getState().dashboardSnapshotLoaded({
      usersOnline: 4,
      roomCount: 2,
      activeCalls: 0,
      recordingsToday: 7,
      history: [
        { at: t0 - HISTORY_WINDOW_MS + 500, usersOnline: 1, bitrate: 0 },
        { at: t0, usersOnline: 4, bitrate: 10 },
      ],
    });
    expect(store.getState().history).toHaveLength(2);
    expect(store.getState().recordingsToday).toBe(7);
    store.getState().statsTick(tick(t0 + 1000, 5));
    const s = store.getState();
    expect(s.history.map((p) => p.usersOnline)).toEqual([4, 5]);
    expect(s.usersOnline).toBe(5);
    expect(s.totalBitrate).toBe(5000);
    expect(s.quality.get('p')?.rttMs).toBe(20);
    expect(s.activeSpeakers[1]).toBe(1);
    expect(s.downlinks.size).toBe(0); // a tick without downlink estimates
    store.getState().statsTick({
      ...tick(t0 + 2000, 5),
      downlinks: [
        { transportId: 't1', userId: 2, roomId: 1, estimatedBitrate: 300_000 },
        { transportId: 't2', userId: 2, roomId: 1, estimatedBitrate: 900_000 },
      ],
    });
    expect(store.getState().downlinks.get(2)).toBe(900_000);
  });

  it('never holds more than 900 points', () => {
    const store = createConsoleStore();
    for (let i = 0; i < 1000; i++) store.getState().statsTick(tick(i * 500, i));
    expect(store.getState().history.length).toBeLessThanOrEqual(900);
    expect(store.getState().history.at(-1)?.usersOnline).toBe(999);
  });
});

describe('recordings, calls, bans and audit slices', () => {
  it('a finished recording bumps the list version and today’s count', () => {
    const store = createConsoleStore();
    const v = store.getState().recordingsListVersion;
    const entry = {
      fileId: 'f1',
      recordingId: 'r1',
      userId: 1,
      roomId: 1,
      fileName: 'a.mp4',
      flags: 3,
      startedAt: 1,
      durationSeconds: 5,
      bytes: 100,
      state: 'finished' as const,
    };
    store.getState().recordingsChanged({ active: [{ ...entry, fileId: null, state: 'recording', durationSeconds: null }] });
    expect(store.getState().activeRecordings.size).toBe(1);
    expect(store.getState().recordingsListVersion).toBe(v);
    store.getState().recordingsChanged({ active: [], finished: entry });
    expect(store.getState().activeRecordings.size).toBe(0);
    expect(store.getState().recordingsListVersion).toBe(v + 1);
    expect(store.getState().recordingsToday).toBe(1);
    store.getState().recordingPageLoaded({ items: [entry], total: 1, page: 1, pageSize: 20 });
    store.getState().recordingRenamed({ ...entry, fileName: 'b.mp4' });
    expect(store.getState().recordingPage?.items[0].fileName).toBe('b.mp4');
    store.getState().recordingDeleted('f1');
    expect(store.getState().recordingPage?.items).toEqual([]);
    expect(store.getState().recordingPage?.total).toBe(0);
  });

  it('calls:changed keeps unchanged calls’ objects and updates the counter', () => {
    const store = createConsoleStore();
    const a: ActiveCall = { callId: 'a', callerId: 1, calleeId: 2, state: 'active', roomId: 5, startedAt: 1, answeredAt: 2 };
    const b: ActiveCall = { callId: 'b', callerId: 3, calleeId: 4, state: 'requesting', roomId: null, startedAt: 3, answeredAt: null };
    store.getState().callsSnapshotLoaded([a]);
    store.getState().callsChanged({ calls: [{ ...a }, b] });
    expect(store.getState().calls.get('a')).toBe(a);
    expect(store.getState().activeCalls).toBe(2);
    store.getState().callsChanged({ calls: [b] });
    expect([...store.getState().calls.keys()]).toEqual(['b']);
  });

  it('bans:changed replaces the set', () => {
    const store = createConsoleStore();
    const ban = {
      userId: 1,
      userName: 'a',
      nickName: 'A',
      until: 10,
      reason: 'spam',
      by: 'admin',
      createdAt: 1,
      address: '10.0.0.1',
      byAddress: false,
      guest: false,
    };
    store.getState().bansChanged({ bans: [ban] });
    expect(store.getState().bans.get(1)?.reason).toBe('spam');
    store.getState().bansChanged({ bans: [] });
    expect(store.getState().bans.size).toBe(0);
  });

  it('audit keeps newest first, ignores duplicates, pages older entries in and stays bounded', () => {
    const store = createConsoleStore();
    const entry = (id: number): AuditEntry => ({
      id,
      at: id,
      operator: 'admin',
      action: 'users:kick',
      target: 'user 1',
      params: {},
      result: 'ok',
      errorCode: null,
      message: null,
    });
    store.getState().auditLoaded([entry(10), entry(9)], false, 2);
    expect(store.getState().auditHasMore).toBe(true);
    store.getState().auditAppended(entry(11));
    store.getState().auditAppended(entry(11));
    expect(store.getState().auditIds).toEqual([11, 10, 9]);
    store.getState().auditLoaded([entry(8)], true, 2);
    expect(store.getState().auditIds).toEqual([11, 10, 9, 8]);
    expect(store.getState().auditHasMore).toBe(false);
    for (let i = 12; i < 12 + AUDIT_KEEP; i++) store.getState().auditAppended(entry(i));
    expect(store.getState().auditIds).toHaveLength(AUDIT_KEEP);
    expect(store.getState().audit.size).toBe(AUDIT_KEEP);
  });
});

describe('ui slice', () => {
  it('opens a room and goes back to a page', () => {
    const store = createConsoleStore();
    store.getState().roomOpened(42);
    expect(store.getState()).toMatchObject({ page: 'rooms', roomId: 42 });
    store.getState().navigated('audit');
    expect(store.getState()).toMatchObject({ page: 'audit', roomId: null });
  });
});

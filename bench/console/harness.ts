/**
 * BENCHMARK HARNESS — NOT THE PRODUCT. Injected with `page.addInitScript` by bench/console/run.ts,
 * it defines a preload-shaped `window.anychatConsole` (one method per console call, plus `on`)
 * that answers snapshots with synthetic data and pushes a steady stream of events. It exists only
 * to load the renderer for frame-time and heap figures; no test may use it to claim product
 * behaviour.
 *
 * This function is serialised into the page: it must be self-contained (no imports, no closures).
 */
export interface HarnessOptions {
  callNames: readonly string[];
  /** The code a call outside the harness answers with (passed in: the serialised function cannot import shared/codes). */
  unavailableCode: number;
  users: number;
  rooms: number;
  eventsPerSecond: number;
}

export function installConsoleHarness(opts: HarnessOptions): void {
  type Listener = (payload: unknown) => void;
  const listeners = new Map<string, Set<Listener>>();
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload));
  const now = () => Date.now();
  const t0 = now();
  let seq = 0;
  let nextUserId = 100_000 + opts.users;

  const users = new Map<number, Record<string, unknown>>();
  const roomMembers = new Map<number, number[]>();
  const mics = new Map<number, { roomId: number; seats: { seat: number; userId: number | null; locked: boolean; since: number | null }[]; queue: number[] }>();
  const roomIdOf = (i: number) => 1 + (i % opts.rooms);
  const makeUser = (userId: number, roomId: number | null) => ({
    userId,
    userName: `user${userId}`,
    nickName: `User ${userId}`,
    level: userId % 5,
    roomId,
    role: roomId === null ? null : userId % 4 === 0 ? 'interactive' : 'audience',
    loginAt: t0 - (userId % 3600) * 1000,
    address: `10.${(userId >> 16) & 255}.${(userId >> 8) & 255}.${userId & 255}`,
    flags: userId % 17 === 0 ? 0x02 : 0,
    guest: userId % 9 === 0,
  });
  for (let i = 0; i < opts.users; i++) {
    const userId = 100_000 + i;
    const roomId = roomIdOf(i);
    users.set(userId, makeUser(userId, roomId));
    const list = roomMembers.get(roomId) ?? [];
    list.push(userId);
    roomMembers.set(roomId, list);
  }
  for (let r = 1; r <= opts.rooms; r++) {
    const members = roomMembers.get(r) ?? [];
    mics.set(r, {
      roomId: r,
      seats: [1, 2, 3, 4].map((seat) => ({ seat, userId: members[seat - 1] ?? null, locked: seat === 4 && r % 2 === 0, since: t0 })),
      queue: members.slice(4, 8),
    });
  }
  const roomSummary = (roomId: number) => ({
    roomId,
    name: `Room ${roomId}`,
    userCount: roomMembers.get(roomId)?.length ?? 0,
    capacity: 100,
    hasPassword: roomId % 7 === 0,
    seatCount: 4,
    queueLength: mics.get(roomId)?.queue.length ?? 0,
    createdAt: t0 - roomId * 60_000,
    isCallRoom: false,
  });
  const memberList = (roomId: number) =>
    (roomMembers.get(roomId) ?? []).map((userId) => {
      const u = users.get(userId)!;
      return { userId, nickName: u.nickName, role: u.role ?? 'audience' };
    });
  const producersOf = (roomId: number) =>
    (roomMembers.get(roomId) ?? []).slice(0, 4).flatMap((userId) => [
      { producerId: `a-${userId}`, userId, roomId, kind: 'audio' as const },
      { producerId: `v-${userId}`, userId, roomId, kind: 'video' as const },
    ]);

  const history: { at: number; usersOnline: number; bitrate: number }[] = [];
  for (let i = 900; i > 0; i--)
    history.push({ at: t0 - i * 1000, usersOnline: opts.users - 50 + Math.round(50 * Math.sin(i / 60)), bitrate: 4e8 + 1e8 * Math.sin(i / 90) });

  const answers: Record<string, (args: Record<string, unknown>) => unknown> = {
    'app:info': () => ({ version: 'bench', shell: 'electron', operator: 'bench', role: 'admin', startedAt: t0, sdkVersion: 'bench' }),
    'status:snapshot': () =>
      ['core', 'recorder', 'signaling', 'rooms', 'media', 'gateway'].map((component, i) => ({
        component,
        serverMessage: i < 5 ? 10 + i : null,
        state: 'up',
        errorCode: 0,
        detail: 'bench',
        since: t0,
      })),
    'dashboard:snapshot': () => ({ usersOnline: users.size, roomCount: opts.rooms, activeCalls: 3, recordingsToday: 12, history }),
    'rooms:list': () => Array.from({ length: opts.rooms }, (_, i) => roomSummary(i + 1)),
    'rooms:detail': (a) => {
      const roomId = Number(a.roomId);
      return {
        room: roomSummary(roomId),
        users: memberList(roomId),
        mic: mics.get(roomId),
        producers: producersOf(roomId).map((p) => ({ ...p, paused: false })),
        recordings: [],
      };
    },
    'users:list': () => [...users.values()],
    'calls:list': () =>
      [1, 2, 3].map((i) => ({
        callId: `call-${i}`,
        callerId: 100_000 + i,
        calleeId: 100_100 + i,
        state: 'active',
        roomId: null,
        startedAt: t0 - i * 60_000,
        answeredAt: t0 - i * 50_000,
      })),
    'bans:list': () => [
      {
        userId: 99,
        userName: 'spammer',
        nickName: 'Spammer',
        until: t0 + 3_600_000,
        reason: 'spam',
        by: 'bench',
        createdAt: t0,
        address: '10.0.0.9',
        byAddress: false,
        guest: false,
      },
    ],
    'operators:sessions': () => [{ username: 'bench', role: 'admin', address: '127.0.0.1', signedInAt: t0, lastSeenAt: t0 }],
    'operators:list': () => [],
    'audit:list': () =>
      Array.from({ length: 50 }, (_, i) => ({
        id: 50 - i,
        at: t0 - i * 60_000,
        operator: 'bench',
        action: 'users:kick',
        target: `user ${i}`,
        params: {},
        result: 'ok',
        errorCode: null,
        message: null,
      })),
    'recordings:list': () => ({ items: [], total: 0, page: 1, pageSize: 20 }),
  };

  const api: Record<string, unknown> = {
    on(event: string, listener: Listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set!.delete(listener);
    },
  };
  for (const name of opts.callNames) {
    api[name] = async (args: Record<string, unknown>) => {
      const answer = answers[name];
      if (!answer) return { ok: false, error: { code: opts.unavailableCode, message: `${name}: not in the bench harness` } };
      return { ok: true, value: answer(args ?? {}) };
    };
  }
  (globalThis as unknown as { anychatConsole: unknown }).anychatConsole = api;

  // The event pump: `eventsPerSecond` events spread over 10 ms slots, plus one stats tick a second.
  const pick = <T>(list: T[]) => list[Math.floor(Math.random() * list.length)];
  const userIds = () => [...users.keys()];
  let idsCache = userIds();
  const oneEvent = () => {
    const kind = seq++ % 10;
    if (kind < 6) {
      // user joins, leaves or moves rooms
      if (kind < 2 && users.size < opts.users + 200) {
        const userId = nextUserId++;
        const roomId = 1 + Math.floor(Math.random() * opts.rooms);
        const u = makeUser(userId, roomId);
        users.set(userId, u);
        roomMembers.get(roomId)!.push(userId);
        idsCache.push(userId);
        emit('users:changed', { upserted: [u], removed: [] });
        emit('rooms:changed', roomSummary(roomId));
        emit('rooms:members', { roomId, users: memberList(roomId) });
      } else if (kind < 4) {
        const userId = pick(idsCache);
        const u = users.get(userId);
        if (!u) return;
        users.delete(userId);
        idsCache = idsCache.filter((id) => id !== userId);
        const roomId = u.roomId as number;
        roomMembers.set(
          roomId,
          (roomMembers.get(roomId) ?? []).filter((id) => id !== userId),
        );
        emit('users:changed', { upserted: [], removed: [userId] });
        emit('rooms:changed', roomSummary(roomId));
        emit('rooms:members', { roomId, users: memberList(roomId) });
      } else {
        const userId = pick(idsCache);
        const u = users.get(userId);
        if (!u) return;
        const next = { ...u, role: u.role === 'interactive' ? 'audience' : 'interactive' };
        users.set(userId, next);
        emit('users:changed', { upserted: [next], removed: [] });
      }
    } else {
      const roomId = 1 + Math.floor(Math.random() * Math.min(opts.rooms, 20));
      const mic = mics.get(roomId)!;
      const queue = mic.queue.length > 1 ? [...mic.queue.slice(1), mic.queue[0]] : mic.queue;
      const next = { ...mic, queue, seats: mic.seats.map((s) => (s.seat === 4 ? { ...s, locked: !s.locked } : s)) };
      mics.set(roomId, next);
      emit('mic:changed', next);
    }
  };
  let carry = 0;
  setInterval(() => {
    carry += opts.eventsPerSecond / 100;
    while (carry >= 1) {
      carry -= 1;
      oneEvent();
    }
  }, 10);
  setInterval(() => {
    const producers = [1, 2, 3].flatMap((roomId) =>
      producersOf(roomId).map((p) => ({
        ...p,
        bitrate: p.kind === 'video' ? 8e5 + Math.random() * 2e5 : 3.2e4,
        lossRate: Math.random() * 0.03,
        rttMs: 20 + Math.round(Math.random() * 80),
        audioLevel: p.kind === 'audio' ? -30 : null,
      })),
    );
    const speakers: Record<number, number> = {};
    for (const roomId of [1, 2, 3]) speakers[roomId] = pick(roomMembers.get(roomId)!.slice(0, 4));
    emit('stats:tick', {
      at: now(),
      usersOnline: users.size,
      roomCount: opts.rooms,
      activeCalls: 3,
      bitrate: 4e8 + Math.random() * 1e8,
      producers,
      activeSpeakers: speakers,
    });
  }, 1000);
}

import { describe, expect, it } from 'vitest';
import { Codes } from '../../shared/codes';
import type { AuditEntry, CallArgs, CallName, CallResult, UserDetail } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';
import type { ConsoleClient } from '../api/consoleClient';
import { AUDIT_PAGE } from './auditSlice';
import { createConsoleStore } from './store';

/** A console client whose calls wait until the test answers them, in any order. */
function answeringClient() {
  const pending: { name: CallName; args: unknown; answer: (r: Result<unknown>) => void }[] = [];
  const client: ConsoleClient = {
    shell: 'web',
    call<K extends CallName>(name: K, args: CallArgs<K>): Promise<Result<CallResult<K>>> {
      return new Promise((resolve) => pending.push({ name, args, answer: resolve as (r: Result<unknown>) => void }));
    },
    on: () => () => undefined,
    onDisconnect: () => () => undefined,
    close: () => undefined,
  };
  return { client, pending };
}

const detail = (userName: string): UserDetail => ({
  user: null,
  userName,
  nickName: userName,
  level: 0,
  address: '127.0.0.1',
  lastLoginAt: null,
  lastLogoutAt: null,
  info: {},
  friends: [],
  groups: [],
  ban: null,
});

const auditEntry = (id: number): AuditEntry => ({
  id,
  at: id,
  operator: 'admin',
  action: 'users:kick',
  target: `user ${id}`,
  params: {},
  result: 'ok',
  errorCode: null,
  message: null,
});

describe('detail reads as slice actions', () => {
  it('fetchUserDetail: only the newest read lands, even when an older answer comes last', async () => {
    const c = answeringClient();
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    const first = store.getState().fetchUserDetail(1001);
    const second = store.getState().fetchUserDetail(1002);
    expect(store.getState().userDetailRead).toEqual({ key: 1002, loading: true, error: null });
    c.pending[1].answer({ ok: true, value: detail('bob') });
    await second;
    c.pending[0].answer({ ok: true, value: detail('alice') });
    await first;
    expect(store.getState().userDetailRead).toEqual({ key: 1002, loading: false, error: null });
    expect(store.getState().userDetail?.userName).toBe('bob');
  });

  it('fetchRoomDetail: a refused read keeps its error in the store', async () => {
    const c = answeringClient();
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    const read = store.getState().fetchRoomDetail(7);
    expect(c.pending[0]).toMatchObject({ name: 'rooms:detail', args: { roomId: 7 } });
    c.pending[0].answer({ ok: false, error: { code: Codes.ROOM_NOT_FOUND, message: 'room 7 not found' } });
    await read;
    expect(store.getState().roomDetailRead).toEqual({ key: 7, loading: false, error: { code: Codes.ROOM_NOT_FOUND, message: 'room 7 not found' } });
    expect(store.getState().rooms.has(7)).toBe(false);
  });

  it('fetchRecordingPage reads the current query; an error is kept until a good read', async () => {
    const c = answeringClient();
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    store.getState().recordingQueryChanged({ page: 2, pageSize: 10 });
    const bad = store.getState().fetchRecordingPage();
    c.pending[0].answer({ ok: false, error: { code: Codes.UNAVAILABLE, message: 'down' } });
    await bad;
    expect(store.getState().recordingPageError?.code).toBe(Codes.UNAVAILABLE);
    const good = store.getState().fetchRecordingPage();
    expect(c.pending[1].args).toEqual({ page: 2, pageSize: 10 });
    c.pending[1].answer({ ok: true, value: { items: [], total: 0, page: 2, pageSize: 10 } });
    await good;
    expect(store.getState().recordingPageError).toBeNull();
    expect(store.getState().recordingPage?.page).toBe(2);
  });

  it('fetchOlderAudit reads the page before the oldest entry, once at a time', async () => {
    const c = answeringClient();
    const store = createConsoleStore();
    store.getState().sessionStarted('admin', c.client);
    store.getState().auditLoaded([auditEntry(300), auditEntry(200)], false, AUDIT_PAGE);
    const read = store.getState().fetchOlderAudit();
    void store.getState().fetchOlderAudit(); // ignored while the first runs
    expect(c.pending).toHaveLength(1);
    expect(c.pending[0].args).toEqual({ limit: AUDIT_PAGE, beforeId: 200 });
    expect(store.getState().auditOlderLoading).toBe(true);
    c.pending[0].answer({ ok: true, value: [auditEntry(100)] });
    await read;
    expect(store.getState().auditIds).toEqual([300, 200, 100]);
    expect(store.getState().auditOlderLoading).toBe(false);
    expect(store.getState().auditHasMore).toBe(false);
  });
});

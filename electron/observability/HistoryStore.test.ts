import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../config/loadConfig';
import { openDatabase, runMigrations } from '../store/Database';
import { AlertBook } from './AlertBook';
import { toCsv } from './csv';
import { historyMigrations } from './historyMigrations';
import { HistoryStore } from './HistoryStore';
import { SignalingCodes } from '../../shared/codes';

const DAY = 86_400_000;

function store(now: { t: number }, retentionDays = 30) {
  const db = openDatabase(mkdtempSync(path.join(os.tmpdir(), 'anychat-hist-')));
  runMigrations(db, historyMigrations);
  return { db, h: new HistoryStore(db, { retentionDays, qualityRetentionHours: 24, now: () => now.t, flushMs: 60_000 }) };
}

const session = (userId: number, loginAt: number, logoutAt: number) => ({
  userId,
  userName: `user${userId}`,
  nickName: `User ${userId}`,
  loginAt,
  logoutAt,
  reason: 0,
  address: '192.0.2.1',
  client: 'Chrome 140 / Linux',
});

describe('history retention', () => {
  it('keeps 30 days by default; the retention is configurable', () => {
    expect(validateConfig({}).history).toMatchObject({ retentionDays: 30, qualityRetentionHours: 24, enabled: true });
    expect(validateConfig({ history: { retentionDays: 7 } }).history.retentionDays).toBe(7);
    expect(() => validateConfig({ history: { retentionDays: 0 } })).toThrow(/history\.retentionDays/);
  });

  it('sweeps sessions, rooms, calls and timeline rows older than the retention, quality points older than 24 h', () => {
    const now = { t: Date.UTC(2026, 10, 29, 12) };
    const { h } = store(now);
    h.addSession(session(1, now.t - 31 * DAY, now.t - 31 * DAY + 60_000));
    h.addSession(session(2, now.t - 29 * DAY, now.t - 29 * DAY + 60_000));
    h.addSession(session(3, now.t - 3600_000, now.t - 60_000));
    h.addRoom({ roomId: 9, name: 'old', startedAt: now.t - 40 * DAY, endedAt: now.t - 40 * DAY + 1000, peakUsers: 2, members: [1, 2] });
    h.addRoom({ roomId: 10, name: 'new', startedAt: now.t - DAY, endedAt: now.t - DAY + 1000, peakUsers: 3, members: [1, 3] });
    h.addCall({
      callerId: 1,
      calleeId: 2,
      requestedAt: now.t - 35 * DAY,
      answeredAt: null,
      endedAt: now.t - 35 * DAY + 5000,
      outcome: 'timeout',
      endedBy: 0,
      endCode: SignalingCodes.CALL_TIMEOUT,
    });
    h.addEvent(10, 'join', 1, '', now.t - 31 * DAY);
    h.addEvent(10, 'join', 3, '', now.t - DAY);
    h.addQuality({ at: now.t - 25 * 3600_000, userId: 1, roomId: 10, bitrateUp: 1, bitrateDown: 0, loss: 0, rttMs: null, jitterMs: null });
    h.addQuality({ at: now.t - 3600_000, userId: 1, roomId: 10, bitrateUp: 2, bitrateDown: 0, loss: 0, rttMs: 20, jitterMs: 3 });
    h.flush();
    expect(h.sweep(true)).toEqual({ history: 4, quality: 1 });
    expect(h.sessions({}).rows.map((r) => r.userId)).toEqual([3, 2]);
    expect(h.rooms({}).rows.map((r) => r.roomId)).toEqual([10]);
    expect(h.calls({}).total).toBe(0);
    expect(h.timeline(10).map((e) => e.userId)).toEqual([3]);
    expect(h.quality({ userId: 1 }, 0).map((p) => p.bitrateUp)).toEqual([2]);
    h.close();
  });

  it('searches by user, room member and time range; ringing vs talking time of calls', () => {
    const now = { t: Date.UTC(2026, 10, 29, 12) };
    const { h } = store(now);
    h.addSession(session(1, now.t - 10 * 60_000, now.t - 5 * 60_000));
    h.addSession(session(2, now.t - 8 * 60_000, now.t - 2 * 60_000));
    h.addRoom({ roomId: 10, name: 'r', startedAt: now.t - 9 * 60_000, endedAt: now.t - 60_000, peakUsers: 2, members: [1, 2] });
    h.addCall({
      callerId: 1,
      calleeId: 2,
      requestedAt: now.t - 7 * 60_000,
      answeredAt: now.t - 7 * 60_000 + 4000,
      endedAt: now.t - 6 * 60_000,
      outcome: 'answered',
      endedBy: 2,
      endCode: 0,
    });
    expect(h.sessions({ userName: 'USER1' }).rows.map((r) => r.userId)).toEqual([1]);
    expect(h.sessions({ from: now.t - 4 * 60_000 }).rows.map((r) => r.userId)).toEqual([2]);
    expect(h.sessions({ to: now.t - 9 * 60_000 }).rows.map((r) => r.userId)).toEqual([1]);
    expect(h.sessions({ userName: '%' }).total).toBe(0);
    expect(h.rooms({ userId: 2 }).rows).toHaveLength(1);
    expect(h.rooms({ userId: 3 }).rows).toHaveLength(0);
    const [call] = h.calls({ userId: 2 }).rows;
    expect(call).toMatchObject({ ringingMs: 4000, talkingMs: 56_000, endedBy: 2, outcome: 'answered' });
    const csv = h.exportCsv('calls', {}, { sessions: [], rooms: [] }).csv.split('\r\n');
    expect(csv[1]).toMatch(/^1,2,.*,4,56,answered,2,0$/);
    h.close();
  });
});

describe('csv', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', '=HYPERLINK("z")'],
          [1, null],
        ],
      ),
    ).toBe('a,b\r\n"x,y","\'=HYPERLINK(""z"")"\r\n1,\r\n');
  });
});

describe('alert rules', () => {
  it('loss over the threshold for the configured time alerts once per episode; dead webhooks and worker restarts alert', () => {
    const { db } = store({ t: Date.now() });
    const book = new AlertBook(db, { lossThreshold: 0.1, lossSeconds: 3, diskLowMb: 0, keep: 100 });
    const raised: string[] = [];
    book.on('raised', (a) => raised.push(`${a.rule}:${a.subject}`));
    const sample = (at: number, loss: number) =>
      book.onSample({
        at,
        points: [{ at, userId: 7, roomId: 1, bitrateUp: 1, bitrateDown: 0, loss, rttMs: null, jitterMs: null }],
        producers: 1,
        consumers: 0,
        forwardedPacketsPerSecond: 0,
      });
    for (let s = 0; s < 3; s++) sample(s * 1000, 0.3);
    expect(raised).toEqual([]);
    sample(3000, 0.3);
    sample(4000, 0.3);
    expect(raised).toEqual(['user-loss:user 7']);
    sample(5000, 0.02); // recovers: a new episode may alert again
    for (let s = 6; s <= 9; s++) sample(s * 1000, 0.5);
    expect(raised).toHaveLength(2);
    book.onOutboxDepth([{ appId: 'A', dead: 0 }]);
    book.onOutboxDepth([{ appId: 'A', dead: 2 }]);
    book.onWorkerRestarted(1, 'crashed');
    expect(raised.slice(2)).toEqual(['webhook-dead:app A', 'worker-restart:worker 1']);
    expect(book.list().map((a) => a.acknowledged)).toEqual([false, false, false, false]);
    expect(book.acknowledge()).toBe(4);
    expect(book.list()[0].acknowledged).toBe(true);
  });
});

describe('disk-low rule', () => {
  it('alerts once while free space is under the limit, and again only after it recovered', async () => {
    const { db } = store({ t: Date.now() });
    const dir = os.tmpdir();
    const huge = new AlertBook(db, { lossThreshold: 0.1, lossSeconds: 30, diskLowMb: 1e12, keep: 100 });
    const raised: string[] = [];
    huge.on('raised', (a) => raised.push(a.rule));
    const free = await huge.checkDisk(dir);
    expect(free).toBeGreaterThan(0);
    await huge.checkDisk(dir);
    expect(raised).toEqual(['disk-low']);
    const none = new AlertBook(db, { lossThreshold: 0.1, lossSeconds: 30, diskLowMb: 0, keep: 100 });
    none.on('raised', (a) => raised.push(a.rule));
    await none.checkDisk(dir);
    expect(raised).toEqual(['disk-low']);
  });
});

describe('a store that refuses writes', () => {
  it('drops the batch, reports once, never throws from the timer path; alerts are still raised', () => {
    const now = { t: Date.now() };
    const { db, h } = store(now);
    const errors: string[] = [];
    const h2 = new HistoryStore(db, {
      retentionDays: 30,
      qualityRetentionHours: 24,
      now: () => now.t,
      flushMs: 60_000,
      onError: (_e, what) => errors.push(what),
    });
    const book = new AlertBook(db, { lossThreshold: 0.1, lossSeconds: 30, diskLowMb: 0, keep: 100 });
    const raised: number[] = [];
    book.on('raised', (a) => raised.push(a.id));
    h.close();
    db.close();
    h2.addSession(session(1, now.t - 1000, now.t));
    h2.addSession(session(2, now.t - 1000, now.t));
    expect(() => h2.close()).not.toThrow();
    expect(errors).toEqual(['write']);
    book.onWorkerRestarted(1, 'crashed');
    expect(raised).toHaveLength(1);
  });
});

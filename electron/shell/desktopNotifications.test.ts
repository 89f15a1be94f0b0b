import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AlertBook } from '../observability/AlertBook';
import { historyMigrations } from '../observability/historyMigrations';
import { openDatabase, runMigrations } from '../store/Database';
import { DesktopNotifier, type DesktopNotice } from './desktopNotifications';

function rig() {
  const db = openDatabase(mkdtempSync(path.join(os.tmpdir(), 'notify-')));
  runMigrations(db, historyMigrations);
  const book = new AlertBook(db, { lossThreshold: 0.1, lossSeconds: 30, diskLowMb: 512, keep: 100 });
  const clock = { now: 0 };
  const seen: DesktopNotice[] = [];
  const notifier = new DesktopNotifier((n) => seen.push(n), { throttleMs: 1000, now: () => clock.now });
  book.on('raised', (a) => notifier.onAlert(a));
  return { book, clock, seen };
}

describe('desktop notifications from the core alerts', () => {
  it('a worker restart and a failed recording each notify once, throttled per rule', () => {
    const { book, clock, seen } = rig();
    book.onWorkerRestarted(2, 'SIGSEGV');
    book.onWorkerRestarted(3, 'again');
    book.onRecordingFailed('rec-1', 'ffmpeg exited 1');
    expect(seen.map((n) => n.kind)).toEqual(['worker-restart', 'recording-failed']);
    expect(seen[0].title).toMatch(/worker 2 restarted/i);
    expect(seen[1].body).toContain('ffmpeg exited 1');
    clock.now = 1500;
    book.onWorkerRestarted(3, 'again');
    expect(seen.map((n) => n.kind)).toEqual(['worker-restart', 'recording-failed', 'worker-restart']);
  });

  it('dead webhook notices notify when an app’s dead count grows, not for those already dead', () => {
    const { book, seen } = rig();
    book.onOutboxDepth([{ appId: 'A', dead: 3 }]);
    expect(seen).toEqual([]);
    book.onOutboxDepth([{ appId: 'A', dead: 5 }]);
    expect(seen.map((n) => n.kind)).toEqual(['webhook-dead']);
  });
});

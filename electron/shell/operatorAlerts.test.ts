import { statfs } from 'node:fs/promises';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../core/TypedEmitter';
import { isDiskLow, OperatorAlerts, type OperatorAlert } from './operatorAlerts';

interface Events {
  workerdied: { workerId: number; error: Error };
  recordingerror: { recordingId: string; error: Error };
  changed: { appId: string };
}

function rig(opts: { dead?: number; disk?: { free: number; total: number } | null } = {}) {
  const media = new TypedEmitter<Events>();
  const state = { dead: opts.dead ?? 0, disk: opts.disk ?? null, now: 0 };
  const seen: OperatorAlert[] = [];
  const alerts = new OperatorAlerts(
    {
      onWorkerDied: (l) => media.on('workerdied', l),
      onRecordingFailed: (l) => media.on('recordingerror', l),
      onOutboxChanged: (l) => media.on('changed', () => l()),
      deadNotices: () => state.dead,
      diskSpace: async () => state.disk,
    },
    (a) => seen.push(a),
    { throttleMs: 1000, diskCheckMs: 3_600_000, now: () => state.now },
  );
  return { media, state, seen, alerts };
}

describe('operator alerts', () => {
  it('a worker crash and a failed recording each raise one notification, throttled per kind', () => {
    const { media, state, seen, alerts } = rig();
    alerts.start();
    media.emit('workerdied', { workerId: 2, error: new Error('SIGSEGV') });
    media.emit('workerdied', { workerId: 3, error: new Error('again') });
    media.emit('recordingerror', { recordingId: 'r1', error: new Error('ffmpeg exited 1') });
    expect(seen.map((a) => a.kind)).toEqual(['workerCrashed', 'recordingFailed']);
    expect(seen[0].body).toContain('Worker 2');
    expect(seen[1].body).toContain('ffmpeg exited 1');
    state.now = 1500;
    media.emit('workerdied', { workerId: 4, error: new Error('later') });
    expect(seen.map((a) => a.kind)).toEqual(['workerCrashed', 'recordingFailed', 'workerCrashed']);
    alerts.stop();
    media.emit('recordingerror', { recordingId: 'r2', error: new Error('after stop') });
    expect(seen).toHaveLength(3);
  });

  it('only notices that went dead during this run alert', () => {
    const { media, state, seen, alerts } = rig({ dead: 5 });
    alerts.start();
    media.emit('changed', { appId: 'A' });
    expect(seen).toEqual([]);
    state.dead = 7;
    media.emit('changed', { appId: 'A' });
    expect(seen).toHaveLength(1);
    expect(seen[0].body).toMatch(/^2 notices gave up .*7 dead/);
    alerts.stop();
  });

  it('disk low alerts once on the way down', async () => {
    const { state, seen, alerts } = rig({ disk: { free: 50 * 1024 ** 3, total: 100 * 1024 ** 3 } });
    await alerts.checkDisk();
    expect(seen).toEqual([]);
    state.disk = { free: 512 * 1024 ** 2, total: 100 * 1024 ** 3 };
    await alerts.checkDisk();
    state.now = 5000;
    await alerts.checkDisk();
    expect(seen.map((a) => a.kind)).toEqual(['diskLow']);
    expect(seen[0].body).toMatch(/^0\.5 GiB free of 100\.0 GiB/);
  });

  it('low means under 1 GiB or under 5 %, measured on a real filesystem', async () => {
    expect(isDiskLow({ free: 10 * 1024 ** 3, total: 100 * 1024 ** 3 })).toBe(false);
    expect(isDiskLow({ free: 2 * 1024 ** 3, total: 10 * 1024 ** 3 })).toBe(false);
    expect(isDiskLow({ free: 4 * 1024 ** 3, total: 100 * 1024 ** 3 })).toBe(true);
    expect(isDiskLow({ free: 0.9 * 1024 ** 3, total: 2 * 1024 ** 3 })).toBe(true);
    const s = await statfs(os.tmpdir());
    expect(s.bavail * s.bsize).toBeGreaterThan(0);
  });
});

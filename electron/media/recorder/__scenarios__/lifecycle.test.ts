/**
 * Recording journeys on the real stack: a recording ends with its user (logout → finished,
 * indexed, announced with its code; a later stop for the offline user succeeds), 0x2000 names the
 * file from userStr, 0x400 takes a decodable JPEG listed as file type 2, 0x800 decides whether the
 * client is told, a host stop finishes and announces what is recording, and a full disk (a tmpfs
 * the test mounts) ends only that recording, with an error event and notice, the store intact.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SignalingCodes } from '../../../../shared/codes';
import type { SdkEvents } from '../../../sdk';
import { FfmpegRtpSource, relayTo } from '../../testing/FfmpegRtpSource';
import { sleep, waitFor } from '../../testing/NodePeer';
import { decodeErrors, hasFfmpegTools, probe, toneLevelDb } from '../fileChecks';
import { startRecordingStack, SyntheticSender, VP8_PT, type RecordingStack } from './recordingStack';

let stack: RecordingStack | undefined;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await stack?.close();
  stack = undefined;
});

const finishedEvents = (s: RecordingStack) => {
  const list: SdkEvents['recordingFinished'][] = [];
  s.sdk.on('recordingFinished', (e) => void list.push(e));
  return list;
};

describe('recording lifecycle', () => {
  it('logout ends the recording: finished, indexed, announced; 0x2000 file name; a later stop for the offline user succeeds', async () => {
    const s = (stack = await startRecordingStack({ rtcPorts: [45200, 45260] }));
    const finished = finishedEvents(s);
    const alice = await s.login('alice');
    const pub = await s.publish(alice, 1001, 31);
    const sender = new SyntheticSender(pub.peer, 1001);
    sender.start();
    cleanups.push(() => sender.stop());
    const told: string[] = [];
    alice.on('recordingStarted', () => void told.push('started'));
    await s.sdk.streamRecordCtrl(1001, true, 0x3 | 0x2000, 7, 'case 42/../alice');
    await sleep(1500);
    await alice.logout();
    await waitFor(() => finished.length === 1, 10_000, 'recordingFinished after logout');
    expect(finished[0]).toMatchObject({ userId: 1001, errorCode: SignalingCodes.RECORDING_USER_LEFT, param: 7, userStr: 'case 42/../alice' });
    expect(path.basename(finished[0].fileName)).toBe('case_42_alice.webm');
    expect(path.dirname(finished[0].fileName)).toBe(s.recordingsDir);
    expect(
      probe(finished[0].fileName)
        .streams.map((x) => x.codec_type)
        .sort(),
    ).toEqual(['audio', 'video']);
    expect(finished[0].elapseSeconds).toBeGreaterThanOrEqual(1);
    // indexed (file type 1) and announced with its code
    const indexed = await s.platform.files.query({
      fromMs: 0,
      toMs: Date.now() + 1000,
      typeMask: 1,
      userId: 1001,
      exactName: true,
      fileName: 'case_42_alice.webm',
      offset: 0,
      limit: 5,
    });
    expect(indexed.total).toBe(1);
    expect(indexed.files[0].fileLength).toBe(statSync(finished[0].fileName).size);
    await waitFor(() => s.notices('recordsnapshot_notify').length === 1, 10_000, 'recordsnapshot_notify');
    expect(s.notices('recordsnapshot_notify')[0]).toMatchObject({
      userid: 1001,
      errorcode: SignalingCodes.RECORDING_USER_LEFT,
      recordid: indexed.files[0].fileId,
    });
    // the business server's stop arrives after the logout: it is not refused
    await expect(s.sdk.streamRecordCtrl(1001, false)).resolves.toBeUndefined();
    expect(told).toEqual([]); // no 0x800: the client is not told
    expect(finished).toHaveLength(1);
  }, 30_000);

  it('0x800 tells the recorded client; a host stop finishes, indexes and announces the recording', async () => {
    const s = (stack = await startRecordingStack({ rtcPorts: [45270, 45330] }));
    const finished = finishedEvents(s);
    const bob = await s.login('bob');
    const pub = await s.publish(bob, 1002, 32);
    const sender = new SyntheticSender(pub.peer, 1002);
    sender.start();
    cleanups.push(() => sender.stop());
    const started = bob.next('recordingStarted');
    await s.sdk.streamRecordCtrl(1002, true, 0x803, 0, '');
    expect(await started).toEqual({ userId: 1002 });
    await sleep(1200);
    const stopped = bob.next('recordingStopped');
    await s.signaling.finishRecordings(); // what the host does first on SIGTERM
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ userId: 1002, errorCode: SignalingCodes.RECORDING_HOST_STOPPED });
    expect((await stopped).errorCode).toBe(SignalingCodes.RECORDING_HOST_STOPPED);
    expect(existsSync(finished[0].fileName)).toBe(true);
    expect(existsSync(`${finished[0].fileName}.part`)).toBe(false);
    await waitFor(() => s.notices('recordsnapshot_notify').length === 1, 10_000, 'recordsnapshot_notify');
    expect((await s.platform.files.query({ fromMs: 0, toMs: Date.now() + 1000, typeMask: 1, userId: 1002, exactName: false, offset: 0, limit: 5 })).total).toBe(
      1,
    );
  }, 30_000);

  it.skipIf(!hasFfmpegTools)(
    '0x400 snapshot: a decodable JPEG, indexed as file type 2 (what filelist_get lists)',
    async () => {
      const s = (stack = await startRecordingStack({ rtcPorts: [45340, 45400] }));
      const finished = finishedEvents(s);
      const carol = await s.login('carol');
      const pub = await s.publish(carol, 1003, 33);
      const src = await FfmpegRtpSource.start({
        seconds: 20,
        onPacket: (k) => {
          if (k.kind === 'video')
            void pub.peer
              .sendRtp({ ssrc: 6000 + 1003, payloadType: VP8_PT, sequenceNumber: k.seq, timestamp: k.timestamp, marker: k.marker }, k.payload)
              .catch(() => undefined);
        },
      });
      cleanups.push(() => src.stop());
      await sleep(300);
      await s.sdk.streamRecordCtrl(1003, true, 0x400 | 0x2000, 0, 'face-check');
      await waitFor(() => finished.length === 1, 10_000, 'snapshot finished');
      const snap = finished[0];
      expect(snap.errorCode).toBe(0);
      expect(path.basename(snap.fileName)).toBe('face-check.jpg');
      const jpeg = readFileSync(snap.fileName);
      expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
      const info = JSON.parse(
        execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'json', snap.fileName], { encoding: 'utf8' }),
      );
      expect(info.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
      expect(spawnSync('ffmpeg', ['-v', 'error', '-i', snap.fileName, '-f', 'null', '-'], { encoding: 'utf8' }).stderr.trim()).toBe('');
      const listed = await s.platform.files.query({ fromMs: 0, toMs: Date.now() + 1000, typeMask: 2, userId: 1003, exactName: false, offset: 0, limit: 5 });
      expect(listed.files.map((f) => f.fileName)).toEqual(['face-check.jpg']);
      expect(
        (await s.platform.files.query({ fromMs: 0, toMs: Date.now() + 1000, typeMask: 1, userId: 1003, exactName: false, offset: 0, limit: 5 })).total,
      ).toBe(0);
    },
    30_000,
  );
});

describe.skipIf(!hasFfmpegTools)('mixed recordings', () => {
  it('0x200 stereo + 0x100 side by side: the recorded user left, the other on the right, videos abreast', async () => {
    const s = (stack = await startRecordingStack({ rtcPorts: [45480, 45540] }));
    const finished = finishedEvents(s);
    const tones = { 1001: 500, 1002: 2000 } as Record<number, number>;
    for (const [name, uid] of [
      ['alice', 1001],
      ['bob', 1002],
    ] as const) {
      const c = await s.login(name);
      const pub = await s.publish(c, uid, 35);
      const src = await FfmpegRtpSource.start({
        seconds: 30,
        toneHz: tones[uid],
        width: 160,
        height: 120,
        fps: 15,
        onPacket: relayTo(pub.peer, { audio: 5000 + uid, video: 6000 + uid }, { audio: 111, video: VP8_PT }),
      });
      cleanups.push(() => src.stop());
    }
    await sleep(1000);
    await s.sdk.streamRecordCtrl(1001, true, 0x3 | 0x100 | 0x200, 0, '');
    await sleep(5000);
    await s.sdk.streamRecordCtrl(1001, false);
    await waitFor(() => finished.length === 1, 60_000, 'mixed recording finished');
    expect(finished[0]).toMatchObject({ userId: 1001, errorCode: 0, kind: 'mixed' });
    const file = finished[0].fileName;
    expect(decodeErrors(file)).toBe('');
    const info = probe(file);
    expect(info.streams.find((x) => x.codec_type === 'video')).toMatchObject({ width: 640, height: 480 });
    expect(info.streams.find((x) => x.codec_type === 'audio')).toMatchObject({ channels: 2 });
    const l500 = toneLevelDb(file, 500, 0);
    const r500 = toneLevelDb(file, 500, 1);
    const l2k = toneLevelDb(file, 2000, 0);
    const r2k = toneLevelDb(file, 2000, 1);
    console.log(`stereo: 500 Hz L ${l500.toFixed(1)} / R ${r500.toFixed(1)} dB; 2000 Hz L ${l2k.toFixed(1)} / R ${r2k.toFixed(1)} dB`);
    expect(l500).toBeGreaterThan(r500 + 15); // alice (recorded) on the left
    expect(r2k).toBeGreaterThan(l2k + 15); // bob on the right
  }, 120_000);
});

/** Mounts a small tmpfs (root only); null with the reason when not permitted. */
function mountTmpfs(sizeKb: number): { dir: string; unmount: () => void } | string {
  if (process.platform !== 'linux') return 'tmpfs mounts need Linux';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rec-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) return `mount -t tmpfs not permitted here: ${(r.stderr || r.error?.message || '').trim()}`;
  return { dir, unmount: () => void spawnSync('umount', ['-l', dir]) };
}

describe('disk full', () => {
  const mounted = mountTmpfs(256);
  const reason = typeof mounted === 'string' ? mounted : null;
  it.skipIf(reason !== null)(
    `stops only that recording, with an error event and notice; host alive, store intact${reason ? ` (skipped: ${reason})` : ''}`,
    async () => {
      const m = mounted as { dir: string; unmount: () => void };
      cleanups.push(m.unmount);
      const s = (stack = await startRecordingStack({ rtcPorts: [45410, 45470], recordingsDir: m.dir }));
      const finished = finishedEvents(s);
      const dave = await s.login('dave');
      const pub = await s.publish(dave, 1004, 34);
      const sender = new SyntheticSender(pub.peer, 1004, 1100); // ~35 KB/s: 256 KB fill in a few seconds
      sender.start();
      cleanups.push(() => sender.stop());
      await s.sdk.streamRecordCtrl(1004, true, 0x3, 0, 'full');
      await waitFor(() => finished.length === 1, 30_000, 'the recording ends on the full disk');
      expect(finished[0]).toMatchObject({ userId: 1004, errorCode: SignalingCodes.RECORDING_DISK_FULL });
      await waitFor(() => s.notices('recordsnapshot_notify').length === 1, 10_000, 'recordsnapshot_notify');
      expect(s.notices('recordsnapshot_notify')[0]).toMatchObject({ userid: 1004, errorcode: SignalingCodes.RECORDING_DISK_FULL });
      // the host is alive: another user logs in and the same user can be recorded again (elsewhere it would fit)
      const alice = await s.login('alice');
      expect(alice.isOpen).toBe(true);
      await expect(s.sdk.streamRecordCtrl(1004, false)).resolves.toBeUndefined();
      // the store is intact
      expect(s.db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      expect(
        (await s.platform.files.query({ fromMs: 0, toMs: Date.now() + 1000, typeMask: 1, userId: 1004, exactName: false, offset: 0, limit: 5 })).total,
      ).toBeLessThanOrEqual(1);
    },
    60_000,
  );
});

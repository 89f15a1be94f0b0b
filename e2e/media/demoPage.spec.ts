/**
 * The media node end to end through the real demo client page (`/demo/`, mediasoup-client), not a
 * harness: alice publishes camera + microphone, bob consumes both (video decodes, audio packets
 * arrive); alice mutes only the microphone (producer pause) and bob's audio stops while her video
 * goes on; a 5-second server recording of alice is a file ffprobe reads as one audio + one video
 * stream of 4–6 s; alice leaves and bob gets `producerClosed` for both of her producers.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test, type Page } from '@playwright/test';
import { audioPacketsFrom, ConsoleSession, demoState, enterRoom, framesFrom, signedInDemo } from '../fixtures/demoPage';
import { hostPerFile } from '../fixtures/host';

const base = hostPerFile();
const ALICE = 1001;
/** Record audio (0x1) + video (0x2); the console adds the server-side flag. */
const RECORD_AUDIO_VIDEO = 0x3;

/** Numbers worth reading in the report (test annotations). */
const note = (type: string, value: unknown) => test.info().annotations.push({ type, description: JSON.stringify(value) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Audio packets from alice gained on `bob` over `ms`. */
async function audioGrowth(bob: Page, ms: number): Promise<{ from: number; gained: number }> {
  const from = await audioPacketsFrom(bob, ALICE);
  await sleep(ms);
  return { from, gained: (await audioPacketsFrom(bob, ALICE)) - from };
}

async function ffprobe(file: string): Promise<{ streams: { codec_type: string }[]; format: { duration: string } }> {
  const { stdout } = await promisify(execFile)('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'stream=codec_type',
    '-show_entries',
    'format=duration',
    '-of',
    'json',
    file,
  ]);
  return JSON.parse(stdout) as { streams: { codec_type: string }[]; format: { duration: string } };
}

test('publish, consume, mute the mic, record and leave through the demo page', async ({ browser }) => {
  test.setTimeout(60_000);
  const room = `demo-media-${Date.now()}`;
  const alice = await signedInDemo(browser, base(), 'alice', 'alice-pw');
  const bob = await signedInDemo(browser, base(), 'bob', 'bob-pw');
  const roomId = await enterRoom(alice, room, 'interactive');
  expect(await enterRoom(bob, room, 'interactive')).toBe(roomId);

  // A publishes camera + microphone; within 10 s B decodes > 30 frames and receives audio.
  await alice.getByTestId('camera').click();
  const started = Date.now();
  await expect(alice.getByTestId('micMute')).toHaveAttribute('data-state', 'live');
  await expect.poll(() => framesFrom(bob, ALICE), { timeout: 10_000 }).toBeGreaterThan(30);
  await expect.poll(() => audioPacketsFrom(bob, ALICE), { timeout: Math.max(1, 10_000 - (Date.now() - started)) }).toBeGreaterThan(0);
  const reachedMs = Date.now() - started;
  const firstFrames = await framesFrom(bob, ALICE);
  expect(reachedMs).toBeLessThan(10_000);
  expect((await demoState(bob)).consuming).toEqual([ALICE]);
  const live = await audioGrowth(bob, 2_000);
  note('flowing', { reachedMs, frames: firstFrames, audioPacketsPer2s: live.gained });
  expect(live.gained).toBeGreaterThan(20); // Opus sends ~50 packets/s

  // A mutes only the microphone: B's audio stops (bar packets already in flight), video goes on.
  await alice.getByTestId('micMute').click();
  await expect(alice.getByTestId('micMute')).toHaveAttribute('data-state', 'muted');
  await expect.poll(async () => (await demoState(alice)).micMuted).toBe(true);
  await sleep(700); // the pause request reaches the server; in-flight packets land
  const framesMuted = await framesFrom(bob, ALICE);
  const muted = await audioGrowth(bob, 2_000);
  const framesWhileMuted = (await framesFrom(bob, ALICE)) - framesMuted;
  note('muted', { audioPacketsPer2s: muted.gained, framesPer2s: framesWhileMuted });
  expect(muted.gained).toBeLessThanOrEqual(3);
  expect(muted.gained).toBeLessThan(live.gained / 10);
  expect(framesWhileMuted).toBeGreaterThan(10);

  // A unmutes: audio flows again.
  await alice.getByTestId('micMute').click();
  await expect(alice.getByTestId('micMute')).toHaveAttribute('data-state', 'live');
  await expect.poll(() => audioPacketsFrom(bob, ALICE), { timeout: 5_000 }).toBeGreaterThan(muted.from + muted.gained + 20);

  // A 5-second server recording of A: one audio and one video stream, 4–6 s.
  const operator = await ConsoleSession.open(base());
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-demo-rec-'));
  try {
    await operator.call('recordings:start', { userId: ALICE, flags: RECORD_AUDIO_VIDEO });
    await sleep(5_000);
    const entry = await operator.call<{ fileId: string | null; state: string } | null>('recordings:stop', { userId: ALICE });
    expect(entry?.state).toBe('finished');
    expect(entry?.fileId).toBeTruthy();
    const { url } = await operator.call<{ url: string }>('recordings:url', { fileId: entry!.fileId });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const file = path.join(dir, 'alice-recording');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const probe = await ffprobe(file);
    note('ffprobe', probe);
    expect(probe.streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
    const seconds = Number(probe.format.duration);
    expect(seconds).toBeGreaterThanOrEqual(4);
    expect(seconds).toBeLessThanOrEqual(6);
  } finally {
    operator.close();
    rmSync(dir, { recursive: true, force: true });
  }

  // A leaves: B gets producerClosed for both of A's producers and her tile goes.
  await alice.getByTestId('leaveRoom').click();
  await expect
    .poll(
      async () =>
        (await demoState(bob)).producerClosed
          .filter((p) => p.userId === ALICE)
          .map((p) => p.kind)
          .sort(),
      { timeout: 10_000 },
    )
    .toEqual(['audio', 'video']);
  const closed = (await demoState(bob)).producerClosed.filter((p) => p.userId === ALICE);
  expect(new Set(closed.map((p) => p.producerId)).size).toBe(2);
  await expect(bob.getByTestId('video-1001')).toHaveCount(0, { timeout: 10_000 });
  await expect(bob.getByTestId('audio-1001')).toHaveCount(0);
  expect((await demoState(bob)).errors).toEqual([]);
  expect((await demoState(alice)).errors).toEqual([]);
});

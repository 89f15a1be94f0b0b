/**
 * "Record room" from the console: two demo pages publish camera + microphone in one room, the
 * operator records the room for 10 s from the Recordings screen, stops it, plays the composed
 * file in the console's player and seeks to 5 s: currentTime is 5 and playback goes on.
 * Orphan recordings (issue 16): a recorded user who reloads the tab ends the recording — the
 * console shows it finished and listed, not "in progress" with a running timer.
 */
import { expect, test } from '@playwright/test';
import { ConsolePage } from '../console-screens/consolePage';
import { ConsoleSession, publishingDemoUser } from '../fixtures/demoPage';
import { hostPerFile } from '../fixtures/host';

const base = hostPerFile();
/** The bits of HTMLVideoElement the test reads (the e2e project has no DOM lib). */
interface VideoLike {
  readyState: number;
  duration: number;
  currentTime: number;
  seeking: boolean;
  muted: boolean;
  error: unknown;
  play(): Promise<void>;
  pause(): void;
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('record a room for 10 s from the console, play it and seek to 5 s', async ({ browser }) => {
  test.setTimeout(180_000);
  const roomName = `rec-room-${Date.now()}`;
  const alice = await publishingDemoUser(browser, base(), 'alice', 'alice-pw', roomName);
  const bob = await publishingDemoUser(browser, base(), 'bob', 'bob-pw', roomName);
  expect(bob.roomId).toBe(alice.roomId);
  const roomId = alice.roomId;

  const consoleTab = await browser.newPage();
  const ui = await ConsolePage.signIn(consoleTab, base());
  await ui.go('recordings');
  await consoleTab.getByTestId('record-room-id').fill(String(roomId));
  await consoleTab.getByTestId('record-room-start').click();
  const active = consoleTab.getByTestId(`recording-active-room-${roomId}`);
  await expect(active).toBeVisible({ timeout: 15_000 });
  await expect(active.getByTestId(/^recording-live-size-/)).toBeVisible({ timeout: 15_000 }); // the composition's size, live
  await sleep(10_000);
  await consoleTab.getByTestId(`record-room-stop-${roomId}`).click();
  await expect(active).toHaveCount(0, { timeout: 120_000 });

  // the composed file is listed as a room recording; play it
  const row = consoleTab.locator('[data-testid^="recording-row-"]', { hasText: `room_${roomId}_` }).first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row.locator('[data-testid^="recording-kind-"]')).toContainText('room');
  await row.locator('[data-testid^="recording-play-"]').click();
  const video = consoleTab.getByTestId('recording-video');
  await expect(video).toBeVisible();
  await expect.poll(() => video.evaluate((v) => (v as unknown as VideoLike).readyState), { timeout: 15_000 }).toBeGreaterThanOrEqual(1);
  const duration = await video.evaluate((v) => (v as unknown as VideoLike).duration);
  test.info().annotations.push({ type: 'room recording duration (s)', description: String(duration) });
  expect(duration).toBeGreaterThan(8);

  // paused while seeking, so the position read is the seek's, not autoplay's
  await video.evaluate((v) => {
    (v as unknown as VideoLike).muted = true;
    (v as unknown as VideoLike).pause();
    (v as unknown as VideoLike).currentTime = 5;
  });
  await expect
    .poll(() => video.evaluate((v) => ((v as unknown as VideoLike).seeking ? -1 : (v as unknown as VideoLike).currentTime)), { timeout: 10_000 })
    .toBe(5);
  const atSeek = await video.evaluate((v) => (v as unknown as VideoLike).currentTime);
  await video.evaluate((v) => (v as unknown as VideoLike).play());
  await expect.poll(() => video.evaluate((v) => (v as unknown as VideoLike).currentTime), { timeout: 10_000 }).toBeGreaterThan(atSeek + 0.5); // playback goes on
  expect(await video.evaluate((v) => (v as unknown as VideoLike).error)).toBeNull();
  await consoleTab.close();
  await alice.page.close();
  await bob.page.close();
});

test('a recorded user reloads the tab: the recording ends, is listed, and the console no longer shows it in progress', async ({ browser }) => {
  test.setTimeout(120_000);
  const carol = await publishingDemoUser(browser, base(), 'carol', 'carol-pw', `orphan-${Date.now()}`);
  const operator = await ConsoleSession.open(base());
  const consoleTab = await browser.newPage();
  const ui = await ConsolePage.signIn(consoleTab, base());
  await ui.go('recordings');
  const { recordingId } = await operator.call<{ recordingId: string }>('recordings:start', { userId: 1003, flags: 0x3 });
  await expect(consoleTab.getByTestId(`recording-active-${recordingId}`)).toBeVisible({ timeout: 10_000 });
  // the size written so far is pushed live (every 2 s) and grows
  const size = consoleTab.getByTestId(`recording-live-size-${recordingId}`);
  await expect(size).toHaveText(/KiB|MiB/, { timeout: 10_000 });
  const first = await size.textContent();
  await expect.poll(() => size.textContent(), { timeout: 15_000 }).not.toBe(first);
  await sleep(1000);
  await carol.page.reload(); // the tab goes away with its producers
  await expect(consoleTab.getByTestId(`recording-active-${recordingId}`)).toHaveCount(0, { timeout: 20_000 });
  expect(await operator.call<unknown[]>('recordings:active')).toEqual([]);
  const page = await operator.call<{ items: { userId: number; state: string; durationSeconds: number; fileName: string }[] }>('recordings:list', {
    userId: 1003,
  });
  expect(page.items[0]).toMatchObject({ userId: 1003, state: 'finished' });
  expect(page.items[0].durationSeconds).toBeGreaterThanOrEqual(2);
  await expect(consoleTab.locator('[data-testid^="recording-row-"]', { hasText: page.items[0].fileName })).toBeVisible();
  operator.close();
  await consoleTab.close();
  await carol.page.close();
});

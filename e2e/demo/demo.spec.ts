/**
 * A demo install (`--demo`, shared/docs/protocol.md §4) seen as an operator and as a guest,
 * in Debian Chromium against the real headless host: within 20 s of `listening …` the console
 * lists demo-lobby and demo-stage; the lobby's preview tiles decode two bots; demo-stage shows a
 * seated user and a queue; Calls shows the bots' call; Queues shows the agents; the demo page
 * joins demo-lobby as a guest in one click and decodes both bots' video and receives their audio,
 * and the console shows the guest's estimated downlink.
 */
import { expect, test, type Page } from '@playwright/test';
import { audioPacketsFrom, framesFrom } from '../fixtures/demoPage';
import { defaultHostConfig, startHost, type RunningHost } from '../fixtures/host';
import { ConsolePage } from '../console-screens/consolePage';

/** Bot ids from electron/demo/demoContent.ts. */
const LOBBY_BOTS = [2_000_001, 2_000_002];
const AGENTS = [2_000_031, 2_000_032];
const CALLER = 2_000_021;
const CALLEE = 2_000_022;
const ALIVE_WITHIN_MS = 20_000;

let host: RunningHost;
let listeningAt = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  // `--demo` on the command line (bench/demo/cpu.ts covers `"demo": true` in the config file).
  host = await startHost(defaultHostConfig({ media: { rtcMinPort: 47000, rtcMaxPort: 47499 } }), ['--demo']);
  listeningAt = Date.now();
});

test.afterAll(async () => {
  const code = await host?.stop();
  expect(code, 'the demo host stops cleanly on SIGTERM').toBe(0);
});

const remaining = () => Math.max(1000, ALIVE_WITHIN_MS - (Date.now() - listeningAt));
const baseUrl = () => host.url.replace(/\/$/, '');

function roomRow(page: Page, name: string) {
  return page.locator('[data-testid^="room-row-"]', { hasText: name });
}

type VideoLike = { getVideoPlaybackQuality(): { totalVideoFrames: number } };

test('the console of a demo install: rooms within 20 s, lobby tiles decode two bots, stage seats and queue, the call, the agents', async ({ page }) => {
  const console = await ConsolePage.signIn(page, baseUrl());
  await expect(page.getByTestId('demo-banner')).toBeVisible({ timeout: remaining() });
  await expect(page.getByTestId('demo-page-link')).toHaveAttribute('href', `${baseUrl()}/demo/`);
  // The Dashboard is populated: the bots are online, in rooms and in calls.
  await expect
    .poll(async () => Number(await page.getByTestId('counter-users-online-value').textContent()), { timeout: remaining() })
    .toBeGreaterThanOrEqual(10);
  await expect.poll(async () => Number(await page.getByTestId('counter-rooms-value').textContent()), { timeout: remaining() }).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => Number(await page.getByTestId('counter-active-calls-value').textContent()), { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
  await console.go('rooms');
  await expect(roomRow(page, 'demo-lobby')).toBeVisible({ timeout: remaining() });
  await expect(roomRow(page, 'demo-stage')).toBeVisible({ timeout: remaining() });
  const aliveAfterMs = Date.now() - listeningAt;
  expect(aliveAfterMs).toBeLessThan(ALIVE_WITHIN_MS);

  // demo-lobby: the console's own preview consumes the bots; two video tiles keep decoding.
  await roomRow(page, 'demo-lobby').click();
  const videos = page.locator('video[data-testid^="preview-tile-"]');
  await expect(videos).toHaveCount(2, { timeout: 15_000 });
  for (const i of [0, 1]) {
    await expect
      .poll(() => videos.nth(i).evaluate((v) => (v as unknown as VideoLike).getVideoPlaybackQuality().totalVideoFrames), { timeout: 20_000 })
      .toBeGreaterThan(30);
  }
  await expect(page.locator('audio[data-testid^="preview-tile-"]')).toHaveCount(2);
  // The bots talk in turns (their audio levels): each is the active speaker in turn.
  for (const bot of LOBBY_BOTS) await expect(page.getByTestId(`room-user-${bot}`)).toHaveAttribute('data-speaking', 'true', { timeout: 15_000 });
  await page.getByTestId('room-back').click();

  // demo-stage: someone on a seat, someone in the queue.
  await roomRow(page, 'demo-stage').click();
  await expect(page.locator('[data-testid^="mic-seat-"][data-user-id]:not([data-user-id=""])').first()).toBeVisible({ timeout: 10_000 });
  await expect(page.locator('[data-testid^="mic-queue-item-"]').first()).toBeVisible({ timeout: 10_000 });
  // A seated audience bot publishes: its tile decodes.
  await expect.poll(() => page.locator('video[data-testid^="preview-tile-"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  await page.getByTestId('room-back').click();

  // Calls: the bots' 1:1 call (between two calls there is a 5 s pause).
  await page.getByTestId('nav-calls').click();
  await expect(page.locator(`[data-testid^="call-row-${CALLER}-${CALLEE}-"]`)).toBeVisible({ timeout: 20_000 });

  // Queues: both agents, in the demo's service area, with the queues.
  await page.getByTestId('nav-queues').click();
  for (const id of AGENTS) await expect(page.getByTestId(`agent-${id}`)).toBeVisible();
  await expect(page.locator('[data-testid^="area-"][data-object-id]', { hasText: 'Demo service hall' })).toBeVisible();
  await expect(page.locator('[data-testid^="queue-"][data-object-id]')).toHaveCount(2);
});

test('the demo page joins demo-lobby as a guest in one click and decodes both bots, with audio; the console shows the guest’s downlink', async ({
  browser,
}) => {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl()}/demo/`);
  await page.getByTestId('joinDemoLobby').click();
  await expect(page.getByTestId('status')).toContainText('in room', { timeout: 10_000 });
  for (const bot of LOBBY_BOTS) {
    await expect(page.getByTestId(`user-${bot}`)).toBeVisible();
    await expect.poll(() => framesFrom(page, bot), { timeout: 30_000 }).toBeGreaterThan(30);
    await expect.poll(() => audioPacketsFrom(page, bot), { timeout: 10_000 }).toBeGreaterThan(50);
  }
  // The guest's Chrome answers the node's video with transport-cc feedback: the console's room view
  // shows the node's estimate of the guest's downlink in the Network column.
  const consolePage = await (await browser.newContext()).newPage();
  const console = await ConsolePage.signIn(consolePage, baseUrl());
  await console.go('rooms');
  await roomRow(consolePage, 'demo-lobby').click();
  await expect(consolePage.locator('[data-testid^="downlink-"]').first()).toHaveText(/^↓ \d/, { timeout: 15_000 });
  await consolePage.context().close();
  await page.context().close();
});

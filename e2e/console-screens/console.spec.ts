/**
 * Operator console journeys against the full headless host (issue 6). Each test gets a fresh host
 * (e2e/fixtures/host.ts). Users being administered are demo-client pages (`/demo/`).
 * Tests that need a part not yet in the host are `test.fixme` with the reason.
 *   npm run build && npx playwright test e2e/console-screens
 */
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from '../fixtures/host';
import { ConsolePage, DemoClient } from './consolePage';

const ALICE = { userName: 'alice', password: 'alice-pw', userId: 1001 };
const ROOM = 4242;

/** The bits of a <video> element read in the page (this file type-checks without DOM libs). */
type VideoLike = { currentTime: number; getVideoPlaybackQuality(): { totalVideoFrames: number } };

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host?.stop();
});

test('a user who enters a room shows in the console: users table, room list and room detail', async ({ page, browser }) => {
  const console = await ConsolePage.signIn(page, host.url);
  const alice = await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);

  await console.go('users');
  await expect(console.userRow(ALICE.userId)).toContainText(String(ROOM));
  await console.go('rooms');
  await expect(page.getByTestId(`room-users-${ROOM}`)).toHaveText('1');
  await console.openRoom(ROOM);
  await expect(page.getByTestId(`room-user-${ALICE.userId}`)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('room-detail.png') });

  // Live: leaving shows without a reload.
  await alice.page.getByTestId('leaveRoom').click();
  await expect(page.getByTestId(`room-user-${ALICE.userId}`)).toHaveCount(0);
  await alice.close();
});

test('kick with confirmation removes the user and writes an audit entry', async ({ page, browser }) => {
  const console = await ConsolePage.signIn(page, host.url);
  const alice = await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);
  await console.go('users');
  await expect(console.userRow(ALICE.userId)).toBeVisible();

  await page.getByTestId(`kick-${ALICE.userId}`).click();
  // Escape closes the dialog without kicking.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(console.userRow(ALICE.userId)).toBeVisible();

  await page.getByTestId(`kick-${ALICE.userId}`).click();
  await page.getByTestId('kick-ban').selectOption(String(10 * 60));
  await page.getByTestId('kick-reason').fill('e2e');
  await console.confirm();
  await expect(console.userRow(ALICE.userId)).toHaveCount(0);
  await expect(page.getByTestId(`ban-${ALICE.userId}`)).toBeVisible();
  await expect(alice.page.getByTestId('status')).not.toContainText('in room', { timeout: 10_000 });

  await console.go('audit');
  const entry = page.locator('[data-testid^="audit-row-"][data-action*="kick"]').first();
  await expect(entry).toContainText('admin');
  await expect(entry).toHaveAttribute('data-result', 'ok');

  // Lifting the ban is audited too.
  await console.go('users');
  await page.getByTestId(`lift-${ALICE.userId}`).click();
  await expect(page.getByTestId(`ban-${ALICE.userId}`)).toHaveCount(0);
  await alice.close();
});

test('the language switch to Chinese persists across a reload', async ({ page }) => {
  await ConsolePage.signIn(page, host.url);
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('nav-rooms')).toHaveText('房间');
  await expect(page.getByTestId('nav-audit')).toHaveText('审计日志');
  await page.reload();
  await expect(page.getByTestId('nav-rooms')).toHaveText('房间');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.getByTestId('language').selectOption('en');
  await page.reload();
  await expect(page.getByTestId('nav-rooms')).toHaveText('Rooms');
});

test('the dashboard charts grow with stats ticks', async ({ page, browser }) => {
  await ConsolePage.signIn(page, host.url);
  const alice = await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);
  await expect(page.getByTestId('counter-users-online-value')).toHaveText('1');
  const points = async () => Number(await page.getByTestId('chart-users').getAttribute('data-points'));
  const first = await points();
  await expect.poll(points, { timeout: 5_000 }).toBeGreaterThan(first);
  await alice.close();
});

test.fixme('record 5 s from the room view: the file appears with its duration and plays', async ({ page, browser }) => {
  // Needs a demo client that publishes audio/video (the demo page has no publish control yet) and
  // the recorder wired into the host's console calls (recordings:start/stop/list/url).
  const console = await ConsolePage.signIn(page, host.url);
  await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);
  await console.openRoom(ROOM);
  await page.getByTestId('record-flags').selectOption('3');
  await page.getByTestId(`record-start-${ALICE.userId}`).click();
  await expect(page.getByTestId('recording-elapsed')).toBeVisible();
  await page.waitForTimeout(5_000);
  await page.getByTestId(`record-stop-${ALICE.userId}`).click();
  await console.go('recordings');
  const row = page.locator('[data-testid^="recording-row-"]').first();
  await expect(row).toBeVisible();
  const fileId = (await row.getAttribute('data-testid'))!.replace('recording-row-', '');
  const seconds = (await page.getByTestId(`recording-duration-${fileId}`).innerText()).split(':').reduce((a, b) => a * 60 + Number(b), 0);
  expect(seconds).toBeGreaterThanOrEqual(4);
  expect(seconds).toBeLessThanOrEqual(7);
  await page.getByTestId(`recording-play-${fileId}`).click();
  const video = page.getByTestId('recording-video');
  await expect.poll(() => video.evaluate((v) => (v as unknown as VideoLike).currentTime), { timeout: 10_000 }).toBeGreaterThan(0.5);
});

test.fixme('the live preview tile decodes frames', async ({ page, browser }) => {
  // Needs a publishing demo client and the preview:* calls in the host (media node + ConsoleService).
  const console = await ConsolePage.signIn(page, host.url);
  await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);
  await console.openRoom(ROOM);
  const tile = page.locator('video[data-testid^="preview-tile-"]').first();
  await expect(tile).toBeVisible({ timeout: 15_000 });
  const decoded = () => tile.evaluate((v) => (v as unknown as VideoLike).getVideoPlaybackQuality().totalVideoFrames);
  const first = await decoded();
  await expect.poll(decoded, { timeout: 10_000 }).toBeGreaterThan(first + 10);
});

test.fixme('mic queue: reorder by buttons and by drag and drop', async ({ page }) => {
  // Needs clients queued for the mic: the demo page has no mic controls; drive shared/client's
  // AnyChatClient (or e2e/business/page) against the host once the business layer is in it.
  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(ROOM);
  const order = () => page.locator('[data-testid^="mic-queue-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  const before = await order();
  expect(before.length).toBeGreaterThanOrEqual(2);
  const second = before[1]!.replace('mic-queue-item-', '');
  await page.getByTestId(`mic-up-${second}`).click();
  await expect.poll(order).toEqual([before[1], before[0], ...before.slice(2)]);
  await page.getByTestId(before[0]!).dragTo(page.getByTestId(before[1]!));
  await expect.poll(order).toEqual(before);
});

test.fixme('hang up an active call', async ({ page }) => {
  // Needs two clients in a 1:1 call against the host (the demo page has no call controls yet).
  const console = await ConsolePage.signIn(page, host.url);
  await console.go('calls');
  const row = page.locator('[data-testid^="call-row-"]').first();
  await expect(row).toBeVisible();
  const callId = (await row.getAttribute('data-testid'))!.replace('call-row-', '');
  await page.getByTestId(`hangup-${callId}`).click();
  await console.confirm();
  await expect(page.getByTestId(`call-row-${callId}`)).toHaveCount(0);
});

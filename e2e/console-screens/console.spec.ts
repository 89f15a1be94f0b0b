/**
 * Operator console journeys against the full headless host (issue 6). Each test gets a fresh host
 * (e2e/fixtures/host.ts). Users being administered are demo-client pages (`/demo/`).
 * Tests that need a part not yet in the host are `test.fixme` with the reason.
 *   npm run build && npx playwright test e2e/console-screens
 */
import { expect, test } from '@playwright/test';
import { startHost, type RunningHost } from '../fixtures/host';
import { signedInClient } from './clients';
import { ConsolePage, DemoClient } from './consolePage';
import { publishingDemoUser as publishingUser } from '../fixtures/demoPage';

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
  await console.go('users');
  // DemoClient.enterRoom returns once the page shows the enter response; the console must show
  // the user in that room within 1 s of it (pushed events, no polling).
  const alice = await DemoClient.enterRoom(browser, host.url, ALICE.userName, ALICE.password, ROOM);
  await expect(console.userRow(ALICE.userId)).toContainText(String(ROOM), { timeout: 1_000 });

  // Detail, message and broadcast from the users page.
  await page.getByTestId(`detail-${ALICE.userId}`).click();
  await expect(page.getByTestId('user-detail')).toContainText('alice');
  await expect(page.getByTestId('user-ban')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('user-detail')).toHaveCount(0);
  await page.getByTestId(`message-${ALICE.userId}`).click();
  await page.getByTestId('message-text').fill('hello from the console');
  await page.getByTestId('message-send').click();
  await expect(page.getByTestId('message-dialog')).toHaveCount(0);
  await expect(page.getByTestId('notice')).toHaveAttribute('role', 'status');
  await page.getByTestId('broadcast-open').click();
  await page.getByTestId('broadcast-room').selectOption(String(ROOM));
  await page.getByTestId('broadcast-text').fill('room notice');
  await page.getByTestId('broadcast-send').click();
  await expect(page.getByTestId('broadcast-dialog')).toHaveCount(0);

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

test('record 5 s from the room view: the file appears with its duration and plays', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const alice = await publishingUser(browser, host.url, ALICE.userName, ALICE.password, 'rec');
  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(alice.roomId);
  await page.getByTestId('record-flags').selectOption('3');
  await page.getByTestId(`record-start-${ALICE.userId}`).click();
  await expect(page.getByTestId('recording-elapsed')).toBeVisible();
  await page.waitForTimeout(5_000);
  await page.getByTestId(`record-stop-${ALICE.userId}`).click();
  await expect(page.getByTestId(`record-start-${ALICE.userId}`)).toBeVisible({ timeout: 15_000 });

  await console.go('recordings');
  const row = page.locator('[data-testid^="recording-row-"]').first();
  await expect(row).toBeVisible({ timeout: 15_000 });
  const fileId = (await row.getAttribute('data-testid'))!.replace('recording-row-', '');
  await expect(page.getByTestId(`recording-duration-${fileId}`)).toHaveText(/^\d\d:\d\d$/, { timeout: 15_000 });
  const seconds = (await page.getByTestId(`recording-duration-${fileId}`).innerText()).split(':').reduce((a, b) => a * 60 + Number(b), 0);
  expect(seconds).toBeGreaterThanOrEqual(4);
  expect(seconds).toBeLessThanOrEqual(8);
  await page.screenshot({ path: test.info().outputPath('recordings.png') });

  await page.getByTestId(`recording-play-${fileId}`).click();
  const video = page.getByTestId('recording-video');
  await expect.poll(() => video.evaluate((v) => (v as unknown as VideoLike).currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('recording-player')).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByTestId(`recording-download-${fileId}`).click();
  expect((await download).suggestedFilename()).toMatch(/\.(webm|mp4|mkv|ogg)$/);

  await page.getByTestId(`recording-rename-${fileId}`).click();
  await page.getByTestId('recording-new-name').fill('renamed-e2e.webm');
  await console.confirm();
  await expect(row).toContainText('renamed-e2e.webm');

  await page.getByTestId(`recording-delete-${fileId}`).click();
  await console.confirm();
  await expect(page.getByTestId(`recording-row-${fileId}`)).toHaveCount(0);
  await alice.page.context().close();
});

test('the live preview tile decodes frames', async ({ page, browser }) => {
  const alice = await publishingUser(browser, host.url, ALICE.userName, ALICE.password, 'preview');
  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(alice.roomId);
  const tile = page.locator('video[data-testid^="preview-tile-"]').first();
  await expect(tile).toBeVisible({ timeout: 15_000 });
  const decoded = () => tile.evaluate((v) => (v as unknown as VideoLike).getVideoPlaybackQuality().totalVideoFrames);
  const first = await decoded();
  await expect.poll(decoded, { timeout: 10_000 }).toBeGreaterThan(first + 10);
});

test('mic queue: reorder by buttons and by drag and drop, remove, force off, lock; then close the room', async ({ page }) => {
  const users = [
    ['alice', 'alice-pw', 1001],
    ['bob', 'bob-pw', 1002],
    ['carol', 'carol-pw', 1003],
    ['dave', 'dave-pw', 1004],
  ] as const;
  const clients = await Promise.all(users.map(([n, p]) => signedInClient(host.url, n, p)));
  try {
    const { roomId } = (await clients[0].request('createRoom', { roomName: 'stage', seatCount: 1 })) as { roomId: number };
    for (const c of clients) {
      await c.enterRoom({ roomId, role: 'interactive' });
      await c.request('micRequest', {});
    }
    // Every client's last micState queue, to prove the operator's changes reach all of them.
    const lastQueue = clients.map(() => [] as number[]);
    clients.forEach((c, i) => c.on('micState', (m) => (lastQueue[i] = [...(m as { queue: number[] }).queue])));
    const console = await ConsolePage.signIn(page, host.url);
    await console.openRoom(roomId);
    await expect(page.getByTestId('mic-seat-0')).toHaveAttribute('data-user-id', '1001');
    const order = () =>
      page
        .locator('[data-testid^="mic-queue-item-"]')
        .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-testid')!.replace('mic-queue-item-', ''))));
    await expect.poll(order).toEqual([1002, 1003, 1004]);

    // Keyboard-reachable buttons.
    await page.getByTestId('mic-up-1003').focus();
    await page.keyboard.press('Enter');
    await expect.poll(order).toEqual([1003, 1002, 1004]);
    // Native drag and drop: the last onto the first.
    await page.getByTestId('mic-queue-item-1004').dragTo(page.getByTestId('mic-queue-item-1003'));
    await expect.poll(order).toEqual([1004, 1003, 1002]);
    for (let i = 0; i < clients.length; i++) await expect.poll(() => lastQueue[i]).toEqual([1004, 1003, 1002]);

    await page.getByTestId('mic-remove-1002').click();
    await expect.poll(order).toEqual([1004, 1003]);
    // Taking a user off a seat asks first; Cancel leaves them on it.
    await page.getByTestId('mic-force-off-0').click();
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId('mic-seat-0')).toHaveAttribute('data-user-id', '1001');
    await page.getByTestId('mic-force-off-0').click();
    await expect(page.getByTestId('confirm-dialog')).toContainText('seat 1');
    await console.confirm();
    await expect(page.getByTestId('mic-seat-0')).not.toHaveAttribute('data-user-id', '1001');
    // The next in the queue took the seat: locking an occupied seat asks too.
    await expect(page.getByTestId('mic-seat-0')).toHaveAttribute('data-user-id', /\d+/);
    await page.getByTestId('mic-lock-0').click();
    await console.confirm();
    await expect(page.getByTestId('mic-seat-0')).toHaveAttribute('data-locked', 'true');

    // Close the room (confirmation): back to the list, the room is gone.
    await page.getByTestId('room-close').click();
    await console.confirm();
    await expect(page.getByTestId(`room-row-${roomId}`)).toHaveCount(0);
    await expect(page.getByTestId('screen-rooms')).toBeVisible();
    // The audit log counts seats like the console does (from 1), and names the room.
    await console.go('audit');
    await expect(page.locator('[data-action="mic:lockSeat"]').first()).toContainText(`admin locked seat 1 in room stage (${roomId})`);
    await expect(page.locator('[data-action="mic:forceOff"]').first()).toContainText(/admin took Alice \(1001\) off the mic/);
  } finally {
    clients.forEach((c) => c.close());
  }
});

test('hang up an active call', async ({ page }) => {
  const alice = await signedInClient(host.url, 'alice', 'alice-pw');
  const bob = await signedInClient(host.url, 'bob', 'bob-pw');
  const finishes: string[] = [];
  alice.on('videoCallEvent', (e) => (e as { eventType: number }).eventType === 4 && finishes.push('alice'));
  bob.on('videoCallEvent', (e) => (e as { eventType: number }).eventType === 4 && finishes.push('bob'));
  try {
    const console = await ConsolePage.signIn(page, host.url);
    await console.go('calls');
    await alice.callRequest(1002);
    await bob.callReply(1001, true).catch(() => undefined);
    const row = page.locator('[data-testid^="call-row-"]').first();
    await expect(row).toBeVisible();
    await expect(row).toContainText('1001');
    const callId = (await row.getAttribute('data-testid'))!.replace('call-row-', '');
    await page.getByTestId(`hangup-${callId}`).click();
    await console.confirm();
    await expect(page.getByTestId(`call-row-${callId}`)).toHaveCount(0);
    await expect.poll(() => [...finishes].sort()).toEqual(['alice', 'bob']);
    await console.go('audit');
    await expect(page.locator('[data-testid^="audit-row-"][data-action*="hangup"]').first()).toBeVisible();
  } finally {
    alice.close();
    bob.close();
  }
});

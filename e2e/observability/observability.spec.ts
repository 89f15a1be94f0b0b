/**
 * Observability journeys in Debian Chromium against the real headless host (issue 17): session
 * history search + CSV export, a live quality curve that follows the user's bitrate, a room
 * timeline, and a loss alert in the bell list. Users are real signaling clients; the publishing
 * user is a werift NodePeer sending Opus RTP (electron/observability/testing/testPublisher.ts).
 *   npm run build && npx playwright test e2e/observability
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { TestPublisher } from '../../electron/observability/testing/testPublisher';
import { signedInClient } from '../console-screens/clients';
import { ConsolePage } from '../console-screens/consolePage';
import { defaultHostConfig, startHost, type RunningHost } from '../fixtures/host';

let host: RunningHost;
const publishers: TestPublisher[] = [];

test.beforeEach(async () => {
  // Loss alerts after 3 s instead of 30 s so the journey stays short.
  host = await startHost(defaultHostConfig({ alerts: { lossSeconds: 3 } }));
});

test.afterEach(async () => {
  for (const p of publishers.splice(0)) await p.close().catch(() => undefined);
  await host?.stop();
});

/** `datetime-local` value (local time, seconds) for an epoch ms. */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

test('session history: search by user and time range, export the match as CSV', async ({ page }) => {
  const before = Date.now() - 2000;
  for (const [name, pw] of [
    ['alice', 'alice-pw'],
    ['bob', 'bob-pw'],
    ['alice', 'alice-pw'],
  ]) {
    const c = await signedInClient(host.url, name, pw);
    await c.logout();
    c.close();
  }
  const after = Date.now() + 60_000;
  const console = await ConsolePage.signIn(page, host.url);
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('screen-history')).toBeVisible();

  await page.getByTestId('history-user').fill('alice');
  await page.getByTestId('history-from').fill(localInput(before));
  await page.getByTestId('history-to').fill(localInput(after));
  await page.getByTestId('history-search').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(2);
  for (const r of await rows.all()) await expect(r).toHaveAttribute('data-user', '1001');
  await expect(page.getByTestId('history-total')).toContainText('2');

  // A time range before the sessions matches nothing.
  await page.getByTestId('history-from').fill(localInput(before - 3_600_000));
  await page.getByTestId('history-to').fill(localInput(before - 1_800_000));
  await page.getByTestId('history-search').click();
  await expect(rows).toHaveCount(0);

  // Back to the range with the sessions; export what matches.
  await page.getByTestId('history-from').fill(localInput(before));
  await page.getByTestId('history-to').fill(localInput(after));
  const download = page.waitForEvent('download');
  await page.getByTestId('history-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^sessions-.*\.csv$/);
  const csv = readFileSync((await file.path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('userId,userName,nickName,login,logout,durationSeconds,reason,address,client');
  expect(csv).toHaveLength(3);
  for (const line of csv.slice(1)) expect(line).toMatch(/^1001,alice,Alice,\d{4}-.*,0,127\.0\.0\.1,/);

  // Usage over days: a uPlot chart of the last 14 days.
  await page.getByTestId('history-tab-usage').click();
  await expect(page.getByTestId('usage-chart')).toHaveAttribute('data-days', '14');
  await expect(page.getByTestId('usage-chart').locator('canvas')).toBeVisible();
  void console;
});

test('a live user quality curve moves as the user bitrate changes', async ({ page }) => {
  const alice = await TestPublisher.start({ baseUrl: host.url, userName: 'alice', password: 'alice-pw', roomId: 500 });
  publishers.push(alice);
  alice.payloadBytes = 100; // ≈ 45 kbit/s with headers
  const console = await ConsolePage.signIn(page, host.url);
  await console.go('users');
  await page.getByTestId('detail-1001').click();
  const chart = page.getByTestId('quality-chart-user-1001');
  await expect(chart.locator('canvas')).toBeVisible({ timeout: 15_000 });
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => Number(await chart.getAttribute('data-kbps')), { timeout: 10_000 }).toBeGreaterThan(20);
  const low = Number(await chart.getAttribute('data-kbps'));
  expect(low).toBeLessThan(120);
  const canvasBefore = await chart.locator('canvas').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

  alice.payloadBytes = 1000; // ≈ 400 kbit/s
  await expect.poll(async () => Number(await chart.getAttribute('data-kbps')), { timeout: 15_000 }).toBeGreaterThan(low * 4);
  const canvasAfter = await chart.locator('canvas').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());
  expect(canvasAfter).not.toBe(canvasBefore);
});

test('a room timeline lists a join, a publish, a seat change and a kick', async ({ page }) => {
  const ROOM = 600;
  const bob = await signedInClient(host.url, 'bob', 'bob-pw');
  await bob.enterRoom({ roomId: ROOM });
  const alice = await TestPublisher.start({ baseUrl: host.url, userName: 'alice', password: 'alice-pw', roomId: ROOM });
  publishers.push(alice);
  await bob.request('micRequest', {});

  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(ROOM);
  await page.getByTestId('room-kick-1002').click();
  await console.confirm();

  const timeline = page.getByTestId(`room-timeline-${ROOM}`);
  const kinds = async () =>
    timeline.getByTestId('timeline-event').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}:${e.getAttribute('data-user')}`));
  await expect.poll(kinds, { timeout: 15_000 }).toEqual(expect.arrayContaining(['join:1002', 'join:1001', 'publish:1001', 'seat:1002', 'kick:1002']));
  await expect(timeline).toContainText('took seat 1');
  bob.close();
});

test('a user with injected packet loss raises an alert shown in the bell list', async ({ page }) => {
  const console = await ConsolePage.signIn(page, host.url);
  const alice = await TestPublisher.start({ baseUrl: host.url, userName: 'alice', password: 'alice-pw', roomId: 700 });
  publishers.push(alice);
  alice.loss = 0.3; // drop 30 % of packets at the peer
  const bell = page.getByTestId('alert-bell');
  await expect(bell).toHaveAttribute('data-unread', '1', { timeout: 30_000 });
  await bell.click();
  const item = page.getByTestId('alert-item').first();
  await expect(item).toHaveAttribute('data-rule', 'user-loss');
  await expect(item).toHaveAttribute('data-subject', 'user 1001');
  await expect(item).toContainText(/User 1001: \d+(\.\d)? % packet loss/);
  await page.getByTestId('alerts-ack').click();
  await expect(bell).toHaveAttribute('data-unread', '0');
  void console;
});

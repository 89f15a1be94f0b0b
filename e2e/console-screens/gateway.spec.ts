/**
 * Gateway and Queues console screens against the full headless host: notices that die at a
 * failing receiver show as outbox depth and dead notices, re-send delivers them (one, then all
 * with confirmation); an agent set through the queue client methods shows with its status, a
 * customer waits in a queue created by signed `object_info_set` requests.
 *   npm run build && npx playwright test e2e/console-screens/gateway.spec.ts
 */
import { expect, test, type Page } from '@playwright/test';
import type { AnyChatClient } from '../../shared/client';
import { defaultHostConfig, startHost, type RunningHost } from '../fixtures/host';
import { signedInClient } from './clients';
import { ConsolePage } from './consolePage';
import { gatewayCall, LoopbackReceiver } from './gatewayHelpers';

const APP = 'E2E-APP';
const MD5_KEY = 'e2e-md5-key';
const fastRetry = { initialDelayMs: 200, maxDelayMs: 400, maxAttempts: 2 };

let host: RunningHost | undefined;
let receiver: LoopbackReceiver | undefined;
const clients: AnyChatClient[] = [];

test.afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  await host?.stop();
  await receiver?.close();
  host = undefined;
  receiver = undefined;
});

async function openScreen(page: Page, name: 'gateway' | 'queues'): Promise<void> {
  await page.getByTestId(`nav-${name}`).click();
  await expect(page.getByTestId(`screen-${name}`)).toBeVisible();
}

test('dead notices show in the outbox and re-send delivers them (one, then all with confirmation)', async ({ page }) => {
  receiver = await LoopbackReceiver.start();
  host = await startHost(defaultHostConfig({ apps: [{ appId: APP, md5Key: MD5_KEY, callbackUrl: receiver.url, retry: fastRetry }] }));
  await ConsolePage.signIn(page, host.url);
  await openScreen(page, 'gateway');
  const app = page.getByTestId(`gateway-app-${APP}`);
  await expect(app).toContainText(receiver.url);
  await expect(page.getByTestId(`gateway-app-md5-${APP}`)).toContainText(/set/);
  // Regression: no part of the MD5 secret is shown (it once showed its first characters).
  await expect(page.getByTestId(`gateway-app-md5-${APP}`)).not.toContainText(MD5_KEY.slice(0, 4));
  expect(await page.getByTestId('screen-gateway').innerText()).not.toContain(MD5_KEY.slice(0, 4));
  await expect(page.getByTestId('server-public-key')).toContainText('BEGIN PUBLIC KEY');

  // Two logins → two userlogin_notify notices; the receiver answers 500, so both die (2 attempts).
  clients.push(await signedInClient(host.url, 'alice', 'alice-pw'));
  clients.push(await signedInClient(host.url, 'bob', 'bob-pw'));
  await expect(page.getByTestId(`outbox-dead-${APP}`)).toHaveText('2', { timeout: 15_000 });
  await expect(page.getByTestId(`outbox-pending-${APP}`)).toHaveText('0');
  await expect(page.getByTestId('dead-count')).toHaveText('2');
  await expect(page.locator('[data-testid^="delivery-row-"][data-outcome="dead"]')).toHaveCount(2);
  await expect(page.locator('[data-testid^="delivery-row-"][data-outcome="retry"]')).toHaveCount(2);
  expect(receiver.received.map((r) => r.method)).toEqual(Array(4).fill('userlogin_notify'));
  await page.screenshot({ path: test.info().outputPath('gateway-dead.png'), fullPage: true });

  // The receiver recovers; re-send one notice.
  receiver.status = 200;
  const first = page.locator('[data-testid^="dead-notice-"]').first();
  const notifyId = (await first.getAttribute('data-testid'))!.replace('dead-notice-', '');
  await page.getByTestId(`resend-${notifyId}`).click();
  await expect.poll(() => receiver!.deliveredIds()).toEqual([notifyId]);
  await expect(page.getByTestId(`dead-notice-${notifyId}`)).toHaveCount(0);
  await expect(page.getByTestId(`outbox-dead-${APP}`)).toHaveText('1');
  await expect(page.locator(`[data-testid^="delivery-row-"][data-outcome="delivered"][data-notify-id="${notifyId}"]`)).toHaveCount(1);

  // Re-send all dead: Escape cancels, confirm sends.
  await page.getByTestId('resend-all').click();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page.getByTestId(`outbox-dead-${APP}`)).toHaveText('1');
  await page.getByTestId('resend-all').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
  await expect(page.getByTestId(`outbox-dead-${APP}`)).toHaveText('0');
  await expect(page.getByTestId('dead-count')).toHaveText('0');
  await expect.poll(() => receiver!.deliveredIds().length).toBe(2);

  // The delivery-log app filter.
  await page.getByTestId('delivery-filter-app').selectOption(APP);
  await expect(page.locator('[data-testid^="delivery-row-"][data-outcome="delivered"]')).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath('gateway-resent.png'), fullPage: true });
});

test('queues: areas and queues from signed requests, an agent with its status, a waiting customer', async ({ page }) => {
  host = await startHost(defaultHostConfig({ apps: [{ appId: APP, md5Key: MD5_KEY }], gateway: { replayKey: 'request' } }));
  const area = await gatewayCall(host.url, APP, MD5_KEY, 'object_info_set', { action: 1, objecttype: 4, objectid: 1, name: 'Support' });
  const queue = await gatewayCall(host.url, APP, MD5_KEY, 'object_info_set', {
    action: 1,
    objecttype: 5,
    objectid: 10,
    parentobjectid: 1,
    name: 'Sales',
    skillgroups: [100],
  });
  const skill = await gatewayCall(host.url, APP, MD5_KEY, 'object_info_set', { action: 1, objecttype: 9, objectid: 100, name: 'English' });
  const areaGuid = String(area.objectguid);
  const queueGuid = String(queue.objectguid);

  await ConsolePage.signIn(page, host.url);
  await openScreen(page, 'queues');
  await expect(page.getByTestId(`area-${areaGuid}`)).toContainText('Support');
  await expect(page.getByTestId(`queue-${queueGuid}`)).toContainText('Sales');
  await expect(page.getByTestId(`skill-${String(skill.objectguid)}`)).toContainText('English');

  // alice: an agent, away; then idle.
  const alice = await signedInClient(host.url, 'alice', 'alice-pw');
  clients.push(alice);
  await alice.request('queueAgentStatus', { status: 3, areaId: 1, skillgroups: [100] });
  await expect(page.getByTestId('agent-1001')).toHaveAttribute('data-status', '3');
  await expect(page.getByTestId('agent-status-1001')).toHaveText('away');

  // bob: a customer waiting in Sales (the only agent is away, so he stays queued).
  const bob = await signedInClient(host.url, 'bob', 'bob-pw');
  clients.push(bob);
  await bob.request('queueEnterArea', { areaId: 1 });
  await bob.request('queueEnter', { queueId: 10 });
  await expect(page.getByTestId(`queue-${queueGuid}`)).toHaveAttribute('data-waiting', '1');
  await expect(page.getByTestId('waiting-1002')).toContainText('bob');
  await expect(page.getByTestId(`area-queued-${areaGuid}`)).toHaveText('1');
  const wait = page.getByTestId('waiting-time-1002');
  await expect(wait).toHaveText(/^00:0[1-9]$/, { timeout: 5_000 }); // the wait time runs live
  await page.screenshot({ path: test.info().outputPath('queues-waiting.png'), fullPage: true });

  // alice goes idle: the router hands bob to her — she is busy serving him.
  await alice.request('queueAgentStatus', { status: 1, areaId: 1, skillgroups: [100] });
  await expect(page.getByTestId('agent-1001')).toHaveAttribute('data-status', '2');
  await expect(page.getByTestId('agent-serving-1001')).toContainText('1002');
  await expect(page.getByTestId(`queue-${queueGuid}`)).toHaveAttribute('data-waiting', '0');
  await page.getByTestId('language').selectOption('zh-CN');
  await expect(page.getByTestId('agent-status-1001')).toHaveText('忙碌');
  await page.screenshot({ path: test.info().outputPath('queues-busy-zh.png'), fullPage: true });
  await page.getByTestId('language').selectOption('en');
});

/**
 * Bans that hold and a ban list that tells the truth (issue 16): a banned guest cannot sign
 * back in under the same name, an address ban holds for any name, expired bans leave the list
 * without a reload, a ban on a user who just left shows their name, and who imposed a ban
 * survives a host restart.
 */
import { expect, test } from '@playwright/test';
import { SignalingCodes } from '../../shared/codes';
import { defaultHostConfig, startHost, waitHealthy, type RunningHost } from '../fixtures/host';
import { signedInClient } from './clients';
import { ConsolePage, consoleSocketCall } from './consolePage';

let hosts: RunningHost[] = [];
test.afterEach(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  hosts = [];
});

async function start(config = defaultHostConfig(), dataDir?: string): Promise<RunningHost> {
  const h = await startHost(config, [], dataDir);
  hosts.push(h);
  return h;
}

async function loginError(url: string, userName: string, password: string): Promise<number | null> {
  try {
    const c = await signedInClient(url, userName, password);
    c.close();
    return null;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

test('a banned guest cannot sign back in under the same name; the kicked user is told the reason', async ({ page }) => {
  const host = await start();
  const guest = await signedInClient(host.url, 'griefer', '');
  const kicked = guest.next('kicked', () => true, 10_000);
  const console = await ConsolePage.signIn(page, host.url);
  await console.go('users');
  const guestId = guest.userId!;
  await page.getByTestId(`kick-${guestId}`).click();
  await page.getByTestId('kick-ban').selectOption(String(10 * 60));
  await expect(page.getByTestId('confirm-dialog')).toContainText('griefer');
  await page.getByTestId('kick-reason').fill('spamming the room');
  await console.confirm();
  expect(await kicked).toMatchObject({ errorCode: 211, reason: 'spamming the room' });
  await expect(page.getByTestId(`ban-${guestId}`)).toContainText('griefer');
  await expect(page.getByTestId(`ban-address-${guestId}`)).toContainText('127.0.0.1');
  // Same guest name, new guest id: still banned. Another guest name is not.
  expect(await loginError(host.url, 'griefer', '')).toBe(SignalingCodes.USER_BANNED);
  expect(await loginError(host.url, 'someone-else', '')).toBeNull();
});

test('an address ban holds for any name from that address', async ({ page }) => {
  const host = await start();
  const alice = await signedInClient(host.url, 'alice', 'alice-pw');
  const console = await ConsolePage.signIn(page, host.url);
  await console.go('users');
  await page.getByTestId('kick-1001').click();
  await page.getByTestId('kick-ban').selectOption(String(10 * 60));
  await page.getByTestId('kick-ban-address').check();
  await console.confirm();
  await expect(page.getByTestId('ban-address-1001')).toContainText(/127\.0\.0\.1 banned/);
  expect(await loginError(host.url, 'bob', 'bob-pw')).toBe(SignalingCodes.USER_BANNED);
  alice.close();
});

test('the ban list: expired bans leave without a reload, a user who just left shows by name, the issuer survives a restart', async ({ page }) => {
  const first = await start();
  const dave = await signedInClient(first.url, 'dave', 'dave-pw');
  const carol = await signedInClient(first.url, 'carol', 'carol-pw');
  const console = await ConsolePage.signIn(page, first.url);
  await console.go('users');
  await expect(console.userRow(1004)).toBeVisible();
  dave.close();
  await expect(console.userRow(1004)).toHaveCount(0);
  // Dave just left: a ban on him shows his name, not "user 1004".
  expect(await consoleSocketCall(page, 'users:kick', { userId: 1004, banSeconds: 3600 })).toMatchObject({ ok: true, value: { kicked: false, banned: true } });
  await expect(page.getByTestId('ban-1004')).toContainText('Dave');
  await expect(page.getByTestId('ban-1004')).not.toContainText('user 1004');
  // Offline users can be looked up by name, and their detail opens.
  await page.getByTestId('lookup-query').fill('dav');
  await page.getByTestId('lookup-submit').click();
  await expect(page.getByTestId('lookup-1004')).toContainText(/Dave.*offline, left/);
  await page.getByTestId('lookup-1004').getByRole('button').click();
  await expect(page.getByTestId('user-detail-presence')).toContainText('offline, left');
  await expect(page.getByTestId('user-detail-address')).toContainText('127.0.0.1');
  await page.keyboard.press('Escape');
  // A short ban lapses on its own: it leaves the open list without a reload.
  expect(await consoleSocketCall(page, 'users:kick', { userId: 1003, banSeconds: 3 })).toMatchObject({ ok: true, value: { kicked: true } });
  await expect(page.getByTestId('ban-1003')).toBeVisible();
  await expect(page.getByTestId('ban-1003')).toHaveCount(0, { timeout: 8_000 });
  carol.close();

  // After a restart, the ban still says who imposed it.
  const port = Number(new URL(first.url).port);
  expect(await first.stop()).toBe(0);
  hosts = [];
  const second = await start(defaultHostConfig({ listen: { host: '127.0.0.1', port } }), first.dataDir);
  await waitHealthy(second.url);
  await page.reload();
  await console.go('users');
  await expect(page.getByTestId('ban-details-1004')).toContainText('by admin');
  await expect(page.getByTestId('ban-1004')).toContainText('Dave');
});

test('kicking a user who already left does not report success', async ({ page }) => {
  const host = await start();
  const bob = await signedInClient(host.url, 'bob', 'bob-pw');
  const console = await ConsolePage.signIn(page, host.url);
  await console.go('users');
  await page.getByTestId('kick-1002').click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  bob.close(); // leaves while the operator is deciding
  await expect(console.userRow(1002)).toHaveCount(0);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('dialog-error')).toContainText(/already left/);
  await expect(page.getByTestId('notice')).not.toContainText(/was kicked/);
  await page.getByTestId('confirm-cancel').click();
  await console.go('audit');
  await expect(page.locator('[data-action="users:kick"]').first()).toHaveAttribute('data-result', 'error');
});

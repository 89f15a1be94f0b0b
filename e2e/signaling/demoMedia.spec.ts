/**
 * Demo page media: alice turns her (fake) camera on, bob — in the same room — sees her video
 * playing; camera off removes it. Needs a host with the media node (see README.md).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { enterRoom, signedInDemo } from '../fixtures/demoPage';
import { hostPerFile } from '../fixtures/host';

const base = hostPerFile();

async function inRoom(browser: Browser, user: string, password: string, room: string): Promise<Page> {
  const page = await signedInDemo(browser, base(), user, password);
  await enterRoom(page, room, 'interactive');
  return page;
}

test('a published camera reaches the other demo client', async ({ browser }) => {
  const room = `media-${Date.now()}`;
  const alice = await inRoom(browser, 'alice', 'alice-pw', room);
  const bob = await inRoom(browser, 'bob', 'bob-pw', room);
  await alice.getByTestId('camera').click();
  await expect(alice.getByTestId('video-local')).toBeVisible();
  const remote = bob.getByTestId('video-1001');
  await expect(remote).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => remote.evaluate((v) => (v as unknown as { videoWidth: number }).videoWidth), { timeout: 20_000 }).toBeGreaterThan(0);
  await expect(bob.getByTestId('status')).not.toContainText('media:');
  await alice.getByTestId('camera').click();
  await expect(bob.getByTestId('video-1001')).toHaveCount(0, { timeout: 10_000 });
});

/**
 * Two demo-client pages in Chromium chat with each other; a whisper reaches only its target.
 * Base URL: ANYCHAT_BASE_URL (a running host), else Playwright's baseURL, else a fresh host
 * started with e2e/fixtures/host.ts. The host needs users alice/bob/carol (see README.md).
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { enterRoom, signedInDemo } from '../fixtures/demoPage';
import { hostPerFile } from '../fixtures/host';

const base = hostPerFile();

async function signedIn(browser: Browser, user: string, password: string, room: string): Promise<Page> {
  const page = await signedInDemo(browser, base(), user, password);
  await enterRoom(page, room, 'interactive');
  return page;
}

async function say(page: Page, text: string, target: string | null = null, whisper = false): Promise<void> {
  if (target) await page.getByTestId('target').selectOption({ label: target });
  else await page.getByTestId('target').selectOption({ label: 'everyone' });
  const box = page.getByTestId('secret');
  if ((await box.isChecked()) !== whisper) await box.click();
  await page.getByTestId('message').fill(text);
  await page.getByTestId('send').click();
  await expect(page.getByTestId('message')).toHaveValue('');
}

test('two demo clients chat; a whisper reaches only its target', async ({ browser }) => {
  const room = `e2e-${Date.now()}`;
  const alice = await signedIn(browser, 'alice', 'alice-pw', room);
  const bob = await signedIn(browser, 'bob', 'bob-pw', room);
  const carol = await signedIn(browser, 'carol', 'carol-pw', room);

  await expect(alice.getByTestId('users')).toContainText('Bob');
  await expect(alice.getByTestId('users')).toContainText('Carol');
  await expect(bob.getByTestId('users')).toContainText('Alice');

  await say(alice, 'hello from alice');
  await expect(bob.getByTestId('chat')).toContainText('hello from alice');
  await expect(carol.getByTestId('chat')).toContainText('hello from alice');

  await say(bob, 'hi alice, bob here');
  await expect(alice.getByTestId('chat')).toContainText('hi alice, bob here');

  await say(alice, 'secret for bob', 'Bob', true);
  await expect(bob.getByTestId('chat')).toContainText('secret for bob');
  await expect(bob.getByTestId('chat')).toContainText('(whisper)');
  // Carol gets a later public message, so anything before it has arrived too: the whisper did not.
  await say(alice, 'public again');
  await expect(carol.getByTestId('chat')).toContainText('public again');
  await expect(carol.getByTestId('chat')).not.toContainText('secret for bob');

  await bob.getByTestId('leaveRoom').click();
  await expect(alice.getByTestId('users')).not.toContainText('Bob');
});

/**
 * Public mic seats with real media (seed §8.3, §8.4), on the real headless host and the real demo
 * client page (`/demo/`) in Chromium: alice (interactive) and bob (audience) take the two seats
 * and their pages publish on their own; carol (audience) receives both videos; dave (audience)
 * queues; alice releases the mic → dave is seated, his page publishes, his video reaches carol's
 * page and alice's is dropped there.
 *   npm run build && npx playwright test e2e/business/micSeats.spec.ts
 */
import { expect, test, type Page } from '@playwright/test';
import { hostPerFile } from '../fixtures/host';
import { demoState, enterRoom, expectVideoFlowing, framesFrom, signedInDemo } from '../fixtures/demoPage';

const ALICE = 1001;
const BOB = 1002;
const DAVE = 1004;

const base = hostPerFile();

test('seated users publish, the audience receives them, the queued user takes over a released seat', async ({ browser }) => {
  test.setTimeout(60_000);
  const room = `stage-${Date.now()}`;
  const join = async (user: string, role: 'interactive' | 'audience') => {
    const page = await signedInDemo(browser, base(), user, `${user}-pw`);
    await enterRoom(page, room, role);
    return page;
  };
  const alice = await join('alice', 'interactive');
  const bob = await join('bob', 'audience');
  const carol = await join('carol', 'audience');
  const dave = await join('dave', 'audience');
  const all: Page[] = [alice, bob, carol, dave];

  // Nobody is on the mic yet: nothing published, nothing consumed.
  for (const p of all) await expect(p.getByTestId('mic')).toHaveText('not on the mic');
  await expect(carol.locator('video')).toHaveCount(0);

  // An audience member without a seat cannot publish (900920); the page stays clean.
  await carol.getByTestId('camera').click();
  await expect(carol.getByTestId('status')).toContainText('900920');
  await expect(carol.getByTestId('video-local')).toHaveCount(0);
  expect((await demoState(carol)).publishing).toEqual([]);

  // Two seats: alice then bob are seated, dave queues; everyone sees the same panel.
  await alice.getByTestId('micRequest').click();
  await expect(alice.getByTestId('mic')).toHaveText('on seat 1'); // seat 0 on the wire; people count from 1
  await bob.getByTestId('micRequest').click();
  await expect(bob.getByTestId('mic')).toHaveText('on seat 2');
  await dave.getByTestId('micRequest').click();
  await expect(dave.getByTestId('mic')).toHaveText('queued #1');
  for (const p of all) {
    await expect(p.getByTestId('mic-seat-0')).toHaveAttribute('data-user-id', String(ALICE));
    await expect(p.getByTestId('mic-seat-1')).toHaveAttribute('data-user-id', String(BOB));
    await expect(p.getByTestId(`mic-queue-${DAVE}`)).toBeVisible();
  }

  // Seated pages publish by themselves; the queued one does not.
  await expect(alice.getByTestId('video-local')).toBeVisible({ timeout: 20_000 });
  await expect(bob.getByTestId('video-local')).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await demoState(alice)).publishing, { timeout: 20_000 }).toEqual(['audio', 'video']);
  await expect.poll(async () => (await demoState(bob)).publishing, { timeout: 20_000 }).toEqual(['audio', 'video']);
  expect((await demoState(dave)).publishing).toEqual([]);
  await expect(dave.getByTestId('video-local')).toHaveCount(0);

  // Carol (audience, no seat) decodes both seated users' video, and it keeps growing.
  await expect(carol.getByTestId(`video-${ALICE}`)).toBeVisible({ timeout: 20_000 });
  await expect(carol.getByTestId(`video-${BOB}`)).toBeVisible({ timeout: 20_000 });
  await expectVideoFlowing(carol, ALICE);
  await expectVideoFlowing(carol, BOB);
  // Dave (queued) receives them too.
  await expectVideoFlowing(dave, ALICE);
  expect(await framesFrom(carol, DAVE)).toBe(0);

  // Alice releases the mic: dave (head of the queue) takes seat 0 and publishes; alice stops.
  await alice.getByTestId('micRelease').click();
  await expect(alice.getByTestId('mic')).toHaveText('not on the mic');
  await expect(dave.getByTestId('mic')).toHaveText('on seat 1');
  await expect(carol.getByTestId('mic-seat-0')).toHaveAttribute('data-user-id', String(DAVE));
  await expect(carol.getByTestId('mic-queue')).toBeEmpty();
  await expect(dave.getByTestId('video-local')).toBeVisible({ timeout: 20_000 });
  await expect(alice.getByTestId('video-local')).toHaveCount(0);
  expect((await demoState(alice)).publishing).toEqual([]);

  // Dave's video reaches carol's page; alice's is gone there; bob's still flows.
  await expect(carol.getByTestId(`video-${DAVE}`)).toBeVisible({ timeout: 20_000 });
  await expectVideoFlowing(carol, DAVE);
  await expect(carol.getByTestId(`video-${ALICE}`)).toHaveCount(0);
  await expect.poll(() => framesFrom(carol, ALICE)).toBe(0);
  await expectVideoFlowing(carol, BOB);
  await expect.poll(async () => (await demoState(carol)).consuming).toEqual([BOB, DAVE]);
  // Alice, now off the mic, still receives the two seated users.
  await expectVideoFlowing(alice, DAVE);

  for (const p of [alice, bob, dave]) expect((await demoState(p)).errors).toEqual([]);
  expect((await demoState(carol)).errors).toEqual([expect.stringContaining('900920')]);
  await carol.screenshot({ path: 'out/test-results/business-mic-audience.png' });
});

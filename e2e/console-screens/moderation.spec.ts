/**
 * Moderation from the room view (issue 16): remote mute of a user's microphone stops their audio
 * at the other clients (the SFU pauses it; the user is told and cannot resume it), video goes on;
 * unmute brings the audio back. The "speaking" badge leaves a user who no longer sends audio. The
 * room's public chat shows in the room view, history then live.
 */
import { expect, test, type Page } from '@playwright/test';
import { audioPacketsFrom, demoState, enterRoom, framesFrom, signedInDemo } from '../fixtures/demoPage';
import { defaultHostConfig, startHost, type RunningHost } from '../fixtures/host';
import { signedInClient } from './clients';
import { ConsolePage } from './consolePage';

const ALICE = 1001;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let host: RunningHost;
test.beforeEach(async () => {
  host = await startHost();
});
test.afterEach(async () => {
  await host?.stop();
});

/** Audio packets from alice gained on `page` over `ms`. */
async function audioGained(page: Page, ms: number): Promise<number> {
  const from = await audioPacketsFrom(page, ALICE);
  await sleep(ms);
  return (await audioPacketsFrom(page, ALICE)) - from;
}

async function aliceAndBob(browser: import('@playwright/test').Browser, room: string) {
  const alice = await signedInDemo(browser, host.url, 'alice', 'alice-pw');
  const bob = await signedInDemo(browser, host.url, 'bob', 'bob-pw');
  const roomId = await enterRoom(alice, room, 'interactive');
  expect(await enterRoom(bob, room, 'interactive')).toBe(roomId);
  await alice.getByTestId('camera').click();
  await expect.poll(() => audioPacketsFrom(bob, ALICE), { timeout: 15_000 }).toBeGreaterThan(0);
  return { alice, bob, roomId };
}

test("remote mute: the user's audio stops at the other clients, the user is told and cannot resume it; unmute restores it", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const { alice, bob, roomId } = await aliceAndBob(browser, `mute-${Date.now()}`);
  expect(await audioGained(bob, 1_500)).toBeGreaterThan(15);
  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(roomId);

  await page.getByTestId(`mute-audio-${ALICE}`).click();
  await expect(page.getByTestId(`mute-audio-${ALICE}`)).toHaveAttribute('aria-pressed', 'true');
  await expect(alice.getByTestId('operatorMuted')).toHaveAttribute('data-audio', 'true');
  await sleep(500); // packets already in flight
  expect(await audioGained(bob, 2_000)).toBe(0);
  // Video is untouched.
  const frames = await framesFrom(bob, ALICE);
  await expect.poll(() => framesFrom(bob, ALICE)).toBeGreaterThan(frames);

  // The user's own "unmute" does not get round it: the server refuses the resume.
  await alice.getByTestId('micMute').click(); // pause (allowed)
  await alice.getByTestId('micMute').click(); // resume: refused
  await expect
    .poll(async () => (await demoState(alice)).errors.join(' ') + (await alice.getByTestId('status').innerText()))
    .toMatch(/muted by an operator|900403/);
  expect(await audioGained(bob, 1_500)).toBe(0);

  // Unmute from the console: the user may speak again.
  await page.getByTestId(`mute-audio-${ALICE}`).click();
  await expect(page.getByTestId(`mute-audio-${ALICE}`)).toHaveAttribute('aria-pressed', 'false');
  await expect(alice.getByTestId('operatorMuted')).toHaveCount(0);
  if ((await alice.getByTestId('micMute').getAttribute('data-state')) === 'muted') await alice.getByTestId('micMute').click();
  await expect.poll(() => audioGained(bob, 1_000), { timeout: 15_000 }).toBeGreaterThan(5);

  // The audit log says who muted whom.
  await console.go('audit');
  await expect(page.locator('[data-action="users:mute"]').first()).toHaveAttribute('data-result', 'ok');
  await alice.context().close();
  await bob.context().close();
});

test('the speaking badge leaves a user who stops sending audio', async ({ page, browser }) => {
  test.setTimeout(90_000);
  const { alice, bob, roomId } = await aliceAndBob(browser, `speak-${Date.now()}`);
  const console = await ConsolePage.signIn(page, host.url);
  await console.openRoom(roomId);
  const row = page.getByTestId(`room-user-${ALICE}`);
  await expect(row).toHaveAttribute('data-speaking', 'true', { timeout: 20_000 });
  // Alice mutes her own microphone: no audio, so no badge (it used to stay forever).
  await alice.getByTestId('micMute').click();
  await expect(alice.getByTestId('micMute')).toHaveAttribute('data-state', 'muted');
  await expect(row).toHaveAttribute('data-speaking', 'false', { timeout: 10_000 });
  await alice.context().close();
  await bob.context().close();
});

test('the room view shows the room chat: its history, then new lines live; whispers stay private', async ({ page }) => {
  await host.stop();
  host = await startHost(defaultHostConfig({ rooms: { chatLog: true } }));
  const alice = await signedInClient(host.url, 'alice', 'alice-pw');
  const bob = await signedInClient(host.url, 'bob', 'bob-pw');
  try {
    await alice.enterRoom({ roomId: 777 });
    await bob.enterRoom({ roomId: 777 });
    await alice.sendTextMessage(-1, 'hello before the operator looked');
    await alice.sendTextMessage(1002, 'a whisper to bob', true);
    const console = await ConsolePage.signIn(page, host.url);
    await console.openRoom(777);
    const chat = page.getByTestId('room-chat-777');
    await expect(chat.getByTestId('chat-line')).toHaveCount(1);
    await expect(chat).toContainText('Alice: hello before the operator looked');
    await bob.sendTextMessage(-1, 'and one while it is open');
    await expect(chat.getByTestId('chat-line')).toHaveCount(2);
    await expect(chat.getByTestId('chat-line').last()).toContainText('Bob: and one while it is open');
    await expect(chat).not.toContainText('a whisper to bob');
  } finally {
    alice.close();
    bob.close();
  }
});

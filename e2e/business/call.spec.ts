/**
 * A video call with media (seed §6), on the real headless host and the real demo client page
 * (`/demo/`) in Chromium: alice calls bob, bob accepts, both pages enter the allocated call room
 * and exchange audio/video through the media node; the operator hangs the call up over the
 * console socket (`calls:hangup` → videoCallControl finish) and both pages see the finish and
 * leave the room, which ends. Before that a call is rejected by the callee; after it, one is hung
 * up from the callee's page.
 *   npm run build && npx playwright test e2e/business/call.spec.ts
 */
import { expect, test } from '@playwright/test';
import { hostPerFile } from '../fixtures/host';
import { ConsoleSession, demoState, expectVideoFlowing, signedInDemo } from '../fixtures/demoPage';

const ALICE = 1001;
const BOB = 1002;
const FINISH = 4;

const base = hostPerFile();

test('alice calls bob, bob accepts, media flows both ways, the operator ends it for both', async ({ browser }) => {
  test.setTimeout(60_000);
  const console_ = await ConsoleSession.open(base());
  try {
    const alice = await signedInDemo(browser, base(), 'alice', 'alice-pw');
    const bob = await signedInDemo(browser, base(), 'bob', 'bob-pw');

    // A rejected call leaves both idle.
    await alice.getByTestId('callUser').fill(String(BOB));
    await alice.getByTestId('callStart').click();
    await expect(alice.getByTestId('callState')).toHaveAttribute('data-state', 'calling');
    await expect(bob.getByTestId('callIncoming')).toBeVisible();
    await bob.getByTestId('callReject').click();
    await expect(alice.getByTestId('callState')).toHaveAttribute('data-state', 'idle');
    await expect(alice.getByTestId('status')).toContainText('call refused');
    await expect(bob.getByTestId('callState')).toHaveAttribute('data-state', 'idle');

    // Accepted: both pages enter the allocated room and publish.
    await alice.getByTestId('callUser').fill(String(BOB));
    await alice.getByTestId('callStart').click();
    await expect(bob.getByTestId('callState')).toContainText('incoming call from');
    await bob.getByTestId('callAccept').click();
    await expect(alice.getByTestId('callState')).toHaveAttribute('data-state', 'active');
    await expect(bob.getByTestId('callState')).toHaveAttribute('data-state', 'active');
    const roomId = Number(await alice.getByTestId('callState').getAttribute('data-room-id'));
    expect(roomId).toBeGreaterThan(0);
    await expect(bob.getByTestId('callState')).toHaveAttribute('data-room-id', String(roomId));
    await expect(alice.getByTestId('status')).toContainText(`in room ${roomId}`);
    await expect(bob.getByTestId('status')).toContainText(`in room ${roomId}`);

    const calls = await console_.call<{ callId: string; callerId: number; calleeId: number; roomId: number | null }[]>('calls:list');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ callerId: ALICE, calleeId: BOB, roomId });

    // Media both ways.
    await expect(alice.getByTestId(`video-${BOB}`)).toBeVisible({ timeout: 20_000 });
    await expect(bob.getByTestId(`video-${ALICE}`)).toBeVisible({ timeout: 20_000 });
    await expectVideoFlowing(alice, BOB);
    await expectVideoFlowing(bob, ALICE);
    expect((await demoState(alice)).publishing).toEqual(['audio', 'video']);
    expect((await demoState(bob)).publishing).toEqual(['audio', 'video']);
    for (const p of [alice, bob]) expect((await demoState(p)).errors).toEqual([]);

    // The server ends the call: both pages see finish and are out of the room.
    await console_.call('calls:hangup', { callId: calls[0]!.callId });
    for (const p of [alice, bob]) {
      await expect(p.getByTestId('callState')).toHaveAttribute('data-state', 'idle');
      await expect(p.getByTestId('status')).toContainText('call finished');
      await expect(p.getByTestId('enterRoom')).toBeVisible();
      await expect(p.locator('video')).toHaveCount(0);
      const s = await demoState(p);
      expect(s.callEvents.filter((e) => e.eventType === FINISH).map((e) => e.param)).toEqual([roomId]);
      expect(s.roomId).toBe(0);
    }
    await expect.poll(() => console_.call<unknown[]>('calls:list')).toEqual([]);
    await expect.poll(async () => (await console_.call<{ roomId: number }[]>('rooms:list')).some((r) => r.roomId === roomId)).toBe(false);

    // Another call, hung up by the callee from the page: both sides end.
    await alice.getByTestId('callUser').fill(String(BOB));
    await alice.getByTestId('callStart').click();
    await bob.getByTestId('callAccept').click();
    await expect(alice.getByTestId('callState')).toHaveAttribute('data-state', 'active');
    await expect(alice.getByTestId(`video-${BOB}`)).toBeVisible({ timeout: 20_000 });
    await bob.getByTestId('callHangup').click();
    for (const p of [alice, bob]) {
      await expect(p.getByTestId('callState')).toHaveAttribute('data-state', 'idle');
      await expect(p.getByTestId('enterRoom')).toBeVisible();
    }
    await expect.poll(() => console_.call<unknown[]>('calls:list')).toEqual([]);
  } finally {
    console_.close();
  }
});

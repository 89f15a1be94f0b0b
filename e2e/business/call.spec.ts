/**
 * A video call with media in Chromium (seed §6): A calls B, B accepts, both enter the allocated
 * room and exchange audio/video through the media node; the server ends the call
 * (videoCallControl) and both pages see finish; the call room is torn down.
 *   npx playwright test e2e/business/call.spec.ts
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { VideoCallEvent } from '../../electron/sdk';
import { E2E_USERS, buildMicPage, startBusinessServer, type BusinessServer } from './server';

type App = {
  login(ws: string, u: string, p: string): Promise<number>;
  call(userId: number): Promise<unknown>;
  autoAccept: boolean;
  stats(): Promise<Record<string, number>>;
  state(): { publishing: string[]; consuming: number; errors: string[]; roomId: number; callEvents: { eventType: number; param: number }[] };
};
const call = <R>(p: Page, fn: (a: App) => R | Promise<R>) =>
  p.evaluate(([src]) => new Function('a', `return (${src})(a)`)((globalThis as unknown as { app: App }).app) as R, [fn.toString()] as const);

test.describe('video call with media (Chromium)', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let server: BusinessServer;
  let browser: Browser;
  let a: Page;
  let b: Page;
  const [ua, ub] = [E2E_USERS[0]!, E2E_USERS[1]!];

  test.beforeAll(async () => {
    server = await startBusinessServer(await buildMicPage(), [44200, 44399]);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
    [a, b] = [await browser.newPage(), await browser.newPage()];
    for (const [p, u] of [[a, ua], [b, ub]] as const) {
      await p.goto(server.url);
      await p.waitForFunction(() => 'app' in globalThis);
      await p.evaluate(([ws, n, pw]) => (globalThis as unknown as { app: App }).app.login(ws, n, pw), [server.wsUrl, u.userName, u.password] as const);
    }
  });

  test.afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('A calls B, B accepts, media flows both ways, the server ends it for both', async () => {
    await b.evaluate(() => ((globalThis as unknown as { app: App }).app.autoAccept = true));
    await a.evaluate((id) => (globalThis as unknown as { app: App }).app.call(id), ub.userId);
    const roomOf = (p: Page) => call(p, (x) => x.state().roomId);
    await expect.poll(() => roomOf(a), { timeout: 10_000 }).toBeGreaterThan(0);
    const roomId = await roomOf(a);
    await expect.poll(() => roomOf(b)).toBe(roomId);
    expect(server.business.listRooms().find((r) => r.roomId === roomId)).toMatchObject({ isCallRoom: true });

    const frames = (p: Page, userId: number) => call(p, (x) => x.stats()).then((s) => s[String(userId)] ?? 0);
    await expect.poll(() => frames(a, ub.userId), { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(() => frames(b, ua.userId), { timeout: 30_000 }).toBeGreaterThan(10);

    server.sdk.videoCallControl(VideoCallEvent.FINISH, ua.userId);
    const finished = (p: Page) => call(p, (x) => x.state().callEvents.filter((e) => e.eventType === 4).map((e) => e.param));
    await expect.poll(() => finished(a)).toEqual([roomId]);
    await expect.poll(() => finished(b)).toEqual([roomId]);
    await expect.poll(() => server.sdk.getOnlineUser(ua.userId)?.roomId ?? null).toBeNull();
    await expect.poll(() => server.sdk.getOnlineUser(ub.userId)?.roomId ?? null).toBeNull();
    await expect.poll(() => server.business.listRooms().some((r) => r.roomId === roomId)).toBe(false);
    for (const p of [a, b]) expect(await call(p, (x) => x.state().errors)).toEqual([]);
  });
});

/**
 * Public mic seats with real media in Chromium (seed §8.3, §8.4): two clients take the two seats
 * and publish; a third, audience, receives both videos; the first releases the mic, the queued
 * fourth is seated, publishes, and its video reaches the audience page.
 *   npx playwright test e2e/business/micSeats.spec.ts
 */
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { chromiumArgs } from '../../playwright.config';
import { E2E_USERS, buildMicPage, startBusinessServer, type BusinessServer } from './server';

type App = {
  login(ws: string, u: string, p: string): Promise<number>;
  join(room: Record<string, unknown>, mode: 'mic' | 'all'): Promise<number>;
  micRequest(): Promise<{ state: string; seat?: number; position?: number }>;
  micRelease(): Promise<{ state: string }>;
  stats(): Promise<Record<string, number>>;
  state(): { publishing: string[]; seated: number[]; queue: number[]; consuming: number; errors: string[] };
};
const app = (p: Page) => p.evaluate.bind(p) as <R, A>(fn: (arg: A) => R | Promise<R>, arg: A) => Promise<R>;
const call = <R>(p: Page, fn: (a: App) => R | Promise<R>) =>
  app(p)(([src]) => new Function('a', `return (${src})(a)`)((globalThis as unknown as { app: App }).app) as R, [fn.toString()] as const);

test.describe('mic seats carry media (Chromium)', () => {
  test.describe.configure({ mode: 'serial', timeout: 150_000 });
  let server: BusinessServer;
  let browser: Browser;
  const pages: Page[] = [];
  const uidOf = (i: number) => E2E_USERS[i]!.userId;

  test.beforeAll(async () => {
    server = await startBusinessServer(await buildMicPage(), [44000, 44199]);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
    for (let i = 0; i < 4; i++) {
      const p = await browser.newPage();
      await p.goto(server.url);
      await p.waitForFunction(() => 'app' in globalThis);
      const u = E2E_USERS[i]!;
      await app(p)(([ws, n, pw]) => (globalThis as unknown as { app: App }).app.login(ws, n, pw), [server.wsUrl, u.userName, u.password] as const);
      await app(p)(() => (globalThis as unknown as { app: App }).app.join({ roomName: 'stage', role: 'audience' }, 'mic'), null);
      pages.push(p);
    }
  });

  test.afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('two seated clients publish and the audience decodes both; the queued fourth takes over', async () => {
    const [p1, p2, audience, p4] = pages as [Page, Page, Page, Page];
    expect(await call(p1, (a) => a.micRequest())).toEqual({ state: 'seated', seat: 0 });
    expect(await call(p2, (a) => a.micRequest())).toEqual({ state: 'seated', seat: 1 });
    expect(await call(p4, (a) => a.micRequest())).toEqual({ state: 'queued', position: 1 });
    await expect.poll(() => call(p1, (a) => a.state().publishing), { timeout: 20_000 }).toEqual(['audio', 'video']);
    await expect.poll(() => call(p4, (a) => a.state().publishing)).toEqual([]);

    // The audience decodes both seated users' video, and it keeps growing.
    const frames = (p: Page, userId: number) => call(p, (a) => a.stats()).then((s) => s[String(userId)] ?? 0);
    await expect.poll(() => frames(audience, uidOf(0)), { timeout: 30_000 }).toBeGreaterThan(10);
    await expect.poll(() => frames(audience, uidOf(1)), { timeout: 30_000 }).toBeGreaterThan(10);
    const before = [await frames(audience, uidOf(0)), await frames(audience, uidOf(1))];
    await expect.poll(() => frames(audience, uidOf(0))).toBeGreaterThan(before[0]!);
    await expect.poll(() => frames(audience, uidOf(1))).toBeGreaterThan(before[1]!);
    expect(await frames(audience, uidOf(3))).toBe(0);

    // The first releases the mic: the queued fourth is seated, publishes, and reaches the audience.
    expect(await call(p1, (a) => a.micRelease())).toEqual({ state: 'none' });
    await expect.poll(() => call(audience, (a) => a.state().seated.sort()), { timeout: 10_000 }).toEqual([uidOf(1), uidOf(3)].sort());
    await expect.poll(() => call(p4, (a) => a.state().publishing), { timeout: 20_000 }).toEqual(['audio', 'video']);
    await expect.poll(() => call(p1, (a) => a.state().publishing)).toEqual([]);
    await expect.poll(() => frames(audience, uidOf(3)), { timeout: 30_000 }).toBeGreaterThan(10);
    const f4 = await frames(audience, uidOf(3));
    await expect.poll(() => frames(audience, uidOf(3))).toBeGreaterThan(f4);
    // User 1's video is no longer consumed by the audience.
    await expect.poll(() => frames(audience, uidOf(0))).toBe(0);
    for (const p of pages) expect(await call(p, (a) => a.state().errors)).toEqual([]);
    // The audience page shows exactly the two seated users' videos.
    const shown = await audience.locator('video').evaluateAll((els) => els.map((v) => Number((v as unknown as { dataset: { userId: string } }).dataset.userId)).sort());
    expect(shown).toEqual([uidOf(1), uidOf(3)].sort());
    await audience.screenshot({ path: 'out/test-results/business-mic-audience.png' });
  });
});

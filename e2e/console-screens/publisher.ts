/**
 * A user who publishes camera + microphone into a room of the host: the business e2e page script
 * (e2e/business/page/client.js, fake media devices) loaded into a real page of the host (`/demo/`)
 * from a routed same-origin URL, so its WebSocket reaches the host's `/ws`. (A routed *document*
 * would not do: Chromium's local-network-access checks block its WebSocket to loopback.)
 */
import type { Browser, Page } from '@playwright/test';
import { buildMicPage } from '../business/server';

type App = {
  login(ws: string, u: string, p: string): Promise<number>;
  join(room: Record<string, unknown>, mode: 'mic' | 'all'): Promise<number>;
  state(): { publishing: string[]; errors: string[] };
};

let bundle: Promise<{ html: string; js: string }> | null = null;

export async function publishingUser(browser: Browser, baseUrl: string, userName: string, password: string, roomName: string): Promise<{ page: Page; roomId: number }> {
  bundle ??= buildMicPage();
  const { js } = await bundle;
  const base = baseUrl.replace(/\/$/, '');
  const page = await (await browser.newContext()).newPage();
  await page.route(`${base}/e2e-publisher.js`, (r) => r.fulfill({ body: js, contentType: 'text/javascript' }));
  await page.goto(`${base}/demo/`);
  await page.addScriptTag({ url: `${base}/e2e-publisher.js`, type: 'module' });
  await page.waitForFunction(() => 'app' in globalThis);
  const ws = `${base.replace(/^http/, 'ws')}/ws`;
  await page.evaluate(([w, u, p]) => (globalThis as unknown as { app: App }).app.login(w, u, p), [ws, userName, password] as const);
  const roomId = await page.evaluate((name) => (globalThis as unknown as { app: App }).app.join({ roomName: name }, 'all'), roomName);
  await page.waitForFunction(() => (globalThis as unknown as { app: App }).app.state().publishing.length === 2, null, { timeout: 20_000 });
  return { page, roomId };
}

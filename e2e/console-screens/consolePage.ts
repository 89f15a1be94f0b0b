/**
 * Page objects for the console journeys: the operator console (test ids in renderer/TESTIDS.md)
 * and the demo client page (`/demo/`) used as the user being administered.
 */
import { expect, type Browser, type Page } from '@playwright/test';
import { enterRoom, signedInDemo } from '../fixtures/demoPage';
import { OPERATOR } from '../fixtures/host';

export class ConsolePage {
  constructor(readonly page: Page) {}

  static async signIn(page: Page, baseUrl: string): Promise<ConsolePage> {
    await page.goto(baseUrl);
    await page.getByLabel(/user name/i).fill(OPERATOR.username);
    await page.getByLabel(/password/i).fill(OPERATOR.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await expect(page.getByTestId('operator')).toHaveText(OPERATOR.username);
    return new ConsolePage(page);
  }

  async go(page: 'dashboard' | 'rooms' | 'users' | 'recordings' | 'calls' | 'audit'): Promise<void> {
    await this.page.getByTestId(`nav-${page}`).click();
    await expect(this.page.getByTestId(`screen-${page}`)).toBeVisible();
  }

  async openRoom(roomId: number): Promise<void> {
    await this.go('rooms');
    await this.page.getByTestId(`room-row-${roomId}`).click();
    await expect(this.page.getByTestId(`room-detail-${roomId}`)).toBeVisible();
  }

  userRow(userId: number) {
    return this.page.getByTestId(`user-row-${userId}`);
  }

  async confirm(): Promise<void> {
    await this.page.getByTestId('confirm-ok').click();
    await expect(this.page.getByTestId('confirm-dialog')).toHaveCount(0);
  }
}

export class DemoClient {
  constructor(readonly page: Page) {}

  static async enterRoom(browser: Browser, baseUrl: string, user: string, password: string, room: number): Promise<DemoClient> {
    const page = await signedInDemo(browser, baseUrl, user, password);
    expect(await enterRoom(page, String(room), 'interactive')).toBe(room);
    return new DemoClient(page);
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }
}

/**
 * A raw console-socket call from the signed-in page, with its session cookie: what a crafted client
 * could send, or a call the page's dialogs do not offer.
 */
export function consoleSocketCall(
  page: Page,
  call: string,
  args: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: number; message: string } }> {
  const wsUrl = `${new URL(page.url()).origin.replace('http', 'ws')}/console/ws`;
  return page.evaluate(
    ([c, a, u]) =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(u);
        ws.onopen = () => ws.send(JSON.stringify({ id: 1, call: c, args: a }));
        ws.onmessage = (ev) => {
          const m = JSON.parse(String(ev.data));
          if (m.id === 1) {
            ws.close();
            resolve(m);
          }
        };
        ws.onerror = () => reject(new Error('socket refused'));
      }),
    [call, args, wsUrl] as const,
  );
}

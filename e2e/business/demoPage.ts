/**
 * Drives the real demo client page (`/demo/`, renderer/demo, test ids in renderer/demo/TESTIDS.md)
 * of a real headless host, and the host's operator console socket (`/console/ws`) for server-side
 * actions. Media numbers come from the page's read-only debug hook `window.__demo`.
 */
import { expect, type Browser, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { OPERATOR } from '../fixtures/host';

export interface DemoState {
  userId: number;
  roomId: number;
  mode: 'room' | 'call';
  publishing: string[];
  seated: number[];
  queue: number[];
  consuming: number[];
  errors: string[];
  call: { state: string; peer?: number; roomId?: number };
  callEvents: { eventType: number; userId: number; errorCode: number; param: number }[];
}

type Hook = { __demo: { stats(): Promise<Record<string, number>>; state(): DemoState } };

/** A fresh browser context on the host's demo page, signed in. */
export async function signedInDemo(browser: Browser, baseUrl: string, userName: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${baseUrl}/demo/`);
  await page.getByTestId('userName').fill(userName);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('signIn').click();
  await expect(page.getByTestId('status')).toContainText('signed in as');
  return page;
}

export async function enterRoom(page: Page, room: string, role: 'interactive' | 'audience'): Promise<number> {
  await page.getByTestId('room').fill(room);
  await page.getByTestId('role').selectOption(role);
  await page.getByTestId('enterRoom').click();
  await expect(page.getByTestId('status')).toContainText('in room');
  return Number(/in room (\d+)/.exec((await page.getByTestId('status').textContent()) ?? '')![1]);
}

export function demoState(page: Page): Promise<DemoState> {
  return page.evaluate(() => (globalThis as unknown as Hook).__demo.state());
}

/** Video frames decoded so far from `userId` on this page (0 when not consumed). */
export function framesFrom(page: Page, userId: number): Promise<number> {
  return page.evaluate(async (id) => (await (globalThis as unknown as Hook).__demo.stats())[String(id)] ?? 0, userId);
}

/** Waits until `userId`'s video decodes on `page` and keeps decoding. */
export async function expectVideoFlowing(page: Page, userId: number): Promise<void> {
  await expect.poll(() => framesFrom(page, userId), { timeout: 30_000 }).toBeGreaterThan(10);
  const before = await framesFrom(page, userId);
  await expect.poll(() => framesFrom(page, userId)).toBeGreaterThan(before);
}

/** The operator console over its WebSocket: sign in, then `{id, call, args}` frames. */
export class ConsoleSession {
  private nextId = 1;
  private readonly pending = new Map<number, (msg: { ok: boolean; value?: unknown; error?: { code: number; message: string } }) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { id?: number; ok: boolean };
      if (typeof msg.id === 'number') {
        this.pending.get(msg.id)?.(msg);
        this.pending.delete(msg.id);
      }
    });
  }

  static async open(baseUrl: string): Promise<ConsoleSession> {
    const res = await fetch(`${baseUrl}/console/api/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OPERATOR),
    });
    if (res.status !== 200) throw new Error(`console sign-in: ${res.status} ${await res.text()}`);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/console/ws`, { headers: { cookie, origin: baseUrl } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new ConsoleSession(ws);
  }

  async call<T>(name: string, args: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const msg = await new Promise<{ ok: boolean; value?: unknown; error?: { code: number; message: string } }>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ id, call: name, args }));
    });
    if (!msg.ok) throw new Error(`${name}: ${msg.error?.code} ${msg.error?.message}`);
    return msg.value as T;
  }

  close(): void {
    this.ws.close();
  }
}

/** A demo page in `roomName` (interactive) publishing camera + microphone by hand. */
export async function publishingDemoUser(browser: Browser, baseUrl: string, userName: string, password: string, roomName: string): Promise<{ page: Page; roomId: number }> {
  const page = await signedInDemo(browser, baseUrl, userName, password);
  const roomId = await enterRoom(page, roomName, 'interactive');
  await page.getByTestId('camera').click();
  await expect(page.getByTestId('video-local')).toBeVisible({ timeout: 20_000 });
  await expect.poll(async () => (await demoState(page)).publishing, { timeout: 20_000 }).toEqual(['audio', 'video']);
  return { page, roomId };
}

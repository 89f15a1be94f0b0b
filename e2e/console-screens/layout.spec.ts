/**
 * Layout regressions (issue 16): at 1024 px the Users table once collapsed to "U.." and at
 * 1440 px guest ids were cut. Every cell must be at least as wide as its header needs, and ids
 * must show whole, in Debian Chromium with the CJK font installed.
 */
import { expect, test, type Page } from '@playwright/test';
import { hostPerFile } from '../fixtures/host';
import { signedInClient } from './clients';
import { ConsolePage } from './consolePage';
import type { AnyChatClient } from '../../shared/client';

const base = hostPerFile();
let clients: AnyChatClient[] = [];
test.afterAll(() => clients.forEach((c) => c.close()));

interface Measured {
  headers: { text: string; need: number; width: number }[];
  narrowest: { column: number; width: number }[];
  truncatedIds: string[];
}

/** Header i's natural width vs. the narrowest cell i among the rendered rows, and ids cut short. */
function measure(page: Page): Promise<Measured> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): El | null; querySelectorAll(s: string): El[] } }).document;
    type El = { children: ArrayLike<El>; scrollWidth: number; clientWidth: number; getBoundingClientRect(): { width: number }; textContent: string | null };
    const head = doc.querySelector('.vhead')!;
    const headers = Array.from(head.children).map((h) => ({ text: h.textContent ?? '', need: h.scrollWidth, width: h.getBoundingClientRect().width }));
    const rows = doc.querySelectorAll('[data-testid^="user-row-"]');
    const narrowest = headers.map((_, i) => ({ column: i, width: Math.min(...Array.from(rows).map((r) => r.children[i].getBoundingClientRect().width)) }));
    const truncatedIds = Array.from(rows)
      .map((r) => r.children[0])
      .filter((c) => c.scrollWidth > c.clientWidth)
      .map((c) => c.textContent ?? '');
    return { headers, narrowest, truncatedIds };
  });
}

async function expectUsersTableFits(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 800 });
  await page.waitForTimeout(200);
  const m = await measure(page);
  await page.screenshot({ path: test.info().outputPath(`users-${width}.png`) });
  for (let i = 0; i < m.headers.length; i++) {
    const h = m.headers[i];
    expect(h.need, `header "${h.text}" at ${width} px is cut (needs ${h.need}, has ${h.width})`).toBeLessThanOrEqual(Math.ceil(h.width));
    expect(m.narrowest[i].width, `column "${h.text}" at ${width} px is narrower than its header`).toBeGreaterThanOrEqual(h.need - 1);
  }
  expect(m.truncatedIds, `ids cut at ${width} px`).toEqual([]);
}

test('the Users table at 1024 px and 1440 px: no cell narrower than its header, guest ids whole', async ({ page }) => {
  clients = [
    await signedInClient(base(), 'alice', 'alice-pw'),
    await signedInClient(base(), 'a-guest-with-a-long-name', ''),
    await signedInClient(base(), 'another-guest', ''),
  ];
  await clients[0].enterRoom({ roomId: 4242 });
  const console = await ConsolePage.signIn(page, base());
  await console.go('users');
  await expect(page.locator('[data-testid^="user-row-"]')).toHaveCount(3);
  await expectUsersTableFits(page, 1024);
  await expectUsersTableFits(page, 1440);
  // In Chinese too (CJK glyphs from fonts-noto-cjk).
  await page.getByTestId('language').selectOption('zh-CN');
  await expectUsersTableFits(page, 1024);
  await page.getByTestId('language').selectOption('en');
});

test('the dashboard charts fill their cards and have a time axis and a value axis', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await ConsolePage.signIn(page, base());
  for (const width of [1024, 1440]) {
    await page.setViewportSize({ width, height: 900 });
    for (const id of ['chart-users', 'chart-bitrate']) {
      const chart = page.getByTestId(id);
      await expect.poll(async () => Number(await chart.getAttribute('data-points'))).toBeGreaterThan(1);
      await expect(chart.locator('.u-axis')).toHaveCount(2);
      // (This file type-checks without DOM libs: the page-side code reaches the DOM untyped.)
      const sizes = await chart.evaluate((el) => {
        type Box = { getBoundingClientRect(): { width: number }; clientWidth: number };
        const node = el as unknown as Box & { closest(s: string): Box | null; querySelector(s: string): Box | null };
        const card = node.closest('.card')!;
        const style = (globalThis as unknown as { getComputedStyle(e: unknown): { paddingLeft: string; paddingRight: string } }).getComputedStyle(card);
        return {
          chart: node.querySelector('canvas')!.getBoundingClientRect().width,
          inner: card.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
        };
      });
      expect(sizes.chart, `${id} at ${width} px`).toBeGreaterThanOrEqual(sizes.inner * 0.95);
    }
  }
  await page.screenshot({ path: test.info().outputPath('dashboard-charts.png') });
  expect(errors.filter((e) => /Content Security Policy|uPlot/i.test(e))).toEqual([]);
});

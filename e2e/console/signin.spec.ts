/**
 * Foundation journey: operator sign-in on the web host, the console shell with every
 * component's live status, wrong passwords, throttling, and a config error naming its key.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { componentNames } from '../../shared/status';
import { OPERATOR, startHost, type RunningHost } from '../fixtures/host';

let host: RunningHost;

test.beforeEach(async () => {
  host = await startHost();
});

test.afterEach(async () => {
  await host?.stop();
});

async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel(/user name/i).fill(username);
  await page.getByLabel(/password/i).fill(password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

test('operator signs in and sees every component status live', async ({ page }) => {
  await page.goto(host.url);
  await signIn(page, OPERATOR.username, OPERATOR.password);
  await expect(page.getByTestId('operator')).toHaveText(OPERATOR.username);
  for (const name of componentNames) {
    await expect(page.getByTestId(`status-${name}`)).toBeVisible();
  }
  // Every status shown equals the server's own snapshot.
  const health = (await (await fetch(`${host.url}/healthz`)).json().catch(() => null)) as { components?: { component: string; state: string }[] } | null;
  const snapshot: { component: string; state: string }[] = health?.components ?? componentNames.map((c) => ({ component: c, state: 'up' }));
  for (const s of snapshot) await expect(page.getByTestId(`status-${s.component}`)).toHaveAttribute('data-state', s.state);
  await expect(page.getByTestId('status-core')).toHaveAttribute('data-state', 'up');
  await page.screenshot({ path: test.info().outputPath('console-shell.png') });

  // Live: once the host stops, nothing is known: no component stays green, and the page says so.
  const exit = host.stop();
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'disconnected');
  await expect(page.getByTestId('status-core')).toHaveAttribute('data-state', 'unknown');
  await expect(page.locator('.status-item.state-up')).toHaveCount(0);
  await expect(page.getByRole('alert')).toContainText(/connection/i);
  expect(await exit).toBe(0);
});

test('a session cookie is HttpOnly and SameSite=Strict and survives a reload', async ({ page, context }) => {
  await page.goto(host.url);
  await signIn(page, OPERATOR.username, OPERATOR.password);
  await expect(page.getByTestId('operator')).toBeVisible();
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'anychat_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Strict');
  await page.reload();
  await expect(page.getByTestId('operator')).toHaveText(OPERATOR.username);
});

test('a wrong password shows an error and creates no session', async ({ page, context }) => {
  await page.goto(host.url);
  await signIn(page, OPERATOR.username, 'not-the-password');
  await expect(page.getByTestId('signin-error')).toContainText(/wrong user name or password/i);
  expect((await context.cookies()).find((c) => c.name === 'anychat_session')).toBeUndefined();
  const res = await page.request.get(`${host.url}/console/api/session`);
  expect(res.status()).toBe(401);
  // The console socket refuses a browser without a session.
  const refused = await page.evaluate(
    (u) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(u.replace('http', 'ws') + '/console/ws');
        ws.onopen = () => resolve('open');
        ws.onerror = () => resolve('refused');
      }),
    host.url,
  );
  expect(refused).toBe('refused');
});

test('five fast wrong tries are throttled, even for the right password', async ({ page }) => {
  await page.goto(host.url);
  for (let i = 0; i < 4; i++) {
    await signIn(page, OPERATOR.username, `wrong-${i}`);
    await expect(page.getByTestId('signin-error')).toContainText(/wrong user name or password/i);
  }
  await signIn(page, OPERATOR.username, 'wrong-4');
  await expect(page.getByTestId('signin-error')).toContainText(/too many failed sign-ins/i);
  await signIn(page, OPERATOR.username, OPERATOR.password);
  await expect(page.getByTestId('signin-error')).toContainText(/too many failed sign-ins/i);
  await expect(page.getByTestId('operator')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('throttled.png') });
});

test('a config with a bad key or value makes the host exit non-zero naming the key', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-badcfg-'));
  const cases: [unknown, RegExp][] = [
    [{ listen: { prot: 8600 } }, /listen\.prot.*unknown key/],
    [{ media: { rtcMinPort: 'forty' } }, /media\.rtcMinPort.*expected number/],
    [{ signaling: { duplicateLogin: 'both' } }, /signaling\.duplicateLogin/],
  ];
  for (const [cfg, expected] of cases) {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(cfg));
    const run = spawnSync(process.execPath, ['out/main/host.js', '--config', file, '--data-dir', dir], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(expected);
  }
});

/**
 * TLS: a host with `listen.tls` and a self-signed certificate the test makes with openssl is
 * reached by Chromium over https:// and wss:// — the console (sign-in cookie `Secure`, console
 * socket over wss) and the demo page, which publishes its camera over the wss signaling.
 *   npm run build && npx playwright test e2e/observability/tls.spec.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ConsolePage } from '../console-screens/consolePage';
import { demoState, enterRoom } from '../fixtures/demoPage';
import { defaultHostConfig, OPERATOR, startHost, type RunningHost } from '../fixtures/host';

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
test.skip(!hasOpenssl, 'openssl is needed to make the self-signed certificate');

let host: RunningHost;

test.beforeAll(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  process.env.TLS_TEST_CERT = certFile;
  process.env.TLS_TEST_KEY = keyFile;
});

test.beforeEach(async () => {
  host = await startHost(
    defaultHostConfig({ listen: { host: '127.0.0.1', port: 0, tls: { certFile: process.env.TLS_TEST_CERT, keyFile: process.env.TLS_TEST_KEY } } }),
  );
});

test.afterEach(async () => {
  await host?.stop();
});

test('console and demo page over https and wss with a self-signed certificate', async ({ browser }) => {
  expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  // Plain http on the TLS port is refused (no silent downgrade).
  await expect(fetch(host.url.replace('https:', 'http:') + '/healthz')).rejects.toThrow();

  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  const wsUrls: string[] = [];
  page.on('websocket', (ws) => wsUrls.push(ws.url()));
  const console = await ConsolePage.signIn(page, host.url);
  const cookie = (await context.cookies(host.url)).find((c) => c.name === 'anychat_session');
  expect(cookie).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  expect(wsUrls.some((u) => u.startsWith('wss://127.0.0.1') && u.endsWith('/console/ws'))).toBe(true);
  expect(OPERATOR.username).toBe('admin');

  // The demo client page: secure context, signaling over wss, camera published.
  const demo = await context.newPage();
  const demoWs: string[] = [];
  demo.on('websocket', (ws) => demoWs.push(ws.url()));
  await demo.goto(`${host.url}/demo/`);
  expect(await demo.evaluate(() => (globalThis as unknown as { isSecureContext: boolean }).isSecureContext)).toBe(true);
  await demo.getByTestId('userName').fill('alice');
  await demo.getByTestId('password').fill('alice-pw');
  await demo.getByTestId('signIn').click();
  await expect(demo.getByTestId('status')).toContainText('signed in as');
  expect(demoWs.some((u) => u.startsWith('wss://127.0.0.1') && u.endsWith('/ws'))).toBe(true);
  const roomId = await enterRoom(demo, '808', 'interactive');
  await demo.getByTestId('camera').click();
  await expect.poll(async () => (await demoState(demo)).publishing, { timeout: 20_000 }).toEqual(['audio', 'video']);

  // The console, over its wss socket, sees her in the room.
  await console.go('users');
  await expect(console.userRow(1001)).toContainText(String(roomId));
  await context.close();
});

/**
 * Real Chromium + unmodified mediasoup-client against the media node on networks that are not
 * plain UDP: with `enableUdp: false` the only candidate is passive ICE-TCP (RFC 4571 framing),
 * and ICE restart (`restartIce` → `transport.restartIce({ iceParameters })`) keeps media flowing,
 * over TCP and over UDP.
 *   npx playwright test e2e/media/iceNetworks.spec.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import pino from 'pino';
import { MediaNode, type MediaNodeOptions } from '../../electron/media/index';
import { chromiumArgs as CHROMIUM_ARGS, chromiumPath } from '../fixtures/chromium';
import { buildPage, startHarness, type Harness } from './harness';

type Stats = { framesDecoded: number; videoPackets: number; audioPackets: number };
type Pair = {
  state: string;
  nominated: boolean;
  local: { protocol: string; port: number; tcpType: string | null };
  remote: { protocol: string; port: number; tcpType: string | null; usernameFragment: string | null };
};
type IceParams = { usernameFragment: string; password: string };
interface App {
  init(u: string): Promise<string>;
  publish(): Promise<{ audio: string; video: string }>;
  consume(ids: string[]): Promise<{ id: string; kind: string }[]>;
  stats(): Promise<Stats>;
  selectedPair(direction: 'send' | 'recv'): Promise<Pair | null>;
  restartIce(direction: 'send' | 'recv'): Promise<IceParams>;
}
const init = (p: Page, url: string) => p.evaluate((u) => (globalThis as never as { app: App }).app.init(u), url);
const publish = (p: Page) => p.evaluate(() => (globalThis as never as { app: App }).app.publish());
const consume = (p: Page, ids: string[]) => p.evaluate((x) => (globalThis as never as { app: App }).app.consume(x), ids);
const statsOf = (p: Page) => p.evaluate(() => (globalThis as never as { app: App }).app.stats());
const pairOf = (p: Page, direction: 'send' | 'recv') => p.evaluate((d) => (globalThis as never as { app: App }).app.selectedPair(d), direction);
const restartIce = (p: Page, direction: 'send' | 'recv') => p.evaluate((d) => (globalThis as never as { app: App }).app.restartIce(d), direction);

/** Two pages: A publishes camera+mic, B consumes both, on a node made with `opts`. */
function mediaSession(opts: Partial<MediaNodeOptions>, ports: [number, number]) {
  const s = {} as { node: MediaNode; harness: Harness; browser: Browser; a: Page; b: Page };
  test.beforeAll(async () => {
    s.node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: ports[0],
      rtcMaxPort: ports[1],
      numWorkers: 1,
      recordingsDir: mkdtempSync(path.join(tmpdir(), 'media-ice-e2e-')),
      logger: pino({ level: process.env.MEDIA_LOG ?? 'warn' }),
      ...opts,
    });
    s.harness = await startHarness(s.node, await buildPage());
    s.browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    s.a = await s.browser.newPage();
    s.b = await s.browser.newPage();
    for (const p of [s.a, s.b]) {
      await p.goto(s.harness.url);
      await p.waitForFunction(() => 'app' in globalThis);
      expect(await init(p, s.harness.wsUrl)).toMatch(/Chrome/);
    }
    const ids = await publish(s.a);
    await consume(s.b, [ids.audio, ids.video]);
  });
  test.afterAll(async () => {
    await s.browser?.close();
    await s.harness?.close();
    await s.node?.close();
  });
  return s;
}

/** Frames and packets B receives keep increasing over a further `more` frames. */
async function expectMediaFlowing(b: Page, more: number) {
  const before = await statsOf(b);
  await expect.poll(async () => (await statsOf(b)).framesDecoded, { timeout: 15_000, intervals: [250] }).toBeGreaterThan(before.framesDecoded + more);
  const after = await statsOf(b);
  expect(after.videoPackets).toBeGreaterThan(before.videoPackets);
  expect(after.audioPackets).toBeGreaterThan(before.audioPackets);
}

/** Restarts ICE on A's send and B's recv transports; media must keep flowing with the new credentials. */
async function restartBoth(s: { a: Page; b: Page }, protocol: 'udp' | 'tcp') {
  const before = { a: await pairOf(s.a, 'send'), b: await pairOf(s.b, 'recv') };
  const fresh = {
    a: await restartIce(s.a, 'send'),
    b: await restartIce(s.b, 'recv'),
  };
  for (const side of ['a', 'b'] as const) {
    expect(before[side]?.remote.usernameFragment).toMatch(/^[a-z0-9]{16}$/);
    expect(fresh[side].usernameFragment).not.toBe(before[side]?.remote.usernameFragment);
    expect(fresh[side].password).toMatch(/^[a-z0-9]{32}$/);
  }
  // Chromium checks again with the new credentials and selects a pair of the new generation
  await expect.poll(async () => (await pairOf(s.a, 'send'))?.remote.usernameFragment, { timeout: 15_000 }).toBe(fresh.a.usernameFragment);
  await expect.poll(async () => (await pairOf(s.b, 'recv'))?.remote.usernameFragment, { timeout: 15_000 }).toBe(fresh.b.usernameFragment);
  for (const p of [await pairOf(s.a, 'send'), await pairOf(s.b, 'recv')]) expect(p).toMatchObject({ local: { protocol }, remote: { protocol } });
  await expectMediaFlowing(s.b, 60);
}

test.describe('ICE-TCP only (enableUdp: false)', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  const s = mediaSession({ enableUdp: false, enableTcp: true }, [43400, 43499]);

  test('the node offers one passive TCP host candidate', async () => {
    const [t] = [...s.harness.router.transports.values()];
    expect(t.iceCandidates).toEqual([
      expect.objectContaining({ protocol: 'tcp', tcpType: 'passive', type: 'host', ip: '127.0.0.1', foundation: 'tcpcandidate' }),
    ]);
  });

  test('media flows, and the selected candidate pair is TCP on both transports', async () => {
    await expect.poll(async () => (await statsOf(s.b)).framesDecoded, { timeout: 15_000, intervals: [250] }).toBeGreaterThan(30);
    await expect.poll(async () => (await statsOf(s.b)).audioPackets, { timeout: 5_000 }).toBeGreaterThan(0);
    for (const [page, direction] of [
      [s.a, 'send'],
      [s.b, 'recv'],
    ] as const) {
      // Chromium may send on a pair before its nomination check has been answered (a busy machine): wait for it.
      await expect
        .poll(() => pairOf(page, direction), { timeout: 10_000 })
        .toMatchObject({ state: 'succeeded', nominated: true, local: { protocol: 'tcp' }, remote: { protocol: 'tcp', tcpType: 'passive' } });
    }
    const transports = [...s.harness.router.transports.values()];
    for (const t of transports) {
      const [st] = await t.getStats();
      expect(st.iceSelectedTuple).toMatchObject({ protocol: 'tcp', localIp: '127.0.0.1' });
      expect(st.dtlsState).toBe('connected');
    }
  });

  test('after restartIce on both transports, media keeps flowing over TCP', async () => {
    await restartBoth(s, 'tcp');
  });
});

test.describe('ICE restart over UDP (defaults: UDP preferred, TCP offered too)', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  const s = mediaSession({}, [43500, 43599]);

  test('UDP is ranked first and selected; after restartIce media keeps flowing', async () => {
    const [t] = [...s.harness.router.transports.values()];
    const [udp, tcp] = t.iceCandidates;
    expect(udp).toMatchObject({ protocol: 'udp', priority: 1076558079 });
    expect(tcp).toMatchObject({ protocol: 'tcp', tcpType: 'passive', priority: 1076302079 });
    await expect.poll(async () => (await statsOf(s.b)).framesDecoded, { timeout: 15_000, intervals: [250] }).toBeGreaterThan(30);
    expect(await pairOf(s.b, 'recv')).toMatchObject({ local: { protocol: 'udp' }, remote: { protocol: 'udp' } });
    await restartBoth(s, 'udp');
  });
});

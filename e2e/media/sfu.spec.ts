/**
 * Real Chromium ↔ local media node: user A publishes camera+mic with plain mediasoup-client,
 * user B consumes both. Runs the media engine in a worker thread (TS source under tsx).
 *   npx playwright test e2e/media
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import pino from 'pino';
import { MediaNode } from '../../electron/media/index';
import { EXT } from '../../electron/media/ortc';
import { chromiumArgs as CHROMIUM_ARGS, chromiumPath } from '../fixtures/chromium';
import { buildPage, startHarness, type Harness } from './harness';

type Stats = { framesDecoded: number; videoPackets: number; audioPackets: number };

test.describe('media node with real Chromium', () => {
  test.describe.configure({ mode: 'serial', timeout: 120_000 });
  let node: MediaNode;
  let harness: Harness;
  let browser: Browser;
  let pageA: Page;
  let pageB: Page;
  let producerIds: { audio: string; video: string };
  const recordingsDir = mkdtempSync(path.join(tmpdir(), 'media-e2e-rec-'));

  test.beforeAll(async () => {
    node = await MediaNode.create({
      listenIp: '127.0.0.1',
      announcedIp: null,
      rtcMinPort: 43000,
      rtcMaxPort: 43200,
      numWorkers: 1,
      recordingsDir,
      logger: pino({ level: process.env.MEDIA_LOG ?? 'warn' }),
    });
    harness = await startHarness(node, await buildPage());
    browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
    pageA = await browser.newPage();
    pageB = await browser.newPage();
    for (const p of [pageA, pageB]) {
      await p.goto(harness.url);
      await p.waitForFunction(() => 'app' in globalThis);
      const handler = await p.evaluate((u) => (globalThis as never as { app: { init(u: string): Promise<string> } }).app.init(u), harness.wsUrl);
      expect(handler).toMatch(/Chrome/);
    }
  });

  test.afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await node?.close();
  });

  const statsB = () => pageB.evaluate(() => (globalThis as never as { app: { stats(): Promise<Stats> } }).app.stats());

  test('A publishes camera+mic, B decodes video and receives audio', async () => {
    producerIds = await pageA.evaluate(() => (globalThis as never as { app: { publish(): Promise<{ audio: string; video: string }> } }).app.publish());
    expect(harness.producers.size).toBe(2);
    const consumers = await pageB.evaluate(
      (ids) => (globalThis as never as { app: { consume(ids: string[]): Promise<{ id: string; kind: string }[]> } }).app.consume(ids),
      [producerIds.audio, producerIds.video],
    );
    expect(consumers.map((c) => c.kind)).toEqual(['audio', 'video']);
    await expect.poll(async () => (await statsB()).framesDecoded, { timeout: 10_000, intervals: [250] }).toBeGreaterThan(30);
    await expect.poll(async () => (await statsB()).audioPackets, { timeout: 5_000 }).toBeGreaterThan(0);
    // server-side stats look sane
    const vp = harness.producers.get(producerIds.video)!;
    const [ps] = await vp.getStats();
    expect(ps.packetCount).toBeGreaterThan(30);
    expect(ps.bitrate).toBeGreaterThan(0);
    const vc = [...harness.consumers.values()].find((c) => c.kind === 'video')!;
    const [cs] = await vc.getStats();
    expect(cs.packetCount).toBeGreaterThan(30);
    // transport-wide congestion control: Chrome stamps its video with transport-wide sequence numbers,
    // and B's Chrome answers our stamped packets with transport-cc feedback, from which the node estimates B's downlink
    expect(vp.rtpParameters.headerExtensions?.map((e) => e.uri)).toContain(EXT.TRANSPORT_CC);
    expect(vc.rtpParameters.headerExtensions?.map((e) => e.uri)).toContain(EXT.TRANSPORT_CC);
    expect(vc.rtpParameters.codecs[0].rtcpFeedback?.map((f) => f.type)).not.toContain('goog-remb');
    await expect
      .poll(async () => (await vc.transport.getStats())[0].availableOutgoingBitrate ?? 0, { timeout: 10_000, intervals: [500] })
      .toBeGreaterThan(100_000);
  });

  test('server recording: 5 s of A → WebM with one audio and one video stream', async () => {
    const producers = [harness.producers.get(producerIds.audio)!, harness.producers.get(producerIds.video)!];
    const rec = await node.startRecording({ router: harness.router, userId: 1001, producers, flags: 0x1 | 0x2 | 0x4 });
    await new Promise((r) => setTimeout(r, 5000));
    const result = await node.stopRecording(rec);
    expect(result.bytes).toBeGreaterThan(10_000);
    expect(result.flags & 0x3).toBe(0x3);
    expect(result.durationSeconds).toBeGreaterThan(4);
    expect(result.durationSeconds).toBeLessThan(6);
    const probe = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name:format=duration', '-of', 'json', result.filePath], {
        encoding: 'utf8',
      }),
    ) as { streams: { codec_type: string; codec_name: string }[]; format: { duration: string } };
    expect(probe.streams.filter((s) => s.codec_type === 'audio')).toHaveLength(1);
    expect(probe.streams.filter((s) => s.codec_type === 'video')).toHaveLength(1);
    const d = Number(probe.format.duration);
    expect(d).toBeGreaterThanOrEqual(4);
    expect(d).toBeLessThanOrEqual(6);
    // decodes end to end
    execFileSync('ffmpeg', ['-v', 'error', '-i', result.filePath, '-f', 'null', '-'], { encoding: 'utf8' });
  });

  test('A pauses mic → B audio packets stop growing', async () => {
    await pageA.evaluate(() => (globalThis as never as { app: { pauseProducer(k: string): Promise<void> } }).app.pauseProducer('audio'));
    await new Promise((r) => setTimeout(r, 500)); // in-flight packets drain
    const before = (await statsB()).audioPackets;
    await new Promise((r) => setTimeout(r, 1500));
    const after = await statsB();
    expect(after.audioPackets).toBe(before);
    expect(after.framesDecoded).toBeGreaterThan(30); // video still flowing
  });

  test('A closes video producer → B learns producerClosed', async () => {
    await pageA.evaluate(() => (globalThis as never as { app: { closeProducer(k: string): Promise<void> } }).app.closeProducer('video'));
    await expect
      .poll(() => pageB.evaluate(() => (globalThis as never as { app: { events: { notification: string }[] } }).app.events.map((e) => e.notification)), {
        timeout: 5000,
      })
      .toContain('producerClosed');
  });

  test('simulcast from Chromium: B follows setPreferredLayers (frame width drops to the low layer)', async () => {
    const producerId = await pageA.evaluate(() => (globalThis as never as { app: { publishSimulcast(): Promise<string> } }).app.publishSimulcast());
    const producer = harness.producers.get(producerId)!;
    expect(producer.type).toBe('simulcast');
    expect(producer.rtpParameters.encodings).toHaveLength(3);
    const [c] = await pageB.evaluate(
      (ids) => (globalThis as never as { app: { consume(ids: string[]): Promise<{ id: string }[]> } }).app.consume(ids),
      [producerId],
    );
    const consumer = harness.consumers.get(c.id)!;
    const mid = consumer.rtpParameters.mid!;
    const video = async () =>
      (
        await pageB.evaluate(() =>
          (globalThis as never as { app: { videoByMid(): Promise<Record<string, { framesDecoded: number; frameWidth: number }>> } }).app.videoByMid(),
        )
      )[mid] ?? {
        framesDecoded: 0,
        frameWidth: 0,
      };
    await expect.poll(async () => (await video()).framesDecoded, { timeout: 10_000, intervals: [250] }).toBeGreaterThan(30);
    const [ps0, ps1, ps2] = await producer.getStats();
    expect(ps0.packetCount).toBeGreaterThan(0); // rid-based layers were learnt from MID/RID header extensions
    void ps1;
    void ps2;
    await consumer.setPreferredLayers({ spatialLayer: 0 });
    await expect.poll(async () => (await video()).frameWidth, { timeout: 10_000, intervals: [250] }).toBe(160);
    await consumer.setPreferredLayers({ spatialLayer: 2 });
    await expect.poll(async () => (await video()).frameWidth, { timeout: 15_000, intervals: [250] }).toBeGreaterThan(160);
  });
});

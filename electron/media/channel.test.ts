import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineTimeoutError, InProcessHost, WorkerHost, defaultWorkerScript, type EngineHost } from './channel';
import type { EngineSettings } from './engine/protocol';

const settings: EngineSettings = { listenIp: '127.0.0.1', announcedIp: null, rtcMinPort: 44200, rtcMaxPort: 44210, recordingsDir: tmpdir() };
const logger = pino({ level: 'silent' });
const here = path.dirname(fileURLToPath(import.meta.url));

describe('engine channel', () => {
  const hosts: EngineHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.close()));
  });

  it('a worker request that never answers rejects after its timeout, naming the method', async () => {
    const host = await WorkerHost.create(1, settings, logger, { file: path.join(here, 'testing', 'silentWorker.ts'), execArgv: ['--import', 'tsx'] }, 300);
    hosts.push(host);
    const t0 = Date.now();
    const err = await host.request('engine.dump', {}).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(EngineTimeoutError);
    expect(err!.name).toBe('EngineTimeoutError');
    expect(err!.message).toMatch(/^engine\.dump: no answer from the media engine within 300 ms/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it("a worker's error crosses the thread with its name, its stack and the method", async () => {
    const host = await WorkerHost.create(1, settings, logger, defaultWorkerScript());
    hosts.push(host);
    // null data makes the handler's destructuring throw a TypeError inside the worker
    const err = (await host.request('router.create', null as never).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('TypeError');
    expect(err.message).toMatch(/^router\.create: /);
    expect(err.stack).toMatch(/^TypeError: router\.create: /);
    expect(err.stack).toMatch(/engine[\\/]Engine\.ts/);
    const missing = (await host.request('transport.connect', { transportId: 'nope', dtlsParameters: { fingerprints: [] } }).catch((e: unknown) => e)) as Error;
    expect(missing.message).toBe('transport.connect: transport nope not found');
  });

  it('an in-process engine rejects the same way', async () => {
    const host = await InProcessHost.create(0, settings, logger);
    hosts.push(host);
    const err = (await host.request('router.create', null as never).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('TypeError');
    expect(err.message).toMatch(/^router\.create: /);
    expect(err.stack).toMatch(/engine[\\/]Engine\.ts/);
  });
});

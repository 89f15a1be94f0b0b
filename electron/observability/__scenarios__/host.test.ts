/**
 * The running host as an admin sees it: /readyz (503 while starting and stopping), /metrics
 * parsed as Prometheus text with counters that move under load, session history written at
 * logout, X-Forwarded-For believed only from a configured proxy.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { bootstrap, type RunningApp } from '../../core/bootstrap';
import { TestPublisher, testConsumer } from '../testing/testPublisher';
import { Codes } from '../../../shared/codes';

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

const users = Array.from({ length: 20 }, (_, i) => ({ userName: `u${i}`, password: 'pw', userId: 2000 + i }));

function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const fam = parsePrometheus(text).find((f) => f.name === name);
  if (!fam) throw new Error(`metric ${name} missing`);
  const m = fam.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return Number(m?.value ?? NaN);
}

describe('host observability', () => {
  let app: RunningApp | null = null;
  afterAll(async () => {
    await app?.stop();
  });

  it('readyz 503 while starting, metrics move with load, history keeps the session, readyz 503 while stopping', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-obs-'));
    const port = await freePort();
    const rtcMin = 46000 + Math.floor(Math.random() * 3000);
    const configFile = path.join(dir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        listen: { host: '127.0.0.1', port, drainSeconds: 1.5 },
        users,
        operators: [{ username: 'admin', password: 'admin-pw' }],
        media: { rtcMinPort: rtcMin, rtcMaxPort: rtcMin + 200, numWorkers: 1 },
        trustProxy: ['127.0.0.1'],
        // A webhook receiver that is not there: every login notice fails and goes dead at once.
        apps: [{ appId: 'OBS-APP', md5Key: 'k', callbackUrl: 'http://127.0.0.1:9/notify', retry: { initialDelayMs: 10, maxDelayMs: 10, maxAttempts: 1 } }],
        log: { level: 'warn' },
      }),
    );
    const base = `http://127.0.0.1:${port}`;
    const starting = bootstrap({ argv: ['--config', configFile, '--data-dir', dir], rendererDir: dir });
    // Poll /readyz while the components start: it must answer 503 at least once before 200.
    const seen: number[] = [];
    let done = false;
    void starting.then(
      () => (done = true),
      () => (done = true),
    );
    while (!done) {
      const r = await fetch(`${base}/readyz`).catch(() => null);
      if (r) seen.push(r.status);
      await new Promise((res) => setTimeout(res, 5));
    }
    app = await starting;
    expect(seen).toContain(503);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const scrape = async () => {
      const r = await fetch(`${base}/metrics`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return r.text();
    };
    const m0 = await scrape();
    // Only metrics.allowFrom (loopback by default) may scrape: a client behind the trusted proxy may not.
    const outsider = await fetch(`${base}/metrics`, { headers: { 'x-forwarded-for': '198.51.100.50' } });
    expect(outsider.status).toBe(403);
    expect(await outsider.json()).toMatchObject({ ok: false, error: { code: Codes.FORBIDDEN } });
    for (const name of [
      'anychat_rooms',
      'anychat_users_online',
      'anychat_producers',
      'anychat_consumers',
      'anychat_forwarded_packets_total',
      'anychat_forwarded_packets_per_second',
      'anychat_media_worker_event_loop_utilization',
      'anychat_webhook_failures_total',
      'anychat_recordings_active',
      'anychat_logins_total',
      'anychat_ready',
    ]) {
      expect(
        parsePrometheus(m0).some((f) => f.name === name),
        name,
      ).toBe(true);
    }
    expect(metricValue(m0, 'anychat_ready')).toBe(1);
    const logins0 = metricValue(m0, 'anychat_logins_total');

    // Load: 15 users log in (one through a proxy that says who it is) and enter rooms; one publishes.
    const wsUrl = `ws://127.0.0.1:${port}/ws`;
    const clients: AnyChatClient[] = [];
    for (let i = 0; i < 15; i++) {
      const headers = i === 0 ? { 'x-forwarded-for': '198.51.100.23' } : undefined;
      const c = await AnyChatClient.connect(wsUrl, (u) => new WebSocket(u, { headers }) as unknown as SocketLike);
      await c.login(`u${i}`, 'pw');
      await c.enterRoom({ roomId: 300 + (i % 3) });
      clients.push(c);
    }
    const pub = await TestPublisher.start({ baseUrl: base, userName: 'u19', password: 'pw', roomId: 300 });
    // u3 (room 300) consumes the track, so the SFU forwards packets.
    const sub = await testConsumer(clients[3], pub.producerId);
    const m1 = await (async () => {
      const deadline = Date.now() + 8000;
      let text = await scrape();
      while (Date.now() < deadline && metricValue(text, 'anychat_producers') < 1) {
        await new Promise((r) => setTimeout(r, 300));
        text = await scrape();
      }
      return text;
    })();
    expect(metricValue(m1, 'anychat_logins_total') - logins0).toBe(16);
    expect(metricValue(m1, 'anychat_users_online')).toBe(16);
    expect(metricValue(m1, 'anychat_rooms')).toBe(3);
    expect(metricValue(m1, 'anychat_producers')).toBe(1);
    expect(metricValue(m1, 'anychat_room_enters_total')).toBeGreaterThanOrEqual(16);
    // Forwarded packets: the counter grows between two scrapes while u19 sends 50 packets/s.
    const fwd1 = metricValue(m1, 'anychat_forwarded_packets_total');
    await new Promise((r) => setTimeout(r, 2500));
    const m2 = await scrape();
    expect(metricValue(m2, 'anychat_consumers')).toBe(1);
    expect(metricValue(m2, 'anychat_forwarded_packets_total') - fwd1).toBeGreaterThan(40);
    expect(metricValue(m2, 'anychat_forwarded_packets_per_second')).toBeGreaterThan(20);
    await sub.close();
    // Webhook failures and dead letters moved with the logins, and the dead letters raised an alert.
    expect(metricValue(m2, 'anychat_webhook_failures_total')).toBeGreaterThanOrEqual(16);
    expect(metricValue(m2, 'anychat_webhook_outbox_depth', { app: 'OBS-APP', state: 'dead' })).toBeGreaterThanOrEqual(16);
    const alerts = await app.service.call('alerts:list', {}, { operator: 'admin', shell: 'web' });
    expect(alerts.ok && alerts.value.some((a) => a.rule === 'webhook-dead' && a.subject === 'app OBS-APP')).toBe(true);
    const elu = metricValue(m1, 'anychat_media_worker_event_loop_utilization', { worker: '1' });
    expect(elu).toBeGreaterThanOrEqual(0);
    expect(elu).toBeLessThanOrEqual(1);

    // Session history: u0 logs out; its row has the proxy-reported address and a duration.
    await clients[0].logout();
    clients[0].close();
    const sessions = await app.service.call('history:sessions', { userName: 'u0' }, { operator: 'admin', shell: 'web' });
    expect(sessions.ok).toBe(true);
    if (!sessions.ok) return;
    const ended = sessions.value.rows.find((r) => r.userName === 'u0' && r.logoutAt !== null);
    expect(ended).toMatchObject({ userId: 2000, reason: 0, address: '198.51.100.23' });
    const online = await app.service.call('history:sessions', { userId: 2001 }, { operator: 'admin', shell: 'web' });
    expect(online.ok && online.value.rows[0]).toMatchObject({ userId: 2001, logoutAt: null, address: '127.0.0.1' });
    const csv = await app.service.call('history:export', { kind: 'sessions', userId: 2000 }, { operator: 'admin', shell: 'web' });
    expect(csv.ok && csv.value.csv.split('\r\n')[0]).toBe('userId,userName,nickName,login,logout,durationSeconds,reason,address,client');
    expect(csv.ok && csv.value.csv).toContain('2000,u0,');

    // Timeline of room 300: joins and the publish.
    await new Promise((r) => setTimeout(r, 1200));
    const tl = await app.service.call('history:timeline', { roomId: 300 }, { operator: 'admin', shell: 'web' });
    expect(tl.ok && tl.value.map((e) => e.kind)).toEqual(expect.arrayContaining(['join', 'publish']));

    // Bad input: a clear 900400, not a crash.
    const bad = await app.service.call('quality:series', {} as never, { operator: 'admin', shell: 'web' });
    expect(bad).toMatchObject({ ok: false, error: { code: Codes.BAD_REQUEST } });

    await pub.close();
    for (const c of clients.slice(1)) c.close();

    // A media worker dies and is restarted: a critical alert, emitted on the core for the shell.
    const raised: string[] = [];
    const off = app.core.components.observability.on('alert', (a) => raised.push(`${a.rule}:${a.severity}`));
    await app.core.components.media.crashWorker(1);
    const deadline = Date.now() + 15_000;
    while (!raised.includes('worker-restart:critical') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    off();
    expect(raised).toContain('worker-restart:critical');
    const listed = await app.service.call('alerts:list', {}, { operator: 'admin', shell: 'web' });
    expect(listed.ok && listed.value[0]).toMatchObject({ rule: 'worker-restart', subject: 'worker 1', acknowledged: false });

    // Stopping: /readyz answers 503 during the drain, before the listener closes.
    const stopping = app.stop();
    await new Promise((r) => setTimeout(r, 200));
    const r = await fetch(`${base}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ok: false, state: 'stopping' });
    await stopping;
    app = null;
  }, 60_000);
});

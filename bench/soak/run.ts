/**
 * Soak / abuse bench (issue 13's targets; a script that prints figures, not a test). Each scenario
 * runs the real headless host as a child process on loopback:
 *
 *   frames    10,000 malformed, oversized and flooding frames over 50 sockets while a well-behaved
 *             pair chats: host crashes, chat messages lost, chat latency p50/p99
 *   gateway   2,000 malformed gateway requests: HTTP 5xx count, wrong successes
 *   webhook   the webhook receiver down for --webhook-down seconds (default 60) while users log in
 *             and out, the host SIGKILLed in the middle and restarted: notices lost, duplicated,
 *             out of order per user
 *   frozen    a client process frozen with SIGSTOP: time until it is logged out with reason 100
 *   diskfull  a 20 MiB tmpfs data dir (needs root) filled by a guest upload and a filler file
 *             standing for a recording: /healthz and signaling while full; recovery when space returns
 *
 *   npx tsx bench/soak/run.ts [--only frames,gateway,webhook,frozen,diskfull] [--webhook-down 60]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { md5Signature } from '../../electron/gateway/signature';
import { formatTimestamp } from '../../electron/gateway/timestamp';
import { WebhookReceiver } from '../../electron/gateway/webhookReceiver';
import { baseConfig, client, freePort, percentile, repoRoot, sleep, startHost, stopHost, until, USERS, writeConfig, type SoakHost } from './host';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = new Set((arg('only') ?? 'frames,gateway,webhook,frozen,diskfull').split(','));
const WEBHOOK_DOWN_S = Number(arg('webhook-down') ?? 60);
const APP = 'SOAK-APP';
const KEY = 'soak-key';

const figures: Record<string, Record<string, unknown>> = {};
const newDataDir = () => mkdtempSync(path.join(os.tmpdir(), 'soak-data-'));

async function healthz(url: string): Promise<number> {
  try {
    const r = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
    return r.status;
  } catch {
    return 0;
  }
}

// ------------------------------------------------------------------------------------------------
async function frames(): Promise<void> {
  const host = await startHost(writeConfig(baseConfig({ signaling: { maxFrameBytes: 64 * 1024, maxRequestsPerSecond: 200 } })), newDataDir());
  const alice = await client(host.wsUrl, 'u1', 'pw1');
  const bob = await client(host.wsUrl, 'u2', 'pw2');
  await alice.enterRoom({ roomId: 77 });
  await bob.enterRoom({ roomId: 77 });
  const latencies: number[] = [];
  const seen = new Set<number>();
  bob.on('textMessage', (m) => {
    const [seq, at] = m.text.split(':').map(Number) as [number, number];
    if (!seen.has(seq)) latencies.push(Date.now() - at);
    seen.add(seq);
  });
  let sent = 0;
  let chatting = true;
  const chat = (async () => {
    while (chatting) {
      await alice.sendTextMessage(-1, `${sent}:${Date.now()}`).catch(() => undefined);
      sent++;
      await sleep(20);
    }
  })();

  // The attackers run in their own process, so their work does not slow the pair's measurements.
  const t0 = Date.now();
  const attacker = spawn(process.execPath, ['--import', 'tsx', 'bench/soak/attacker.ts', host.wsUrl, '10000', '50'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let attackOut = '';
  attacker.stdout!.on('data', (d: Buffer) => (attackOut += d.toString()));
  await new Promise((r) => attacker.once('exit', r));
  const attack = JSON.parse(attackOut.trim().split('\n').at(-1) ?? '{}') as {
    framesSent: number;
    sockets: number;
    answers: number;
    closes: Record<string, number>;
  };
  const floodMs = Date.now() - t0;
  await sleep(500);
  chatting = false;
  await chat;
  await until(() => seen.size >= sent, 5000);
  latencies.sort((a, b) => a - b);
  const alive = host.proc.exitCode === null && host.proc.signalCode === null;
  const hz = await healthz(host.url);
  const stillWorks = await alice
    .request('ping', {})
    .then(() => true)
    .catch(() => false);
  figures.frames = {
    framesSent: attack.framesSent,
    sockets: attack.sockets,
    floodSeconds: +(floodMs / 1000).toFixed(1),
    answersToAttackers: attack.answers,
    closesByCode: attack.closes,
    hostCrashed: !alive,
    healthz: hz,
    chatSent: sent,
    chatLost: sent - seen.size,
    chatP50ms: percentile(latencies, 50),
    chatP99ms: percentile(latencies, 99),
    pairStillWorks: stillWorks,
    loadAverage1m: +os.loadavg()[0]!.toFixed(1),
    cores: os.cpus().length,
  };
  alice.close();
  bob.close();
  await stopHost(host);
}

// ------------------------------------------------------------------------------------------------
function rawRequest(url: URL, method: string, pathAndQuery: string, body: string | Buffer | null): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path: pathAndQuery, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', () => resolve({ status: 0, text: '' }));
    if (body !== null) req.end(body);
    else req.end();
  });
}

async function gateway(): Promise<void> {
  const host = await startHost(writeConfig(baseConfig({ apps: [{ appId: APP, md5Key: KEY }], gateway: { maxBodyBytes: 16 * 1024 } })), newDataDir());
  const u = new URL(host.url);
  const signed = (method: string, o: { ts?: string; key?: string; app?: string; extra?: string } = {}) => {
    const ts = o.ts ?? formatTimestamp(Date.now(), 'local');
    const app = o.app ?? APP;
    return `/gateway?method=${encodeURIComponent(method)}&appid=${encodeURIComponent(app)}&timestamp=${ts}&signtype=MD5&signstr=${md5Signature(method, app, ts, o.key ?? KEY)}${o.extra ?? ''}`;
  };
  // Every case is malformed: none may succeed, none may be a 5xx.
  const cases: (() => [string, string, string | Buffer | null])[] = [
    () => ['POST', signed('online_useridlist_get', { key: 'wrong' }), '{"userflags":0}'],
    () => ['POST', signed('online_useridlist_get', { ts: '20000101000000' }), '{"userflags":0}'],
    () => ['POST', signed('online_useridlist_get', { ts: '2015023110354' }), '{"userflags":0}'],
    () => ['POST', signed('online_useridlist_get', { app: 'NOPE' }), '{"userflags":0}'],
    () => ['POST', signed('online_useridlist_get'), '{"userflags":'],
    () => ['POST', signed('online_useridlist_get'), Buffer.from([0xff, 0xfe, 0x00])],
    () => ['POST', signed('online_useridlist_get'), '[]'],
    () => ['POST', signed('online_useridlist_get'), '{"userflags":"x"}'],
    () => ['POST', signed('online_useridlist_get'), JSON.stringify({ userflags: 0, pad: 'x'.repeat(20_000) })],
    () => ['POST', signed('no_such_method'), '{}'],
    () => ['POST', '/gateway?method=online_useridlist_get', '{"userflags":0}'],
    () => ['POST', signed('online_useridlist_get', { extra: '&x=%E0%A4%A' }).replace('signtype=MD5', 'signtype=SHA1'), '{}'],
    () => ['GET', signed('online_useridlist_get'), null],
    () => ['POST', signed('userinfo_get'), JSON.stringify({ useridlist: Array.from({ length: 60 }, (_, i) => i) })],
    () => ['POST', signed('userinfo_get'), JSON.stringify({ useridlist: [1e300] })],
    () => ['POST', signed('filelist_get'), JSON.stringify({ pageindex: 1, perpagecount: 10, filename: '\u0000' })],
    () => ['POST', signed('filelist_get'), JSON.stringify({ pageindex: 0, perpagecount: 10 })],
    () => ['POST', signed('filelist_get'), JSON.stringify({ pageindex: 1, perpagecount: 10, begintime: '20991399000000' })],
    () => ['POST', signed('fileinfo_get'), JSON.stringify({ filelist: [{ fileid: 'nope' }] })],
    () => ['POST', signed('object_info_set'), JSON.stringify({ action: 1, objecttype: 4, objectid: 1, name: 'a\u0001' })],
    () => ['POST', signed('object_info_set'), JSON.stringify({ action: 7 })],
    () => ['POST', signed('object_status_get'), JSON.stringify({ objectguid: 'x'.repeat(70), infotype: 401 })],
    () => ['POST', signed('userinfo_ctrl'), JSON.stringify({ userid: 99999, ctrlcode: 1 })],
    () => ['POST', signed('userinfo_ctrl'), JSON.stringify({ struserid: 'nobody', ctrlcode: 11, ctrlvalue: '{bad' })],
    () => ['POST', signed('transbuffer'), JSON.stringify({ userid: 1, databuf: '***' })],
    () => ['POST', signed('transbuffer'), JSON.stringify({ userid: 1, databuf: 'A'.repeat(9000) })],
    () => ['POST', signed('fileinfo_ctrl'), JSON.stringify({ ctrltype: 2, filelist: [{ fileid: 'x', renamefile: '../../etc/passwd' }] })],
    () => ['POST', '/%', null],
    () => ['GET', '/%E0%A4%A', null],
    () => ['GET', '/demo/%zz', null],
    () => ['GET', '/gateway/files/%zz/x?expires=1&sign=x', null],
  ];
  const byStatus: Record<number, number> = {};
  let fiveXx = 0;
  let wrongSuccess = 0;
  const t0 = Date.now();
  for (let i = 0; i < 2000; i++) {
    const [m, p, b] = cases[i % cases.length]!();
    const r = await rawRequest(u, m, p, b);
    byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    if (r.status >= 500 || r.status === 0) fiveXx++;
    if (r.text.includes('"SUCCESS"')) wrongSuccess++;
  }
  const alive = host.proc.exitCode === null && host.proc.signalCode === null;
  figures.gateway = {
    requests: 2000,
    distinctCases: cases.length,
    seconds: +((Date.now() - t0) / 1000).toFixed(1),
    byStatus,
    http5xxOrNoAnswer: fiveXx,
    wrongSuccesses: wrongSuccess,
    hostCrashed: !alive,
  };
  await stopHost(host);
}

// ------------------------------------------------------------------------------------------------
async function webhook(): Promise<void> {
  const port = await freePort();
  const callbackUrl = `http://127.0.0.1:${port}/notify`;
  const cfg = writeConfig(
    baseConfig({ apps: [{ appId: APP, md5Key: KEY, callbackUrl, retry: { initialDelayMs: 200, maxDelayMs: 2000, maxAttempts: 1000 } }] }),
  );
  const dataDir = newDataDir();
  let host: SoakHost = await startHost(cfg, dataDir);
  /** What we caused, per user: 'in' for a login, the expected logout reason for a logout. */
  const expected = new Map<number, string[]>();
  const push = (userId: number, what: string) => expected.set(userId, [...(expected.get(userId) ?? []), what]);
  const t0 = Date.now();
  const downMs = WEBHOOK_DOWN_S * 1000;
  let killed = false;
  let round = 0;
  const online = new Map<number, Awaited<ReturnType<typeof client>>>();
  while (Date.now() - t0 < downMs) {
    // Each round: a few users log in, a few log out.
    const i = round++ % USERS.length;
    const u = USERS[i]!;
    const c = online.get(u.userId);
    if (c) {
      await c.logout().catch(() => undefined);
      c.close();
      online.delete(u.userId);
      push(u.userId, 'out:0');
    } else {
      online.set(u.userId, await client(host.wsUrl, u.userName, u.password));
      push(u.userId, 'in');
    }
    if (!killed && Date.now() - t0 > downMs / 2) {
      killed = true;
      await sleep(300); // the last notices are in the outbox
      host.proc.kill('SIGKILL');
      await host.exited;
      for (const [userId, cl] of online) {
        cl.close();
        push(userId, 'out:100');
      }
      online.clear();
      host = await startHost(cfg, dataDir);
    }
    await sleep(Math.max(50, downMs / 400));
  }
  for (const [userId, cl] of online) {
    await cl.logout().catch(() => undefined);
    cl.close();
    push(userId, 'out:0');
  }
  online.clear();
  const expectedTotal = [...expected.values()].reduce((n, l) => n + l.length, 0);
  const rx = await WebhookReceiver.start({ md5Key: KEY, port });
  const upAt = Date.now();
  await until(() => rx.delivered.filter((n) => n.method === 'userlogin_notify' || n.method === 'userlogout_notify').length >= expectedTotal, 120_000, 200);
  const drainMs = Date.now() - upAt;
  await sleep(2000); // anything extra (duplicates) would arrive now
  const got = new Map<number, string[]>();
  const ids = new Set<string>();
  let duplicated = 0;
  for (const n of rx.delivered) {
    if (n.method !== 'userlogin_notify' && n.method !== 'userlogout_notify') continue;
    const id = String(n.body.notifyid);
    if (ids.has(id)) duplicated++;
    ids.add(id);
    const userId = Number(n.body.userid);
    got.set(userId, [...(got.get(userId) ?? []), n.method === 'userlogin_notify' ? 'in' : `out:${n.body.errorcode}`]);
  }
  let lost = 0;
  let outOfOrder = 0;
  for (const [userId, want] of expected) {
    const have = got.get(userId) ?? [];
    lost += Math.max(0, want.length - have.length);
    if (JSON.stringify(have.slice(0, want.length)) !== JSON.stringify(want.slice(0, have.length))) outOfOrder++;
  }
  figures.webhook = {
    receiverDownSeconds: WEBHOOK_DOWN_S,
    hostSigkilledAfterSeconds: +(downMs / 2000).toFixed(0),
    noticesExpected: expectedTotal,
    noticesDelivered: ids.size,
    lost,
    duplicated,
    usersOutOfOrder: outOfOrder,
    logoutsAfterCrash: [...expected.values()].flat().filter((x) => x === 'out:100').length,
    drainSecondsAfterReceiverUp: +(drainMs / 1000).toFixed(1),
    allSignaturesValid: rx.delivered.every((n) => n.signatureValid),
  };
  await stopHost(host);
  await rx.close();
}

// ------------------------------------------------------------------------------------------------
async function frozen(): Promise<void> {
  const silent = 10;
  const rx = await WebhookReceiver.start({ md5Key: KEY });
  const cfg = writeConfig(
    baseConfig({ signaling: { silentTimeoutSeconds: silent, pingIntervalSeconds: 2 }, apps: [{ appId: APP, md5Key: KEY, callbackUrl: rx.url }] }),
  );
  const host = await startHost(cfg, newDataDir());
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/soak/frozenClient.ts', host.wsUrl, 'u3', 'pw3'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<boolean>((r) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && r(true));
    child.once('exit', () => r(false));
  });
  if (!ready) throw new Error('the frozen client did not start');
  await until(() => rx.delivered.some((n) => n.method === 'userlogin_notify'), 10_000);
  const stoppedAt = Date.now();
  child.kill('SIGSTOP');
  const ok = await until(() => rx.delivered.some((n) => n.method === 'userlogout_notify'), (silent + 30) * 1000, 100);
  const n = rx.delivered.find((x) => x.method === 'userlogout_notify');
  const seconds = (Date.now() - stoppedAt) / 1000;
  figures.frozen = {
    silentTimeoutSeconds: silent,
    loggedOut: ok,
    reason: n?.body.errorcode,
    secondsToLogoutNotice: +seconds.toFixed(1),
    withinTarget: ok && n?.body.errorcode === 100 && seconds <= silent + 5,
  };
  child.kill('SIGKILL');
  await stopHost(host);
  await rx.close();
}

// ------------------------------------------------------------------------------------------------
async function diskfull(): Promise<void> {
  if (process.getuid?.() !== 0) {
    figures.diskfull = { skipped: 'needs root to mount a tmpfs' };
    return;
  }
  const dataDir = newDataDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=20m', 'tmpfs', dataDir]);
  try {
    const cfg = writeConfig(
      baseConfig({
        apps: [{ appId: APP, md5Key: KEY }],
        signaling: { guestUploads: true, minFreeDiskBytes: 1024 * 1024, uploadQuotaBytesPerUser: 1 << 30, uploadQuotaBytesTotal: 1 << 30 },
      }),
    );
    const host = await startHost(cfg, dataDir);
    const guest = await client(host.wsUrl, 'visitor', '');
    // The guest uploads 2 MiB files until the server refuses.
    const refusals: Record<string, number> = {};
    let uploaded = 0;
    for (let i = 0; i < 12; i++) {
      try {
        await guest.sendFile(0, `f${i}.bin`, new Uint8Array(2 * 1024 * 1024));
        uploaded++;
      } catch (e) {
        const code = String((e as { code?: number }).code);
        refusals[code] = (refusals[code] ?? 0) + 1;
      }
    }
    // A recording (or anything else) takes the rest of the disk.
    const filler = path.join(dataDir, 'filler.bin');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k'], { stdio: 'ignore' });
    } catch {
      /* dd stops with ENOSPC: the disk is full */
    }
    const dfFull = execFileSync('df', ['-B1', '--output=avail', dataDir]).toString().split('\n')[1]!.trim();
    // While full: /healthz, a new login, chat.
    const hzFull = await healthz(host.url);
    let loginWhileFull = 'ok';
    let chatWhileFull = 'ok';
    try {
      const a = await client(host.wsUrl, 'u1', 'pw1');
      const b = await client(host.wsUrl, 'u2', 'pw2');
      await a.enterRoom({ roomId: 5 });
      await b.enterRoom({ roomId: 5 });
      const got = b.next('textMessage', () => true, 5000);
      await a.sendTextMessage(-1, 'still here');
      await got.catch(() => (chatWhileFull = 'lost'));
      a.close();
      b.close();
    } catch (e) {
      loginWhileFull = `failed: ${(e as Error).message}`;
    }
    let uploadWhileFull = 'accepted';
    await guest.sendFile(0, 'late.bin', new Uint8Array(4096)).catch((e: { code?: number }) => (uploadWhileFull = `refused ${e.code}`));
    const aliveWhileFull = host.proc.exitCode === null && host.proc.signalCode === null;
    // Space returns.
    rmSync(filler, { force: true });
    await sleep(1500);
    const hzAfter = await healthz(host.url);
    let uploadAfter = 'accepted';
    await guest.sendFile(0, 'after.bin', new Uint8Array(4096)).catch((e: { code?: number }) => (uploadAfter = `refused ${e.code}`));
    let loginAfter = 'ok';
    await client(host.wsUrl, 'u4', 'pw4')
      .then((c) => c.close())
      .catch((e: Error) => (loginAfter = `failed: ${e.message}`));
    const aliveAfter = host.proc.exitCode === null && host.proc.signalCode === null;
    guest.close();
    const exit = await Promise.race([stopHost(host), sleep(15_000).then(() => 'no exit within 15 s (hung)')]);
    if (host.proc.exitCode === null && host.proc.signalCode === null) host.proc.kill('SIGKILL');
    figures.diskfull = {
      tmpfsMiB: 20,
      guestFilesUploaded: uploaded,
      guestUploadRefusals: refusals,
      availBytesWhenFull: Number(dfFull),
      healthzWhileFull: hzFull,
      loginWhileFull,
      chatWhileFull,
      uploadWhileFull,
      hostAliveWhileFull: aliveWhileFull,
      healthzAfterSpaceReturned: hzAfter,
      uploadAfterSpaceReturned: uploadAfter,
      loginAfterSpaceReturned: loginAfter,
      hostAliveAfter: aliveAfter,
      sigtermExit: exit,
    };
  } finally {
    try {
      execFileSync('umount', ['-l', dataDir]);
    } catch {
      /* already gone */
    }
  }
}

const scenarios: Record<string, () => Promise<void>> = { frames, gateway, webhook, frozen, diskfull };
for (const [name, fn] of Object.entries(scenarios)) {
  if (!only.has(name)) continue;
  const t = Date.now();
  try {
    await fn();
  } catch (err) {
    figures[name] = { ...(figures[name] ?? {}), error: (err as Error).message.slice(0, 500) };
  }
  process.stdout.write(`${name} (${((Date.now() - t) / 1000).toFixed(0)} s): ${JSON.stringify(figures[name])}\n`);
}
process.exit(0);

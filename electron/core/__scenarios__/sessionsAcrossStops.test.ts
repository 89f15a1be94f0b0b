/**
 * Regression (issue 13): after a SIGTERM or a SIGKILL no userlogout_notify was sent for the users
 * who were online, so the app backend saw them online forever. The real headless host (tsx, a
 * real data dir) with real client sockets and a real webhook receiver: a graceful stop logs
 * everyone out with reason 0 before the gateway stops; after a crash the next start logs out the
 * sessions left open with reason 100. Every logout notice arrives exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AnyChatClient, type SocketLike } from '../../../shared/client';
import { WebhookReceiver } from '../../gateway/webhookReceiver';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const children: ChildProcess[] = [];
let rx: WebhookReceiver;
let dataDir = '';
let configFile = '';

function startHost(): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--config', configFile, '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(proc);
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /^listening (http:\/\/\S+)$/m.exec(out);
      if (m) resolve({ proc, url: m[1]! });
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code) => reject(new Error(`host exited (${code}) before listening:\n${out.slice(-2000)}`)));
  });
}

async function login(url: string, name: string, pw: string): Promise<AnyChatClient> {
  const c = await AnyChatClient.connect(`${url.replace('http', 'ws')}/ws`, (u) => new WebSocket(u) as unknown as SocketLike);
  await c.login(name, pw);
  return c;
}

const logouts = () => rx.delivered.filter((n) => n.method === 'userlogout_notify').map((n) => ({ userid: n.body.userid, errorcode: n.body.errorcode }));
async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  rx = await WebhookReceiver.start({ md5Key: 'anychat' });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'host-sessions-'));
  configFile = path.join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      listen: { host: '127.0.0.1', port: 0 },
      operators: [{ username: 'admin', password: 'admin-pw' }],
      users: [
        { userName: 'alice', password: 'a', userId: 1001 },
        { userName: 'bob', password: 'b', userId: 1002 },
      ],
      apps: [{ appId: 'APP', md5Key: 'anychat', callbackUrl: rx.url, retry: { initialDelayMs: 50, maxDelayMs: 500, maxAttempts: 1000 } }],
      media: { numWorkers: 1 },
      log: { level: 'warn' },
    }),
  );
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rx.close();
});

it('SIGTERM logs everyone out with reason 0; after SIGKILL the next start logs them out with reason 100', async () => {
  let host = await startHost();
  const a = await login(host.url, 'alice', 'a');
  const b = await login(host.url, 'bob', 'b');
  await until(() => rx.delivered.filter((n) => n.method === 'userlogin_notify').length === 2, 10_000);
  host.proc.kill('SIGTERM');
  const code = await new Promise((r) => host.proc.once('exit', (c) => r(c)));
  expect(code).toBe(0);
  expect(a.isOpen || b.isOpen).toBe(false);
  // Queued before the gateway stopped; delivered then or by the next start.
  host = await startHost();
  await until(() => logouts().length >= 2, 15_000);
  expect(logouts().sort((x, y) => Number(x.userid) - Number(y.userid))).toEqual([
    { userid: 1001, errorcode: 0 },
    { userid: 1002, errorcode: 0 },
  ]);

  await login(host.url, 'alice', 'a');
  await login(host.url, 'bob', 'b');
  await until(() => rx.delivered.filter((n) => n.method === 'userlogin_notify').length === 4, 10_000);
  host.proc.kill('SIGKILL');
  await new Promise((r) => host.proc.once('exit', r));
  host = await startHost();
  await until(() => logouts().length >= 4, 15_000);
  expect(
    logouts()
      .slice(2)
      .sort((x, y) => Number(x.userid) - Number(y.userid)),
  ).toEqual([
    { userid: 1001, errorcode: 100 },
    { userid: 1002, errorcode: 100 },
  ]);
  // Nothing twice: one more restart adds no logout.
  host.proc.kill('SIGTERM');
  await new Promise((r) => host.proc.once('exit', r));
  host = await startHost();
  await new Promise((r) => setTimeout(r, 1000));
  expect(logouts()).toHaveLength(4);
  expect(new Set(rx.delivered.map((n) => n.body.notifyid)).size).toBe(rx.delivered.length);
  host.proc.kill('SIGTERM');
  await new Promise((r) => host.proc.once('exit', r));
}, 90_000);

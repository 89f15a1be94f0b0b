/** Durability: the receiver is down, the host is SIGKILLed and restarted → every pending notice arrives, in order. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { WebhookReceiver } from '../webhookReceiver';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = path.join(here, 'fixtures', 'outboxHost.ts');
const children: ChildProcess[] = [];
let rx: WebhookReceiver | null = null;

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await rx?.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function startHost(dataDir: string, callbackUrl: string, count: number, first = 1): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, callbackUrl, String(count), String(first)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`host exited early (${code})`)));
  });
}

it('pending notices survive SIGKILL and arrive after the receiver comes back', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-restart-'));
  const port = await freePort();
  const callbackUrl = `http://127.0.0.1:${port}/notify`;
  const host = await startHost(dataDir, callbackUrl, 20);
  await new Promise((r) => setTimeout(r, 400)); // a few failed attempts against the closed port
  host.kill('SIGKILL');
  await new Promise((r) => host.once('exit', r));
  // Restarted host adds 2 more notices behind the 20 pending ones.
  await startHost(dataDir, callbackUrl, 2, 21);
  rx = await WebhookReceiver.start({ md5Key: 'anychat', port });
  await rx.waitForDelivered(22, 15_000);
  expect(rx.delivered.map((n) => n.body.userid)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
  expect(rx.delivered.every((n) => n.signatureValid && n.method === 'userlogin_notify')).toBe(true);
  expect(new Set(rx.delivered.map((n) => n.body.notifyid)).size).toBe(22);
}, 30_000);

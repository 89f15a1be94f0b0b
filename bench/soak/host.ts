/** The soak bench's host: the real headless host (electron/host/index.ts under tsx) as a child process. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { AnyChatClient, type SocketLike } from '../../shared/client';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface SoakHost {
  proc: ChildProcess;
  url: string;
  wsUrl: string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
}

export const USERS = Array.from({ length: 40 }, (_, i) => ({ userName: `u${i + 1}`, password: `pw${i + 1}`, userId: 2001 + i }));

export function baseConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 0 },
    operators: [{ username: 'admin', password: 'admin-pw' }],
    users: USERS,
    media: { numWorkers: 1 },
    log: { level: 'info' },
    ...extra,
  };
}

export function writeConfig(config: Record<string, unknown>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'soak-cfg-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

export function startHost(configFile: string, dataDir: string): Promise<SoakHost> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--config', configFile, '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string>((r) => proc.once('exit', (code, sig) => r(code ?? sig ?? -1)));
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      if (out.length < 100_000) out += d.toString();
      const m = /^listening (http:\/\/\S+)$/m.exec(out);
      if (m) {
        proc.stdout!.off('data', onData);
        proc.stdout!.resume();
        resolve({ proc, url: m[1]!, wsUrl: `${m[1]!.replace('http', 'ws')}/ws`, exited });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((c) => reject(new Error(`host exited (${c}) before listening:\n${out.slice(-3000)}`)));
  });
}

export async function stopHost(h: SoakHost): Promise<number | string> {
  if (h.proc.exitCode === null && h.proc.signalCode === null) h.proc.kill('SIGTERM');
  return h.exited;
}

export async function client(wsUrl: string, userName: string, password: string): Promise<AnyChatClient> {
  const c = await AnyChatClient.connect(wsUrl, (u) => new WebSocket(u) as unknown as SocketLike);
  await c.login(userName, password);
  return c;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean | Promise<boolean>, ms: number, step = 50): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(step);
  }
  return false;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * `npm run bots` against a real test host (the headless host from source, its own data dir):
 * 2 rooms × (2 publishers + 2 viewers) for 10 s over real WebSockets and ICE/DTLS/SRTP. The
 * summary must show every viewer received audio and video from every publisher of its room.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadTestSummary } from './loadTest';

let host: ChildProcess | null = null;
let wsUrl = '';

function run(cmd: string, args: string[], onLine?: (text: string) => void): { proc: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const proc = spawn(cmd, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const add = (d: Buffer) => {
    out += d.toString();
    onLine?.(out);
  };
  proc.stdout!.on('data', add);
  proc.stderr!.on('data', add);
  return { proc, done: new Promise((resolve) => proc.on('exit', (code) => resolve({ code, out }))) };
}

beforeAll(async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-bots-'));
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, log: { level: 'warn' }, media: { rtcMinPort: 46500, rtcMaxPort: 46799 } }));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('test host did not start in 40 s')), 40_000);
    const h = run('npx', ['tsx', 'electron/host/index.ts', '--config', config, '--data-dir', dir], (out) => {
      const m = /^listening (http:\/\/\S+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    host = h.proc;
    void h.done.then(({ code, out }) => reject(new Error(`test host exited (${code}):\n${out}`)));
  });
  wsUrl = `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
}, 60_000);

afterAll(async () => {
  if (!host || host.exitCode !== null) return;
  const exited = new Promise((r) => host!.once('exit', r));
  host.kill('SIGTERM');
  await exited;
});

describe('npm run bots', () => {
  it('2 rooms × 2 publishers × 2 viewers for 10 s: every viewer receives every publisher’s audio and video', async () => {
    const { done } = run('npm', ['run', 'bots', '--silent', '--', '--url', wsUrl, '--rooms', '2', '--publishers', '2', '--viewers', '2', '--seconds', '10']);
    const { code, out } = await done;
    process.stdout.write(out);
    expect(out).toMatch(/^bots: 2 room\(s\) × \(2 publisher\(s\) \+ 2 viewer\(s\)\)/m);
    const line = /^summary (\{.*\})$/m.exec(out);
    expect(line, out).not.toBeNull();
    const s = JSON.parse(line![1]!) as LoadTestSummary;
    expect(s.logins).toEqual({ ok: 8, failed: 0 });
    expect(s.mediaConnected).toEqual({ publishers: 4, viewers: 4 });
    // 4 publishers × 10 s × (50 audio + ≥ 15 video packets/s), with slack for a loaded machine.
    expect(s.packetsSent).toBeGreaterThan(4 * 10 * 50);
    expect(s.pairsExpected).toBe(8);
    expect(s.pairsComplete).toBe(8);
    expect(s.allViewersReceivedAll).toBe(true);
    // Each viewer gets both publishers of its room: twice what one publisher sent, give or take the start.
    expect(s.packetsReceivedByViewers).toBeGreaterThan(s.packetsSent);
    expect(code).toBe(0);
  }, 90_000);

  it('refuses bad options with a usage line and exit code 2', async () => {
    const { code, out } = await run('npm', ['run', 'bots', '--silent', '--', '--url', 'http://nope', '--rooms', 'x']).done;
    expect(code).toBe(2);
    expect(out).toContain('usage: npm run bots');
  });
});

/** TEST ONLY: the real headless host, run from source (tsx) as a child process with its own data dir. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface SourceHost {
  url: string;
  wsUrl: string;
  dataDir: string;
  output(): string;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function runProcess(
  cmd: string,
  args: string[],
  onOutput?: (all: string) => void,
): { proc: ChildProcess; done: Promise<{ code: number | null; out: string }> } {
  const proc = spawn(cmd, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const add = (d: Buffer) => {
    out += d.toString();
    onOutput?.(out);
  };
  proc.stdout!.on('data', add);
  proc.stderr!.on('data', add);
  return { proc, done: new Promise((resolve) => proc.on('exit', (code) => resolve({ code, out }))) };
}

export async function startSourceHost(config: Record<string, unknown>, extraArgs: string[] = []): Promise<SourceHost> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'anychat-demo-test-'));
  const file = path.join(dataDir, 'config.json');
  writeFileSync(file, JSON.stringify({ listen: { host: '127.0.0.1', port: 0 }, log: { level: 'warn' }, ...config }));
  let all = '';
  const { proc, done } = runProcess(
    process.execPath,
    ['--import', 'tsx', 'electron/host/index.ts', '--config', file, '--data-dir', dataDir, ...extraArgs],
    (o) => (all = o),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`test host did not start in 40 s:\n${all}`)), 40_000);
    const check = () => {
      const m = /^listening (http:\/\/\S+)$/m.exec(all);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace(/\/$/, ''));
      }
    };
    proc.stdout!.on('data', check);
    void done.then(({ code }) => reject(new Error(`test host exited (${code}):\n${all}`)));
  });
  return {
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    dataDir,
    output: () => all,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill('SIGTERM');
      return (await done).code;
    },
  };
}

/**
 * A throwaway Redis for tests and benches: `redis-server` on a free loopback port, nothing saved
 * to disk. `findRedisServer()` says whether the binary is there (tests skip with the reason).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** The redis-server binary, or null when it is not installed. */
export function findRedisServer(): string | null {
  const r = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? 'redis-server' : null;
}

export const REDIS_MISSING = 'redis-server is not installed (Debian package redis-server; .ci/run installs it)';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function waitReady(proc: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) {
        proc.stdout!.off('data', onData);
        resolve();
      }
    };
    proc.stdout!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${out.slice(-1500)}`)));
  });
}

/** `port`: a fixed one (a test restarting Redis where its clients reconnect); a free one by default. */
export async function startRedisServer(opts: { port?: number } = {}): Promise<RedisServer> {
  const bin = findRedisServer();
  if (!bin) throw new Error(REDIS_MISSING);
  const port = opts.port ?? (await freePort());
  const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await waitReady(proc);
  // Keep draining its output so a chatty server never blocks on a full pipe.
  proc.stdout!.resume();
  proc.stderr!.resume();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/**
 * Cluster tests and the cluster bench: real headless hosts (tsx, each its own process, data dir
 * and media ports) as nodes of one cluster on one Redis (and one PostgreSQL), each with its
 * gateway on its own port. SIGKILL one to see the others take over.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface ClusterHost {
  readonly nodeId: string;
  readonly url: string;
  readonly wsUrl: string;
  readonly dataDir: string;
  readonly proc: ChildProcess;
  /** What the host printed (stdout and stderr), for failure reports. */
  output(): string;
}

export interface ClusterHostOptions {
  nodeId: string;
  redisUrl: string;
  postgresUrl: string;
  /** Every key but listen, dataDir, media and cluster: the same on every node (protocol.md §5). */
  shared: Record<string, unknown>;
  /** First UDP port of this node's media range (100 ports). */
  rtcMinPort: number;
  dataDir?: string;
}

export function startClusterHost(o: ClusterHostOptions): Promise<ClusterHost> {
  const dataDir = o.dataDir ?? mkdtempSync(path.join(os.tmpdir(), `cluster-${o.nodeId}-`));
  const configFile = path.join(dataDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      ...o.shared,
      listen: { host: '127.0.0.1', port: 0 },
      media: { numWorkers: 1, rtcMinPort: o.rtcMinPort, rtcMaxPort: o.rtcMinPort + 99 },
      cluster: { nodeId: o.nodeId, redisUrl: o.redisUrl, postgresUrl: o.postgresUrl },
    }),
  );
  const proc = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--config', configFile, '--data-dir', dataDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^listening (http:\/\/\S+)$/m.exec(out);
      if (m) resolve({ nodeId: o.nodeId, url: m[1]!, wsUrl: `${m[1]!.replace('http', 'ws')}/ws`, dataDir, proc, output: () => out });
    });
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    proc.once('exit', (code, signal) => reject(new Error(`node ${o.nodeId} exited (${code ?? signal}) before listening:\n${out.slice(-3000)}`)));
  });
}

/** Stops a host: SIGTERM (graceful) or SIGKILL (a crash); resolves when it has exited. */
export function stopClusterHost(h: ClusterHost, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  if (h.proc.exitCode !== null || h.proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    h.proc.once('exit', () => resolve());
    h.proc.kill(signal);
  });
}

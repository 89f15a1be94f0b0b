/** The parent side of nodeHost.ts: forks the media node into its own process and calls it. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { HostReply, HostRequests } from './nodeHost';

export class NodeProcess {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: HostReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve(m.result);
    });
    child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`media node process exited (${code})`));
      this.pending.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  static async start(rtcPorts: string): Promise<NodeProcess> {
    const child = fork(fileURLToPath(new URL('./nodeHost.ts', import.meta.url)), [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_RTC_PORTS: rtcPorts },
    });
    const host = new NodeProcess(child);
    await new Promise<void>((resolve, reject) => {
      host.pending.set(0, { resolve: () => resolve(), reject });
      child.once('error', reject);
    });
    return host;
  }

  call<M extends keyof HostRequests>(method: M, data: HostRequests[M]['data']): Promise<HostRequests[M]['result']> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, method, data });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

/**
 * Where an engine runs: a worker thread (production) or in-process (numWorkers: 0, tests/bench).
 * Both expose the same async request/notification interface.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Engine } from './engine/Engine';
import {
  fromWireError,
  toWireError,
  type EngineData,
  type EngineMethod,
  type EngineNotification,
  type EngineResult,
  type EngineSettings,
  type MainToWorker,
  type WorkerToMain,
} from './engine/protocol';

/** How long a request may wait for the engine's answer (gathering ICE, flushing a recording included). */
export const ENGINE_REQUEST_TIMEOUT_MS = 15_000;

export class EngineTimeoutError extends Error {
  override readonly name = 'EngineTimeoutError';
}

export interface EngineHost {
  readonly workerId: number;
  readonly pid: number;
  /** Rejects with the engine's error (name and stack kept), or an EngineTimeoutError naming the method. */
  request<M extends EngineMethod>(method: M, data: EngineData<M>): Promise<EngineResult<M>>;
  onNotification: (n: EngineNotification) => void;
  /** called once if the host dies unexpectedly */
  onDied: (error: Error) => void;
  close(): Promise<void>;
  /** Event-loop utilisation (0–1) of the worker since the previous call (metrics). */
  eventLoopUtilization?(): number;
}

/** Default worker script: TS source under tsx (dev/tests) or the bundled out/main/mediaWorker.js. */
export function defaultWorkerScript(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith('.ts')) return { file: path.join(dir, 'worker', 'mediaWorker.ts'), execArgv: ['--import', 'tsx'] };
  for (const cand of [path.join(dir, 'mediaWorker.js'), path.join(dir, '..', 'mediaWorker.js'), path.join(dir, 'worker', 'mediaWorker.js')]) {
    if (existsSync(cand)) return { file: cand, execArgv: [] };
  }
  throw new Error(`mediaWorker.js not found next to ${here}`);
}

/** URL of tsx's ESM register API (dev/tests only: lets a worker run TS source). */
function tsxApiUrl(): string {
  try {
    const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
    if (typeof resolve === 'function') return resolve('tsx/esm/api');
  } catch {
    /* fall through */
  }
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(path.join(path.dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
}

/** Start a worker; a .ts entry is loaded through tsx's register() (execArgv --import is not honoured for worker entries on Node 20). */
function startWorker(file: string, execArgv: string[], name: string): Worker {
  if (!file.endsWith('.ts')) return new Worker(file, { execArgv, name });
  const code =
    `import(${JSON.stringify(tsxApiUrl())}).then(({ register }) => { register(); return import(${JSON.stringify(pathToFileURL(file).href)}); })` +
    `.catch((e) => { setImmediate(() => { throw e; }); });`;
  return new Worker(code, { eval: true, execArgv: execArgv.filter((a, i, all) => a !== '--import' && all[i - 1] !== '--import'), name });
}

/** Race a request against its timeout; the timer never keeps the process alive. */
function withTimeout<T>(method: string, timeoutMs: number, work: Promise<T>, onTimeout: () => void = () => {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new EngineTimeoutError(`${method}: no answer from the media engine within ${timeoutMs} ms`));
    }, timeoutMs);
    timer.unref?.();
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export class InProcessHost implements EngineHost {
  readonly pid = process.pid;
  private readonly engine: Engine;
  onNotification: (n: EngineNotification) => void = () => {};
  onDied: (error: Error) => void = () => {};
  constructor(
    readonly workerId: number,
    settings: EngineSettings,
    logger: Logger,
    private readonly timeoutMs = ENGINE_REQUEST_TIMEOUT_MS,
  ) {
    this.engine = new Engine(
      settings,
      (n) => queueMicrotask(() => this.onNotification(n)),
      (level, msg, data) => logger[level]({ workerId, data }, msg),
    );
  }
  static async create(workerId: number, settings: EngineSettings, logger: Logger) {
    return new InProcessHost(workerId, settings, logger);
  }
  async request<M extends EngineMethod>(method: M, data: EngineData<M>): Promise<EngineResult<M>> {
    if (method === 'engine.crash') throw new Error('cannot crash an in-process engine');
    // structuredClone both ways: the same copy semantics as a worker's message port
    try {
      return structuredClone(await withTimeout(method, this.timeoutMs, this.engine.handle(method, structuredClone(data))));
    } catch (e) {
      // the same error shape a worker gives: the method in the message, name and stack kept
      throw e instanceof EngineTimeoutError ? e : fromWireError(method, toWireError(e));
    }
  }
  async close() {
    this.engine.close();
  }
}

export class WorkerHost implements EngineHost {
  private worker!: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; method: EngineMethod }>();
  private closing = false;
  private dead = false;
  onNotification: (n: EngineNotification) => void = () => {};
  onDied: (error: Error) => void = () => {};
  pid = process.pid;
  private elu: EventLoopUtilization | null = null;

  eventLoopUtilization(): number {
    if (this.dead || !this.worker) return 0;
    const now = this.worker.performance.eventLoopUtilization();
    const delta = this.elu ? this.worker.performance.eventLoopUtilization(now, this.elu) : now;
    this.elu = now;
    return delta.utilization;
  }

  private constructor(
    readonly workerId: number,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  static async create(
    workerId: number,
    settings: EngineSettings,
    logger: Logger,
    script: { file: string; execArgv: string[] },
    timeoutMs = ENGINE_REQUEST_TIMEOUT_MS,
  ): Promise<WorkerHost> {
    const h = new WorkerHost(workerId, logger, timeoutMs);
    await h.spawn(settings, script);
    return h;
  }

  private spawn(settings: EngineSettings, script: { file: string; execArgv: string[] }): Promise<void> {
    return new Promise((resolve, reject) => {
      const w = startWorker(script.file, script.execArgv, `media-worker-${this.workerId}`);
      this.worker = w;
      let ready = false;
      w.on('message', (m: WorkerToMain) => {
        switch (m.type) {
          case 'ready':
            ready = true;
            resolve();
            break;
          case 'response': {
            const p = this.pending.get(m.id);
            if (!p) return;
            this.pending.delete(m.id);
            if (m.ok) p.resolve(m.data);
            else p.reject(fromWireError(p.method, m.error));
            break;
          }
          case 'notification':
            this.onNotification(m.notification);
            break;
          case 'log':
            this.logger[m.level]({ workerId: this.workerId, data: m.data }, m.msg);
            break;
        }
      });
      const die = (err: Error) => {
        if (this.dead) return;
        this.dead = true;
        for (const p of this.pending.values()) p.reject(new Error(`${p.method}: media worker ${this.workerId} died: ${err.message}`));
        this.pending.clear();
        if (!ready) reject(err);
        else if (!this.closing) this.onDied(err);
      };
      w.on('error', (e) => die(e));
      w.on('exit', (code) => die(new Error(`exited with code ${code}`)));
      const init: MainToWorker = { type: 'init', settings, workerId: this.workerId };
      w.postMessage(init);
    });
  }

  request<M extends EngineMethod>(method: M, data: EngineData<M>): Promise<EngineResult<M>> {
    if (this.dead) return Promise.reject(new Error(`${method}: media worker ${this.workerId} is dead`));
    const id = this.nextId++;
    const answer = new Promise<EngineResult<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, method });
      const m: MainToWorker = { type: 'request', id, method, data };
      this.worker.postMessage(m);
    });
    // a late answer after the timeout finds no pending entry and is dropped
    return withTimeout(method, this.timeoutMs, answer, () => this.pending.delete(id));
  }

  async close() {
    this.closing = true;
    if (this.dead) return;
    await this.worker.terminate();
  }
}

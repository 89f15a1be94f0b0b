/** A router inside the engine: the transports and producers of one room, and its audio-level observer. */
import { AudioLevelObserver } from './AudioLevelObserver';
import type { Producer } from './Producer';
import type { Transport } from './Transport';
import type { EngineScope } from './types';
import { CloseSignal } from './CloseSignal';

/** A recording as the router sees it: something to stop when the router closes. */
export interface RouterRecording {
  stop(): Promise<unknown>;
}

export class Router {
  /** tells the parents (transport, producer, router, engine) that this closed */
  private readonly closing: CloseSignal;
  readonly transports = new Map<string, Transport>();
  readonly producers = new Map<string, Producer>();
  readonly recordings = new Map<string, RouterRecording>();
  private readonly levels: AudioLevelObserver;
  closed = false;

  constructor(
    private readonly scope: EngineScope,
    readonly id: string,
  ) {
    this.closing = new CloseSignal((err) => scope.log('error', `router ${id}: a close listener threw: ${String(err)}`));
    this.levels = new AudioLevelObserver(id, this.producers, this.scope.notify);
  }

  addTransport(t: Transport) {
    this.transports.set(t.id, t);
    t.once('close', () => this.transports.delete(t.id));
  }

  addProducer(p: Producer) {
    this.producers.set(p.id, p);
    p.once('close', () => this.producers.delete(p.id));
  }

  addRecording(id: string, r: RouterRecording) {
    this.recordings.set(id, r);
  }

  once(_event: 'close', fn: () => void): void {
    this.closing.once(fn);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.levels.close();
    for (const r of this.recordings.values()) r.stop().catch((e: unknown) => this.scope.log('warn', `recording stop on router close failed: ${String(e)}`));
    this.recordings.clear();
    for (const t of [...this.transports.values()]) t.close();
    this.closing.emit();
  }
}

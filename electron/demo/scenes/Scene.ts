/**
 * What every demo scene gets, and the supervisor that keeps it alive: a scene's `run` sets up its
 * bots and returns (or throws) when one of them is gone — kicked by an operator, say — and the
 * supervisor starts it again a few seconds later, until the demo stops.
 */
import type { Logger } from 'pino';
import { Bot } from '../bots/Bot';
import type { DemoBotUser } from '../demoContent';

export interface SceneContext {
  url: string;
  botPassword: string;
  /** The host's own TLS certificate when it listens with TLS (bots pin it). */
  pinnedCert?: Buffer;
  logger: Logger;
  signal: AbortSignal;
  /** The scene calls this once its bots are live. */
  ready(): void;
}

export type SceneState = 'starting' | 'running' | 'restarting' | 'stopped';

export interface Scene {
  readonly name: string;
  /** One line for the console: what this scene is doing now. */
  detail: string;
  run(ctx: SceneContext): Promise<void>;
}

/** Resolves after `ms`, or at once when the demo stops. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

export const between = (minMs: number, maxMs: number): number => minMs + Math.floor(Math.random() * (maxMs - minMs));

/** Logs in the bots; if one fails, the others are closed again. */
export async function loginBots(ctx: SceneContext, users: readonly DemoBotUser[]): Promise<Bot[]> {
  const bots: Bot[] = [];
  try {
    for (const u of users) bots.push(await Bot.login({ url: ctx.url, userName: u.userName, password: ctx.botPassword, pinnedCert: ctx.pinnedCert }));
    return bots;
  } catch (err) {
    await Promise.all(bots.map((b) => b.close()));
    throw err;
  }
}

/**
 * Resolves when the demo stops or any of the bots' connections closes (the scene then restarts);
 * with `inRoom`, also when a bot is put out of its room (an operator closes the room or removes it).
 */
export function untilStoppedOrLost(ctx: SceneContext, bots: readonly Bot[], opts: { inRoom?: boolean } = {}): Promise<void> {
  return new Promise((resolve) => {
    const offs: (() => void)[] = [];
    const done = () => {
      for (const off of offs) off();
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    if (ctx.signal.aborted || bots.some((b) => !b.isOpen)) return resolve();
    ctx.signal.addEventListener('abort', done, { once: true });
    for (const b of bots) {
      offs.push(b.client.on('close', done));
      if (opts.inRoom) {
        offs.push(b.client.on('roomClosed', (r) => r.roomId === b.roomId && done()));
        offs.push(b.client.on('userLeft', (u) => u.userId === b.userId && u.roomId === b.roomId && done()));
      }
    }
  });
}

export class SceneRunner {
  state: SceneState = 'starting';
  restarts = 0;
  private done: Promise<void> | null = null;

  constructor(
    readonly scene: Scene,
    private readonly ctx: Omit<SceneContext, 'ready'>,
  ) {}

  start(): void {
    this.done ??= this.loop();
  }

  /** Resolves once the scene's current run has ended (after the demo's signal aborted). */
  finished(): Promise<void> {
    return this.done ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    const log = this.ctx.logger.child({ scene: this.scene.name });
    let failures = 0;
    while (!this.ctx.signal.aborted) {
      const startedAt = Date.now();
      try {
        await this.scene.run({ ...this.ctx, logger: log, ready: () => void (this.state = 'running') });
        if (!this.ctx.signal.aborted) log.info('demo scene lost a bot; restarting it');
      } catch (err) {
        if (this.ctx.signal.aborted) break;
        log.warn({ err: (err as Error).message }, 'demo scene failed; restarting it');
      }
      if (this.ctx.signal.aborted) break;
      this.state = 'restarting';
      this.restarts++;
      // 5 s, then longer while it keeps failing at once (a banned bot, say), up to a minute.
      failures = Date.now() - startedAt > 60_000 ? 0 : failures + 1;
      await pause(Math.min(60_000, 5000 * 2 ** (failures - 1)), this.ctx.signal);
    }
    this.state = 'stopped';
  }
}

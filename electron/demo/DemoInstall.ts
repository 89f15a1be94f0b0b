/**
 * A demo install (`--demo`, or `"demo": true`; shared/docs/protocol.md §4): sample content that
 * runs through the product's real paths. `prepare` adds the bots, guest login, a seat time limit
 * and a webhook-receiving gateway app to the configuration before the core starts; `start` runs
 * the scenes — demo-lobby, demo-stage, a 1:1 call, smart queueing, the first recordings — as bots
 * connected to the host's own WebSocket; `stop` logs every bot out before the core stops.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { DemoInfo } from '../../shared/ipc/types';
import type { LoadedConfig } from '../config/loadConfig';
import type { CoreComponents } from '../core/Core';
import { withDemoContent, newDemoSecrets, type DemoSecrets } from './demoConfig';
import { DEMO_BOTS, DEMO_LOBBY, DEMO_PAGE_PATH, DEMO_STAGE } from './demoContent';
import { ensureDemoQueueObjects } from './demoQueueObjects';
import { makeDemoRecordings } from './demoRecordings';
import { demoClip } from './media/clip';
import { CallScene } from './scenes/callScene';
import { LobbyScene } from './scenes/lobbyScene';
import { QueueScene } from './scenes/queueScene';
import { SceneRunner } from './scenes/Scene';
import { StageScene } from './scenes/stageScene';
import { WebhookSink } from './WebhookSink';

export class DemoInstall {
  private readonly abort = new AbortController();
  private runners: SceneRunner[] = [];
  private recordings: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | null = null;
  private baseUrl = '';

  private constructor(
    readonly config: LoadedConfig,
    private readonly secrets: DemoSecrets,
    private readonly sink: WebhookSink,
    private readonly logger: Logger,
  ) {}

  /** Starts the webhook receiver and returns the demo with the configuration the core should use. */
  static async prepare(config: LoadedConfig, logger: Logger): Promise<DemoInstall> {
    demoClip(); // fail now, with a clear message, if the clip is missing
    const secrets = newDemoSecrets();
    const sink = await WebhookSink.start(secrets.appMd5Key, logger);
    const demo = withDemoContent(config, secrets, sink.url);
    if (!config.guestLogin) logger.warn('demo install: guest login turned on (the demo page joins demo-lobby as a guest)');
    if (demo.rooms.seatTimeLimitSeconds !== config.rooms.seatTimeLimitSeconds)
      logger.info({ seconds: demo.rooms.seatTimeLimitSeconds }, 'demo install: mic seat time limit set so demo-stage rotates');
    return new DemoInstall(demo, secrets, sink, logger);
  }

  /** Runs the scenes against the started core at `url` (its http://… address). Returns at once. */
  start(components: CoreComponents, url: string): void {
    this.baseUrl = url.replace(/\/$/, '');
    const wsUrl = `${this.baseUrl.replace(/^http/, 'ws')}/ws`; // https → wss
    const tls = this.config.listen.tls;
    const pinnedCert = tls ? readFileSync(path.resolve(this.config.configDir, tls.certFile)) : undefined;
    const ctx = { url: wsUrl, botPassword: this.secrets.botPassword, pinnedCert, logger: this.logger, signal: this.abort.signal };
    const { sdk, platform, gateway } = components;
    const record = (userIds: number[], signal: AbortSignal) => {
      const p = makeDemoRecordings(sdk, platform.files, userIds, signal);
      this.recordings = p.catch(() => undefined);
      return p.then(() => undefined);
    };
    this.runners = [new LobbyScene(record), new StageScene(), new CallScene(), new QueueScene(() => ensureDemoQueueObjects(gateway.queue.store))].map(
      (scene) => new SceneRunner(scene, ctx),
    );
    for (const r of this.runners) r.start();
    this.logger.info({ bots: DEMO_BOTS.length, rooms: [DEMO_LOBBY, DEMO_STAGE] }, 'demo install: sample content starting');
  }

  info(): DemoInfo {
    return {
      rooms: [DEMO_LOBBY, DEMO_STAGE],
      demoPagePath: DEMO_PAGE_PATH,
      demoPageUrl: `${this.baseUrl}${DEMO_PAGE_PATH}`,
      scenes: this.runners.map((r) => ({ name: r.scene.name, state: r.state, detail: r.scene.detail, restarts: r.restarts })),
      webhookNotices: this.sink.received,
    };
  }

  /** Idempotent: every bot logs out, then the receiver closes. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.abort.abort();
      await Promise.all(this.runners.map((r) => r.finished()));
      await this.recordings;
      await this.sink.close();
      this.logger.info('demo install: stopped');
    })();
    return this.stopping;
  }
}

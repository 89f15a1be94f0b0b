/**
 * demo-lobby: an interactive room where two bots publish the clip (audio + video, their loops
 * half a loop apart so they take turns as the active speaker) and chat now and then. At the first start it
 * also makes the demo's finished recordings, by recording each lobby bot for a few seconds.
 */
import type { Bot } from '../bots/Bot';
import { botsWithRole, DEMO_LOBBY, LOBBY_LINES } from '../demoContent';
import { between, loginBots, pause, untilStoppedOrLost, type Scene, type SceneContext } from './Scene';

export class LobbyScene implements Scene {
  readonly name = 'lobby';
  detail = 'starting';

  /** `makeRecordings` records the given bots (called once the bots publish). */
  constructor(private readonly makeRecordings: (userIds: number[], signal: AbortSignal) => Promise<void>) {}

  async run(ctx: SceneContext): Promise<void> {
    const bots = await loginBots(ctx, botsWithRole('lobby'));
    try {
      for (const [i, b] of bots.entries()) {
        await b.enterRoom({ roomName: DEMO_LOBBY }, 'interactive');
        await b.publish(i * 3000); // half a loop apart: they talk in turns
      }
      this.detail = `${DEMO_LOBBY}: ${bots.map((b) => b.nickName).join(', ')} publishing`;
      ctx.ready();
      const lost = untilStoppedOrLost(ctx, bots, { inRoom: true });
      void this.chat(ctx, bots, lost);
      void this.makeRecordings(
        bots.map((b) => b.userId),
        ctx.signal,
      ).catch((err: unknown) => ctx.logger.warn({ err: (err as Error).message }, 'demo recordings failed'));
      await lost;
    } finally {
      await Promise.all(bots.map((b) => b.close()));
    }
  }

  private async chat(ctx: SceneContext, bots: Bot[], lost: Promise<void>): Promise<void> {
    let over = false;
    void lost.then(() => (over = true));
    let line = 0;
    while (!over && !ctx.signal.aborted) {
      await pause(between(12_000, 25_000), ctx.signal);
      if (over || ctx.signal.aborted) return;
      const speaker = bots[line % bots.length]!;
      await speaker.say(LOBBY_LINES[line % LOBBY_LINES.length]!).catch(() => undefined);
      line++;
    }
  }
}

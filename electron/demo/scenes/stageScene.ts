/**
 * demo-stage: an audience room with STAGE_SEATS mic seats and more bots than seats. Bots enter
 * as audience and ask for the mic; a seated bot publishes (the server allows an audience member to
 * produce only on a seat), the others wait in the queue. The seat time limit takes the seated off
 * (docs/business.md), the queue head moves up, and a bot taken off asks for the mic again a little
 * later — so the seats rotate for as long as the demo runs.
 */
import { ClientError, type MicState } from '../../../shared/client';
import { Codes } from '../../../shared/codes';
import type { Bot } from '../bots/Bot';
import { botsWithRole, DEMO_STAGE, STAGE_SEATS } from '../demoContent';
import { between, loginBots, pause, untilStoppedOrLost, type Scene, type SceneContext } from './Scene';

export class StageScene implements Scene {
  readonly name = 'stage';
  detail = 'starting';

  async run(ctx: SceneContext): Promise<void> {
    const bots = await loginBots(ctx, botsWithRole('stage'));
    try {
      await bots[0]!.client.request('createRoom', { roomName: DEMO_STAGE, seatCount: STAGE_SEATS }).catch((err: unknown) => {
        // 417: it exists already (someone is in it) — fine, enter it as it is.
        if (!(err instanceof ClientError && err.code === Codes.ROOM_ALREADY_EXISTS)) throw err;
      });
      for (const [i, b] of bots.entries()) {
        b.client.on('micState', (m) => this.follow(ctx, b, m, i));
        await b.enterRoom({ roomName: DEMO_STAGE }, 'audience');
        await b.client.request('micRequest', {});
      }
      ctx.ready();
      this.detail = `${DEMO_STAGE}: ${STAGE_SEATS} seats, ${bots.length} bots taking turns`;
      await untilStoppedOrLost(ctx, bots, { inRoom: true });
    } finally {
      await Promise.all(bots.map((b) => b.close()));
    }
  }

  /** Media follows the seat; a bot with neither seat nor place asks again after a short break. */
  private follow(ctx: SceneContext, bot: Bot, m: MicState, index: number): void {
    if (m.roomId !== bot.roomId || ctx.signal.aborted) return;
    const seated = m.seats.some((s) => s.userId === bot.userId);
    const queued = m.queue.includes(bot.userId);
    if (seated && !bot.publishing)
      void bot.publish(index * 700).catch((err: unknown) => ctx.logger.debug({ err: (err as Error).message }, 'stage bot could not publish'));
    else if (!seated && bot.publishing) void bot.unpublish();
    if (!seated && !queued) {
      void pause(between(2000, 5000), ctx.signal).then(async () => {
        if (ctx.signal.aborted || !bot.isOpen || bot.roomId !== m.roomId) return;
        await bot.client.request('micRequest', {}).catch(() => undefined);
      });
    }
  }
}

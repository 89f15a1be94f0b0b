/**
 * A 1:1 video call between two bots (seed §6): the caller requests, the callee accepts, both enter
 * the call room the server allocated (start event, room id in `param`) and publish the clip. After
 * a while the caller hangs up and, a few seconds later, calls again — so the call, and its media,
 * restart now and then.
 */
import { VideoCallEvent } from '../../../shared/client';
import type { Bot } from '../bots/Bot';
import { botsWithRole } from '../demoContent';
import { between, loginBots, pause, untilStoppedOrLost, type Scene, type SceneContext } from './Scene';

export class CallScene implements Scene {
  readonly name = 'call';
  detail = 'starting';
  calls = 0;

  async run(ctx: SceneContext): Promise<void> {
    const [caller, callee] = (await loginBots(ctx, botsWithRole('caller').concat(botsWithRole('callee')))) as [Bot, Bot];
    const lost = untilStoppedOrLost(ctx, [caller, callee]);
    let over = false;
    void lost.then(() => (over = true));
    try {
      for (const b of [caller, callee]) {
        b.client.on('videoCallEvent', (e) => {
          if (e.eventType === VideoCallEvent.REQUEST && b === callee) void b.client.callReply(e.userId, true).catch(() => undefined);
          else if (e.eventType === VideoCallEvent.START) void this.joinCall(ctx, b, e.param);
          else if (e.eventType === VideoCallEvent.FINISH) void b.leaveRoom();
        });
      }
      ctx.ready();
      while (!over && !ctx.signal.aborted) {
        const started = caller.client.next('videoCallEvent', (e) => e.eventType === VideoCallEvent.START || e.eventType === VideoCallEvent.FINISH, 30_000);
        await caller.client.callRequest(callee.userId, { userStr: 'demo call' });
        // A stop or a lost bot ends the wait at once (the scene then closes both bots).
        const ev = await Promise.race([started, lost.then(() => null)]);
        if (!ev) break;
        if (ev.eventType === VideoCallEvent.START) {
          this.calls++;
          this.detail = `${caller.nickName} ⇄ ${callee.nickName}: call ${this.calls} in progress`;
          await pause(between(45_000, 75_000), ctx.signal);
          if (over || ctx.signal.aborted) break;
          const finished = caller.client.next('videoCallEvent', (e) => e.eventType === VideoCallEvent.FINISH, 10_000).catch(() => undefined);
          await caller.client.callFinish(callee.userId).catch(() => undefined);
          await Promise.race([finished, lost]);
        }
        this.detail = `${caller.nickName} ⇄ ${callee.nickName}: between calls`;
        await pause(5000, ctx.signal);
      }
      await lost;
    } finally {
      await Promise.all([caller.close(), callee.close()]);
    }
  }

  private async joinCall(ctx: SceneContext, bot: Bot, roomId: number): Promise<void> {
    try {
      await bot.enterRoom({ roomId }, 'interactive');
      await bot.publish((bot.userId % 2) * 2500);
    } catch (err) {
      ctx.logger.debug({ err: (err as Error).message }, 'call bot could not join the call room');
    }
  }
}

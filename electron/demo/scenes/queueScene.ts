/**
 * Smart queueing (gateway API §5): a service area with two queues, two agent bots waiting (status
 * 1) in the area, and customer bots who arrive, enter a queue, wait, are routed to an idle agent
 * (the queue starts a video call, agent → customer; the customer accepts), are served for a while
 * and leave; a little later they come back as new arrivals. Customers outnumber agents, so
 * someone is usually waiting.
 */
import { VideoCallEvent } from '../../../shared/client';
import { Bot } from '../bots/Bot';
import { botsWithRole, type DemoBotUser } from '../demoContent';
import { between, loginBots, pause, untilStoppedOrLost, type Scene, type SceneContext } from './Scene';

export interface DemoQueueObjects {
  areaGuid: string;
  queueGuids: string[];
}

export class QueueScene implements Scene {
  readonly name = 'queueing';
  detail = 'starting';
  served = 0;

  constructor(private readonly ensureObjects: () => Promise<DemoQueueObjects>) {}

  async run(ctx: SceneContext): Promise<void> {
    const objects = await this.ensureObjects();
    const agents = await loginBots(ctx, botsWithRole('agent'));
    const lost = untilStoppedOrLost(ctx, agents);
    let over = false;
    void lost.then(() => (over = true));
    try {
      for (const a of agents) {
        a.client.on('videoCallEvent', (e) => {
          // The queue made this agent call a customer: serve, then hang up.
          if (e.eventType !== VideoCallEvent.START) return;
          void pause(between(15_000, 30_000), ctx.signal).then(() => {
            if (!ctx.signal.aborted) void a.client.callFinish(e.userId).catch(() => undefined);
          });
        });
        await a.client.request('queueAgentStatus', { status: 1, areaGuid: objects.areaGuid });
      }
      ctx.ready();
      this.detail = `${agents.length} agents; customers arriving`;
      const customers = botsWithRole('customer').map((c, i) => this.customerLoop(ctx, c, objects, i, () => over));
      await lost;
      await Promise.all(customers);
    } finally {
      await Promise.all(agents.map((b) => b.close()));
    }
  }

  /** One customer, again and again: arrive, queue, get served (or give up after 2 minutes), leave. */
  private async customerLoop(ctx: SceneContext, user: DemoBotUser, objects: DemoQueueObjects, index: number, over: () => boolean): Promise<void> {
    await pause(2000 + index * between(3000, 6000), ctx.signal);
    while (!over() && !ctx.signal.aborted) {
      let bot: Bot | null = null;
      try {
        bot = await Bot.login({ url: ctx.url, userName: user.userName, password: ctx.botPassword, pinnedCert: ctx.pinnedCert });
        const b = bot;
        b.client.on('videoCallEvent', (e) => {
          if (e.eventType === VideoCallEvent.REQUEST) void b.client.callReply(e.userId, true).catch(() => undefined);
        });
        const served = b.client.next('videoCallEvent', (e) => e.eventType === VideoCallEvent.FINISH, 120_000);
        await b.client.request('queueEnterArea', { areaGuid: objects.areaGuid });
        await b.client.request('queueEnter', { queueGuid: objects.queueGuids[between(0, objects.queueGuids.length)]! });
        await Promise.race([served.then(() => void this.served++), until(ctx, over)]);
      } catch (err) {
        ctx.logger.debug({ err: (err as Error).message, customer: user.userName }, 'demo customer gave up');
      } finally {
        await bot?.close();
      }
      await pause(between(5000, 15_000), ctx.signal);
    }
  }
}

async function until(ctx: SceneContext, cond: () => boolean): Promise<void> {
  while (!cond() && !ctx.signal.aborted) await pause(500, ctx.signal);
}

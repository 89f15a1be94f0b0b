/**
 * One sample of the media node for the console: total bitrate through the SFU, per-producer
 * quality (bitrate, loss, RTT) and each room's loudest speaker. Producers carry their user in
 * appData (set by the signaling's produce), their room via the router.
 */
import type { ProducerQuality, StatsTick } from '../../shared/ipc/types';
import type { MediaNode, Router } from '../media';

/** roomId of each router (the signaling keeps one router per room). */
export type RouterRooms = (router: Router) => number | null;

/** Follows each router's dominant-speaker observer; remembers the loudest user per router. */
export class SpeakerTracker {
  private readonly watched = new WeakSet<Router>();
  private readonly loudest = new Map<string, number>();

  watch(router: Router): void {
    if (this.watched.has(router)) return;
    this.watched.add(router);
    router.on('dominantspeaker', ({ producer }) => {
      const userId = Number((producer?.appData as { userId?: unknown } | undefined)?.userId ?? 0);
      if (userId) this.loudest.set(router.id, userId);
    });
    router.on('close', () => this.loudest.delete(router.id));
  }

  of(router: Router): number | undefined {
    return this.loudest.get(router.id);
  }
}

export async function mediaStats(
  media: MediaNode,
  roomOf: RouterRooms = () => null,
  speakers: SpeakerTracker = new SpeakerTracker(),
): Promise<Pick<StatsTick, 'bitrate' | 'producers' | 'activeSpeakers'>> {
  const producers: ProducerQuality[] = [];
  const activeSpeakers: Record<number, number> = {};
  let bitrate = 0;
  const jobs: Promise<void>[] = [];
  for (const router of media.routers.values()) {
    const roomId = roomOf(router) ?? 0;
    speakers.watch(router);
    const speaker = speakers.of(router);
    if (roomId && speaker) activeSpeakers[roomId] = speaker;
    for (const p of router.producers.values()) {
      const userId = Number((p.appData as { userId?: unknown }).userId ?? 0);
      jobs.push(
        p.getStats().then(
          (stats) => {
            const rate = stats.reduce((sum, s) => sum + (s.bitrate || 0), 0);
            const lost = stats.reduce((m, s) => Math.max(m, s.fractionLost || 0), 0);
            const rtt = stats.reduce((m, s) => Math.max(m, s.roundTripTime || 0), 0);
            bitrate += rate;
            producers.push({ producerId: p.id, userId, roomId, kind: p.kind, bitrate: rate, lossRate: lost, rttMs: rtt || null, audioLevel: null });
          },
          () => undefined,
        ),
      );
    }
  }
  // Bound the sample: a stuck worker must not stall the console's ticks.
  await Promise.race([Promise.all(jobs), new Promise((r) => setTimeout(r, 800))]);
  return { bitrate, producers, activeSpeakers };
}

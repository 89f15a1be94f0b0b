/**
 * One sample of the media node for the console: total bitrate through the SFU, per-producer
 * quality (bitrate, loss, RTT), each viewer's estimated downlink and each room's loudest speaker. Producers carry their user in
 * appData (set by the signaling's produce), their room via the router.
 */
import type { DownlinkEstimate, ProducerQuality, StatsTick } from '../../shared/ipc/types';
import type { MediaNode, Router } from '../media';

/** roomId of each router (the signaling keeps one router per room). */
export type RouterRooms = (router: Router) => number | null;

/**
 * Follows each router's dominant-speaker observer; remembers the loudest producer per router.
 * The observer only reports changes, so its last answer goes stale when that producer closes,
 * pauses or falls silent: `of()` answers only while the producer still sends audio.
 */
export class SpeakerTracker {
  private readonly watched = new WeakSet<Router>();
  private readonly loudest = new Map<string, { userId: number; producerId: string }>();

  watch(router: Router): void {
    if (this.watched.has(router)) return;
    this.watched.add(router);
    router.on('dominantspeaker', ({ producer }) => {
      const userId = Number((producer?.appData as { userId?: unknown } | undefined)?.userId ?? 0);
      if (userId && producer) this.loudest.set(router.id, { userId, producerId: producer.id });
    });
    router.on('close', () => this.loudest.delete(router.id));
  }

  /** The loudest user, if their producer is still open, unpaused and sending (`bitrateOf` from this tick's stats). */
  of(router: Router, bitrateOf: (producerId: string) => number = () => 1): number | undefined {
    const l = this.loudest.get(router.id);
    if (!l) return undefined;
    const p = router.producers.get(l.producerId);
    if (!p || p.closed || p.paused || bitrateOf(l.producerId) <= 0) return undefined;
    return l.userId;
  }
}

export async function mediaStats(
  media: MediaNode,
  roomOf: RouterRooms = () => null,
  speakers: SpeakerTracker = new SpeakerTracker(),
): Promise<Pick<StatsTick, 'bitrate' | 'producers' | 'activeSpeakers' | 'downlinks'>> {
  const producers: ProducerQuality[] = [];
  const downlinks: DownlinkEstimate[] = [];
  const activeSpeakers: Record<number, number> = {};
  let bitrate = 0;
  const jobs: Promise<void>[] = [];
  const rates = new Map<string, number>();
  for (const router of media.routers.values()) {
    const roomId = roomOf(router) ?? 0;
    speakers.watch(router);
    for (const p of router.producers.values()) {
      const userId = Number((p.appData as { userId?: unknown }).userId ?? 0);
      jobs.push(
        p.getStats().then(
          (stats) => {
            const rate = stats.reduce((sum, s) => sum + (s.bitrate || 0), 0);
            const lost = stats.reduce((m, s) => Math.max(m, s.fractionLost || 0), 0);
            const rtt = stats.reduce((m, s) => Math.max(m, s.roundTripTime || 0), 0);
            bitrate += rate;
            rates.set(p.id, rate);
            producers.push({ producerId: p.id, userId, roomId, kind: p.kind, bitrate: rate, lossRate: lost, rttMs: rtt || null, audioLevel: null });
          },
          () => undefined,
        ),
      );
    }
  }
  for (const router of media.routers.values()) {
    const roomId = roomOf(router) ?? 0;
    for (const t of router.transports.values()) {
      const userId = Number((t.appData as { userId?: unknown }).userId ?? 0);
      if (!userId || t.closed) continue;
      jobs.push(
        t.getStats().then(
          ([s]) => {
            if (s?.availableOutgoingBitrate !== undefined) downlinks.push({ transportId: t.id, userId, roomId, estimatedBitrate: s.availableOutgoingBitrate });
          },
          () => undefined,
        ),
      );
    }
  }
  // Bound the sample: a stuck worker must not stall the console's ticks.
  await Promise.race([Promise.all(jobs), new Promise((r) => setTimeout(r, 800))]);
  for (const router of media.routers.values()) {
    const roomId = roomOf(router) ?? 0;
    const speaker = speakers.of(router, (id) => rates.get(id) ?? 0);
    if (roomId && speaker) activeSpeakers[roomId] = speaker;
  }
  return { bitrate, producers, activeSpeakers, downlinks };
}

/**
 * Samples the media node once a second: per participant quality (uplink bitrate, loss and jitter
 * from their producers; downlink bitrate, loss and RTT from their consumers), forwarded packets
 * (sum of consumer packet counts, kept monotonic across closed consumers), and publishes /
 * unpublishes for room timelines (a producer that appeared or went since the last sample).
 */
import type { QualityPoint } from '../../shared/ipc/observability';
import { TypedEmitter } from '../util/TypedEmitter';
import type { MediaNode, Router } from '../media';

export interface MediaSample {
  at: number;
  points: QualityPoint[];
  producers: number;
  consumers: number;
  forwardedPacketsPerSecond: number;
}

interface ProducerInfo {
  roomId: number;
  userId: number;
  kind: string;
}

const userOf = (appData: unknown) => Number((appData as { userId?: unknown } | undefined)?.userId ?? 0);

export class MediaWatcher extends TypedEmitter<{
  sample: MediaSample;
  publish: { roomId: number; userId: number; kind: string; producerId: string };
  unpublish: { roomId: number; userId: number; kind: string; producerId: string };
}> {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private known = new Map<string, ProducerInfo>();
  private lastPackets = new Map<string, number>();
  forwardedPacketsTotal = 0;
  last: MediaSample = { at: 0, points: [], producers: 0, consumers: 0, forwardedPacketsPerSecond: 0 };

  constructor(
    private readonly media: MediaNode,
    private readonly roomOf: (router: Router) => number | null,
    private readonly intervalMs = 1000,
    /** A sample failed (a listener threw): reported, and the next tick runs as usual. */
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    super();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One sample; overlapping ticks are skipped (a slow worker must not pile samples up). */
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sample();
    } catch (err) {
      this.onError(err as Error);
    } finally {
      this.running = false;
    }
  }

  private async sample(): Promise<void> {
    const at = Date.now();
    const users = new Map<number, QualityPoint>();
    const point = (userId: number, roomId: number) => {
      let p = users.get(userId);
      if (!p) users.set(userId, (p = { at, userId, roomId, bitrateUp: 0, bitrateDown: 0, loss: 0, rttMs: null, jitterMs: null }));
      return p;
    };
    const seen = new Map<string, ProducerInfo>();
    const packets = new Map<string, number>();
    const jobs: Promise<void>[] = [];
    let producers = 0;
    let consumers = 0;
    for (const router of this.media.routers.values()) {
      const roomId = this.roomOf(router) ?? 0;
      for (const t of router.transports.values()) {
        const userId = userOf(t.appData);
        for (const p of t.producers.values()) {
          producers++;
          const uid = userOf(p.appData) || userId;
          seen.set(p.id, { roomId, userId: uid, kind: p.kind });
          if (!uid) continue;
          const clock = p.kind === 'audio' ? 48 : 90; // RTP ticks per ms
          jobs.push(
            p.getStats().then(
              (stats) => {
                const q = point(uid, roomId);
                for (const s of stats) {
                  q.bitrateUp += s.bitrate || 0;
                  q.loss = Math.max(q.loss, s.fractionLost || 0);
                  if (s.jitter) q.jitterMs = Math.max(q.jitterMs ?? 0, s.jitter / clock);
                }
              },
              () => undefined,
            ),
          );
        }
        for (const c of t.consumers.values()) {
          consumers++;
          jobs.push(
            c.getStats().then(
              (stats) => {
                packets.set(
                  c.id,
                  stats.reduce((n, s) => n + (s.packetCount || 0), 0),
                );
                if (!userId) return;
                const q = point(userId, roomId);
                for (const s of stats) {
                  q.bitrateDown += s.bitrate || 0;
                  q.loss = Math.max(q.loss, s.fractionLost || 0);
                  if (s.roundTripTime) q.rttMs = Math.max(q.rttMs ?? 0, s.roundTripTime);
                }
              },
              () => undefined,
            ),
          );
        }
      }
    }
    await Promise.race([Promise.all(jobs), new Promise((r) => setTimeout(r, 800))]);

    let forwarded = 0;
    for (const [id, n] of packets) forwarded += Math.max(0, n - (this.lastPackets.get(id) ?? 0));
    // Consumers that went keep their last count out of the map; sampled ones replace theirs.
    for (const [id, n] of packets) this.lastPackets.set(id, n);
    for (const id of this.lastPackets.keys()) if (!packets.has(id)) this.lastPackets.delete(id);
    this.forwardedPacketsTotal += forwarded;
    const seconds = this.last.at ? Math.max(0.001, (at - this.last.at) / 1000) : 1;

    for (const [id, info] of seen) if (!this.known.has(id)) this.emit('publish', { ...info, producerId: id });
    for (const [id, info] of this.known) if (!seen.has(id)) this.emit('unpublish', { ...info, producerId: id });
    this.known = seen;

    this.last = { at, points: [...users.values()], producers, consumers, forwardedPacketsPerSecond: forwarded / seconds };
    this.emit('sample', this.last);
  }
}

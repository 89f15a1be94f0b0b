/**
 * Audio-level observer + active speaker for one router: every interval, the mean ssrc-audio-level
 * of each unpaused audio producer; the loudest ones go out as `volumes`, a change of the loudest
 * as `dominantspeaker`, nobody above the floor as `silence`.
 */
import type { Producer } from './Producer';
import { AUDIO_LEVEL_FLOOR_DBOV, AUDIO_LEVEL_INTERVAL_MS, AUDIO_LEVEL_MAX_ENTRIES } from './tuning';
import type { Notify } from './types';

export class AudioLevelObserver {
  private readonly timer: NodeJS.Timeout;
  private dominant: string | null = null;

  constructor(
    private readonly routerId: string,
    private readonly producers: ReadonlyMap<string, Producer>,
    private readonly notify: Notify,
  ) {
    this.timer = setInterval(() => this.tick(), AUDIO_LEVEL_INTERVAL_MS);
    this.timer.unref?.();
  }

  private tick() {
    const volumes: { producerId: string; volume: number }[] = [];
    for (const p of this.producers.values()) {
      if (p.kind !== 'audio' || p.paused) continue;
      const v = p.takeAudioLevel();
      if (v !== null && v > AUDIO_LEVEL_FLOOR_DBOV) volumes.push({ producerId: p.id, volume: Math.round(v) });
    }
    volumes.sort((a, b) => b.volume - a.volume);
    if (volumes.length) {
      this.notify({ targetId: this.routerId, event: 'volumes', data: volumes.slice(0, AUDIO_LEVEL_MAX_ENTRIES) });
      if (volumes[0].producerId !== this.dominant) {
        this.dominant = volumes[0].producerId;
        this.notify({ targetId: this.routerId, event: 'dominantspeaker', data: { producerId: this.dominant } });
      }
    } else {
      this.notify({ targetId: this.routerId, event: 'silence' });
    }
  }

  close() {
    clearInterval(this.timer);
  }
}

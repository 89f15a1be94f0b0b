/**
 * The mic queue of each ordinary room (call rooms have none), made on first use with the room's
 * seat count and the configured limits. BusinessLayer decides what a change means (broadcasts,
 * producers); this only keeps the queues and their lifetime.
 */
import type { Config } from '../../config/schema';
import type { Clock } from '../clock';
import type { RoomRecord } from '../rooms/roomRegistry';
import { MicQueue, type MicChange } from './micQueue';

export interface RoomMicsOptions {
  /** Read when a queue is made, so a queue gets the settings of its time. */
  settings: Pick<Config['rooms'], 'seatTimeLimitSeconds' | 'maxQueueLength'>;
  clock: Clock;
  onChange: (room: RoomRecord, change: MicChange) => void;
}

export class RoomMics {
  private readonly mics = new Map<number, MicQueue>();

  constructor(private readonly opts: RoomMicsOptions) {}

  /** The room's queue if it has one (never makes one). */
  get(roomId: number): MicQueue | undefined {
    return this.mics.get(roomId);
  }

  /** The room's queue, made on first use; undefined for a call room. */
  of(room: RoomRecord): MicQueue | undefined {
    if (room.kind !== 'room') return undefined;
    let mic = this.mics.get(room.roomId);
    if (!mic) {
      mic = new MicQueue({
        roomId: room.roomId,
        seatCount: room.seatCount,
        seatTimeLimitMs: this.opts.settings.seatTimeLimitSeconds * 1000,
        maxQueueLength: this.opts.settings.maxQueueLength,
        clock: this.opts.clock,
        onChange: (change) => this.opts.onChange(room, change),
      });
      this.mics.set(room.roomId, mic);
    }
    return mic;
  }

  /** The room ended or closed: its queue stops (timers too) and is forgotten. */
  drop(roomId: number): void {
    this.mics.get(roomId)?.close();
    this.mics.delete(roomId);
  }

  closeAll(): void {
    for (const m of this.mics.values()) m.close();
    this.mics.clear();
  }
}

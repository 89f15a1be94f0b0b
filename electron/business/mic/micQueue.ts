/**
 * One room's public mic seats and mic queue (seed §8.3 公麦, §8.4 麦序) as a pure state machine.
 *
 * - `request`: a free, unlocked seat → seated (lowest seat number first); otherwise → queued.
 * - `release` / `removeUser`: frees the seat (the queue head takes it) or leaves the queue.
 * - A seat time limit (0 = none) takes a user off after that long; the queue head moves up.
 * - Operator controls: reorder the queue, remove from it, force a user off, lock/unlock a seat
 *   (locking an occupied seat takes its occupant off), change the seat count (occupants of
 *   removed seats go back to the front of the queue, in seat order).
 *
 * Every mutation ends in one `commit`, which diffs who sits where before and after, restarts or
 * clears seat timers, and reports one `MicChange` (never a change when nothing moved).
 * Seats are numbered from 0; queue positions from 1 (1 = next to be seated).
 */
import { Codes, CodedError } from '../../../shared/codes';
import type { Clock, TimerHandle } from '../clock';

export const MAX_SEATS = 64;

/** The `micState` notification's shape (protocol.md §2). */
export interface MicStateWire {
  roomId: number;
  seats: { seat: number; userId: number | null; locked: boolean }[];
  queue: number[];
}

/** The console's view: the wire shape plus when each occupant took the seat. */
export interface MicStateSnapshot {
  roomId: number;
  seats: { seat: number; userId: number | null; locked: boolean; since: number | null }[];
  queue: number[];
}

export type MicStatus = { state: 'seated'; seat: number } | { state: 'queued'; position: number } | { state: 'none' };

export type UnseatCause = 'release' | 'leave' | 'timeout' | 'forceOff' | 'locked' | 'seatCount';

export interface MicChange {
  snapshot: MicStateSnapshot;
  /** Users who took a seat in this change (queue head promoted, or a direct request). */
  seated: { userId: number; seat: number }[];
  /** Users who lost their seat in this change, and why. */
  unseated: { userId: number; seat: number; cause: UnseatCause }[];
}

export interface MicQueueOptions {
  roomId: number;
  seatCount: number;
  /** 0 = no limit. */
  seatTimeLimitMs: number;
  maxQueueLength: number;
  clock: Clock;
  onChange: (change: MicChange) => void;
}

interface Seat {
  userId: number | null;
  locked: boolean;
  since: number | null;
}

export function toMicStateWire(s: MicStateSnapshot): MicStateWire {
  return { roomId: s.roomId, seats: s.seats.map(({ seat, userId, locked }) => ({ seat, userId, locked })), queue: [...s.queue] };
}

export class MicQueue {
  readonly roomId: number;
  private seats: Seat[];
  private queue: number[] = [];
  private readonly timers = new Map<number, TimerHandle>();
  private seatTimeLimitMs: number;
  private closed = false;

  constructor(private readonly opts: MicQueueOptions) {
    this.roomId = opts.roomId;
    checkSeatCount(opts.seatCount);
    this.seats = Array.from({ length: opts.seatCount }, () => ({ userId: null, locked: false, since: null }));
    this.seatTimeLimitMs = Math.max(0, opts.seatTimeLimitMs);
  }

  get seatCount(): number {
    return this.seats.length;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  snapshot(): MicStateSnapshot {
    return {
      roomId: this.roomId,
      seats: this.seats.map((s, seat) => ({ seat, userId: s.userId, locked: s.locked, since: s.since })),
      queue: [...this.queue],
    };
  }

  statusOf(userId: number): MicStatus {
    const seat = this.seatOf(userId);
    if (seat >= 0) return { state: 'seated', seat };
    const i = this.queue.indexOf(userId);
    if (i >= 0) return { state: 'queued', position: i + 1 };
    return { state: 'none' };
  }

  isSeated(userId: number): boolean {
    return this.seatOf(userId) >= 0;
  }

  /** Users on a seat, in seat order. */
  seatedUsers(): number[] {
    return this.seats.flatMap((s) => (s.userId === null ? [] : [s.userId]));
  }

  /** micRequest: take a free seat, or join the queue. Asking again changes nothing. */
  request(userId: number): MicStatus {
    this.assertOpen();
    const current = this.statusOf(userId);
    if (current.state !== 'none') return current;
    const free = this.freeSeat();
    if (free < 0 && this.queue.length >= this.opts.maxQueueLength) {
      throw new CodedError(Codes.MIC_QUEUE_FULL, `the mic queue is full (${this.opts.maxQueueLength})`);
    }
    this.mutate('release', () => {
      if (free >= 0) this.sit(free, userId);
      else this.queue.push(userId);
    });
    return this.statusOf(userId);
  }

  /** micRelease: leave the seat or the queue. Releasing with neither is not an error. */
  release(userId: number): MicStatus {
    this.assertOpen();
    this.drop(userId, 'release');
    return { state: 'none' };
  }

  /** The user left the room or disconnected. */
  removeUser(userId: number): void {
    if (this.closed) return;
    this.drop(userId, 'leave');
  }

  /** Operator: the new queue order; it must name exactly the users queued now. */
  reorder(order: readonly number[]): MicStateSnapshot {
    this.assertOpen();
    const now = [...this.queue].sort((a, b) => a - b);
    const want = [...order].sort((a, b) => a - b);
    if (now.length !== want.length || now.some((u, i) => u !== want[i])) {
      throw new CodedError(Codes.MIC_BAD_ORDER, 'the new order must list exactly the users in the queue now, each once', {
        queue: [...this.queue],
      });
    }
    this.mutate('release', () => {
      this.queue = [...order];
    });
    return this.snapshot();
  }

  /** Operator: take a user out of the queue. */
  removeFromQueue(userId: number): MicStateSnapshot {
    this.assertOpen();
    if (!this.queue.includes(userId)) throw new CodedError(Codes.MIC_NOT_QUEUED, `user ${userId} is not in the mic queue`);
    this.mutate('release', () => {
      this.queue = this.queue.filter((u) => u !== userId);
    });
    return this.snapshot();
  }

  /** Operator: take a user off their seat (not re-queued); the queue head moves up. */
  forceOff(userId: number): MicStateSnapshot {
    this.assertOpen();
    const seat = this.seatOf(userId);
    if (seat < 0) throw new CodedError(Codes.MIC_NOT_SEATED, `user ${userId} is not on a mic seat`);
    this.mutate('forceOff', () => this.vacate(seat));
    return this.snapshot();
  }

  /** Operator: lock a seat (its occupant, if any, is taken off) or unlock it (the queue head may sit). */
  lockSeat(seat: number, locked: boolean): MicStateSnapshot {
    this.assertOpen();
    if (!Number.isInteger(seat) || seat < 0 || seat >= this.seats.length) {
      throw new CodedError(Codes.MIC_BAD_SEAT, `no seat ${seat} (the room has ${this.seats.length})`);
    }
    this.mutate('locked', () => {
      const s = this.seats[seat]!;
      s.locked = locked;
      if (locked && s.userId !== null) this.vacate(seat);
    });
    return this.snapshot();
  }

  /** Operator: change the number of seats (0–64). */
  setSeatCount(count: number): MicStateSnapshot {
    this.assertOpen();
    checkSeatCount(count);
    this.mutate('seatCount', () => {
      if (count < this.seats.length) {
        const removed = this.seats.slice(count);
        this.seats = this.seats.slice(0, count);
        const bumped = removed.flatMap((s) => (s.userId === null ? [] : [s.userId]));
        this.queue = [...bumped, ...this.queue];
      } else {
        while (this.seats.length < count) this.seats.push({ userId: null, locked: false, since: null });
      }
    });
    return this.snapshot();
  }

  /** Applies to seats taken from now on. */
  setSeatTimeLimit(ms: number): void {
    this.seatTimeLimitMs = Math.max(0, ms);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers.values()) this.opts.clock.clearTimeout(t);
    this.timers.clear();
  }

  // ---- internals ----

  private drop(userId: number, cause: UnseatCause): void {
    const seat = this.seatOf(userId);
    if (seat >= 0) this.mutate(cause, () => this.vacate(seat));
    else if (this.queue.includes(userId)) {
      this.mutate(cause, () => {
        this.queue = this.queue.filter((u) => u !== userId);
      });
    }
  }

  private mutate(cause: UnseatCause, fn: () => void): void {
    const before = this.occupants();
    const stateBefore = this.fingerprint();
    fn();
    this.fill();
    const after = this.occupants();
    const seated: MicChange['seated'] = [];
    const unseated: MicChange['unseated'] = [];
    for (const [userId, seat] of before) if (!after.has(userId)) unseated.push({ userId, seat, cause });
    for (const [userId, seat] of after) if (!before.has(userId)) seated.push({ userId, seat });
    for (const u of unseated) this.stopTimer(u.userId);
    for (const s of seated) this.startTimer(s.userId);
    if (stateBefore !== this.fingerprint()) this.opts.onChange({ snapshot: this.snapshot(), seated, unseated });
  }

  /** Everything a `micState` shows, as one comparable string. */
  private fingerprint(): string {
    return `${this.seats.map((s) => `${s.userId ?? '-'}${s.locked ? 'L' : ''}`).join(',')}|${this.queue.join(',')}`;
  }

  private fill(): void {
    for (;;) {
      const free = this.freeSeat();
      if (free < 0 || this.queue.length === 0) return;
      this.sit(free, this.queue.shift()!);
    }
  }

  private sit(seat: number, userId: number): void {
    const s = this.seats[seat]!;
    s.userId = userId;
    s.since = this.opts.clock.now();
  }

  private vacate(seat: number): void {
    const s = this.seats[seat]!;
    s.userId = null;
    s.since = null;
  }

  private startTimer(userId: number): void {
    this.stopTimer(userId);
    if (this.seatTimeLimitMs <= 0) return;
    this.timers.set(
      userId,
      this.opts.clock.setTimeout(() => {
        this.timers.delete(userId);
        if (this.closed) return;
        const seat = this.seatOf(userId);
        if (seat >= 0) this.mutate('timeout', () => this.vacate(seat));
      }, this.seatTimeLimitMs),
    );
  }

  private stopTimer(userId: number): void {
    const t = this.timers.get(userId);
    if (t !== undefined) {
      this.opts.clock.clearTimeout(t);
      this.timers.delete(userId);
    }
  }

  private occupants(): Map<number, number> {
    const m = new Map<number, number>();
    this.seats.forEach((s, i) => {
      if (s.userId !== null) m.set(s.userId, i);
    });
    return m;
  }

  private seatOf(userId: number): number {
    return this.seats.findIndex((s) => s.userId === userId);
  }

  private freeSeat(): number {
    return this.seats.findIndex((s) => s.userId === null && !s.locked);
  }

  private assertOpen(): void {
    if (this.closed) throw new CodedError(Codes.ROOM_NOT_FOUND, `room ${this.roomId} has ended`);
  }
}

function checkSeatCount(count: number): void {
  if (!Number.isInteger(count) || count < 0 || count > MAX_SEATS) {
    throw new CodedError(Codes.MIC_BAD_SEAT, `seat count must be an integer from 0 to ${MAX_SEATS}`);
  }
}

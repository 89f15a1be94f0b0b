/**
 * Pure helpers over a `micState`. The wire numbers seats from 0; people see seats numbered from 1,
 * as in the console and its audit log (queue positions from 1 too).
 */
import type { MicState } from '../../shared/client';

/** The users on a seat now. */
export function seatedUsers(m: MicState | null): Set<number> {
  return new Set((m?.seats ?? []).flatMap((s) => (s.userId ? [s.userId] : [])));
}

export type MicPosition = { state: 'seated'; seat: number } | { state: 'queued'; position: number } | { state: 'none' };

/** Where `userId` stands on the mic. */
export function micPosition(m: MicState | null, userId: number): MicPosition {
  const seat = m?.seats.find((s) => s.userId === userId);
  if (seat) return { state: 'seated', seat: seat.seat };
  const i = m?.queue.indexOf(userId) ?? -1;
  return i >= 0 ? { state: 'queued', position: i + 1 } : { state: 'none' };
}

export function describePosition(p: MicPosition): string {
  if (p.state === 'seated') return `on seat ${p.seat + 1}`;
  if (p.state === 'queued') return `queued #${p.position}`;
  return 'not on the mic';
}

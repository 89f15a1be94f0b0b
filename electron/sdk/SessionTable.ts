/**
 * Who is online, and on which link: the SDK's live session state behind an interface, so a
 * shared (e.g. Redis-backed) table can stand behind it in a cluster. The in-process table is
 * the default; the composition root chooses.
 */
import type { Session } from './Session';

export interface SessionTable {
  get(userId: number): Session | undefined;
  has(userId: number): boolean;
  /** Puts a session online (the caller has ended any earlier session of the user). */
  add(session: Session): void;
  /** Takes a session offline; false when it is no longer the user's current session. */
  remove(session: Session): boolean;
  values(): IterableIterator<Session>;
  readonly size: number;
}

export class InProcessSessionTable implements SessionTable {
  private readonly byUser = new Map<number, Session>();

  get(userId: number): Session | undefined {
    return this.byUser.get(userId);
  }

  has(userId: number): boolean {
    return this.byUser.has(userId);
  }

  add(session: Session): void {
    this.byUser.set(session.userId, session);
  }

  remove(session: Session): boolean {
    if (this.byUser.get(session.userId) !== session) return false;
    this.byUser.delete(session.userId);
    return true;
  }

  values(): IterableIterator<Session> {
    return this.byUser.values();
  }

  get size(): number {
    return this.byUser.size;
  }
}

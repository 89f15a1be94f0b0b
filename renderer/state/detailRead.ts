/** A failed console call's error, as the call answered it. */
export interface CallError {
  code: number;
  message: string;
}

/**
 * One detail read a screen waits for: which entity, whether it runs, and its error. Each read
 * takes a ticket; only the newest read's answer lands, so a slow answer for an entity the
 * operator has left never overwrites the one shown.
 */
export interface DetailRead<K> {
  key: K;
  loading: boolean;
  error: CallError | null;
}

/** Tickets for reads of one kind: `take()` before the call, `isLatest(ticket)` after it. */
export function readTickets() {
  let latest = 0;
  return {
    take: () => ++latest,
    isLatest: (ticket: number) => ticket === latest,
  };
}

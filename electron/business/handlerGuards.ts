/**
 * How BusinessLayer runs what the SDK calls into it: a hook or client method's refusal is logged
 * and goes back to the client; an event handler's failure is logged and goes no further (the SDK's
 * event queue must keep delivering).
 */
import type { Logger } from 'pino';

/** Runs a hook or client method; a refusal is logged with its code and goes back to the client. */
export function loggedRequest<R>(logger: Logger, what: string, userId: number, fn: () => R): R {
  const refused = (err: unknown): never => {
    const code = (err as { code?: unknown }).code;
    if (typeof code === 'number') logger.info({ what, userId, code, msg: (err as Error).message }, 'business request refused');
    else logger.error({ err, what, userId }, 'business request failed');
    throw err;
  };
  try {
    const r = fn();
    return (r instanceof Promise ? r.catch(refused) : r) as R;
  } catch (err) {
    return refused(err);
  }
}

export function guardedEvent(logger: Logger, event: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    logger.error({ err, event }, 'business event handler failed');
  }
}

export async function guardedEventAsync(logger: Logger, event: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    logger.error({ err, event }, 'business event handler failed');
  }
}

/** Runs a business hook with a deadline; a hook that throws or does not answer in time fails closed. */
import { CodedError, Codes, isCodedError } from '../../shared/codes';

export async function runHook<A, R>(name: string, fn: (arg: A) => R | Promise<R>, arg: A, timeoutMs: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CodedError(Codes.TIMEOUT, `hook ${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => fn(arg)), deadline]);
  } catch (err) {
    if (isCodedError(err)) throw err;
    throw new CodedError(Codes.INTERNAL, `hook ${name} failed: ${(err as Error)?.message ?? String(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

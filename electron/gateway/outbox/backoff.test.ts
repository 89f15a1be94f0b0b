import { expect, it } from 'vitest';
import { backoffDelay } from './NotifyOutbox';

it('backs off exponentially from initialDelayMs up to maxDelayMs', () => {
  const p = { initialDelayMs: 2000, maxDelayMs: 600_000, maxAttempts: 12 };
  expect([1, 2, 3, 4, 8, 9, 12].map((n) => backoffDelay(p, n))).toEqual([2000, 4000, 8000, 16000, 256000, 512000, 600000]);
});

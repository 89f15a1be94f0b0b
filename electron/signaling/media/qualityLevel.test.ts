import { expect, it } from 'vitest';
import { qualityLevel } from './MediaRequests';

it('network quality levels (NIM NetStatus): loss and round-trip time → 0 (very good) … 4 (very bad)', () => {
  expect([qualityLevel(0, 0), qualityLevel(0.03, 50), qualityLevel(0.01, 400), qualityLevel(0.15, 0), qualityLevel(0.5, 0), qualityLevel(0, 2000)]).toEqual([
    0, 1, 2, 3, 4, 4,
  ]);
});

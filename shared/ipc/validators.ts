/** Runtime validation of call arguments arriving from the renderer (never trust the wire). */
import { z } from 'zod';
import type { CallName, ConsoleCalls } from './contract';

const empty = z.object({}).strict();

export const callArgSchemas: { [K in CallName]: z.ZodType<ConsoleCalls[K]['args']> } = {
  'app:info': empty,
  'status:snapshot': empty,
};

/**
 * The client methods the business layer adds to the signaling protocol (docs/business.md), with
 * the shape of their data. Anything else in `data` is refused with 900400.
 */
import { z } from 'zod';
import { describeIssues } from '../../shared/validation';
import { Codes, CodedError } from '../../shared/codes';
import { MAX_ROOM_CUSTOM_INFO, MAX_ROOM_NAME, MAX_ROOM_PASSWORD } from './rooms/roomRegistry';
import { MAX_SEATS } from './mic/micQueue';

const role = z.enum(['interactive', 'audience']);

export const clientRequestSchemas = {
  createRoom: z
    .object({
      roomName: z.string().min(1).max(MAX_ROOM_NAME),
      password: z.string().max(MAX_ROOM_PASSWORD).optional(),
      capacity: z.number().int().min(1).optional(),
      seatCount: z.number().int().min(0).max(MAX_SEATS).optional(),
      /** NIM custom_info: delivered to every member who enters (roomCustomInfo). */
      customInfo: z.string().max(MAX_ROOM_CUSTOM_INFO).optional(),
    })
    .strict(),
  setRole: z.object({ role }).strict(),
  micRequest: z.object({}).strict(),
  micRelease: z.object({}).strict(),
  getMicState: z.object({}).strict(),
} as const;

export type ClientRequestName = keyof typeof clientRequestSchemas;
export type ClientRequestData<K extends ClientRequestName> = z.infer<(typeof clientRequestSchemas)[K]>;

export function parseClientRequest<K extends ClientRequestName>(name: K, data: unknown): ClientRequestData<K> {
  const r = clientRequestSchemas[name].safeParse(data ?? {});
  if (!r.success) {
    throw new CodedError(Codes.BAD_REQUEST, `${name}: ${describeIssues(r.error.issues)}`);
  }
  return r.data as ClientRequestData<K>;
}

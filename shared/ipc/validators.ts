/** Runtime validation of call arguments arriving from the renderer (never trust the wire). */
import { z } from 'zod';
import type { CallName, ConsoleCalls } from './contract';
import { observabilityArgSchemas } from './observability';
import { roles } from './roles';

const empty = z.object({}).strict();
const id = z.number().int().min(1).max(2_147_483_647);
const roomId = z.number().int().min(1).max(2_147_483_647);
const fileId = z.string().min(1).max(128);
const previewId = z.string().min(1).max(64);
const anyObject = z.record(z.string(), z.unknown());
const operatorName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w.@-]+$/, 'letters, digits, . _ @ - only');
const operatorPassword = z.string().min(8, 'at least 8 characters').max(256);

export const callArgSchemas: { [K in CallName]: z.ZodType<ConsoleCalls[K]['args'], unknown> } = {
  ...observabilityArgSchemas,
  'app:info': empty as z.ZodType<Record<string, never>>,
  'status:snapshot': empty as z.ZodType<Record<string, never>>,
  'dashboard:snapshot': empty as z.ZodType<Record<string, never>>,
  'demo:info': empty as z.ZodType<Record<string, never>>,
  'cluster:nodes': empty as z.ZodType<Record<string, never>>,
  'rooms:list': empty as z.ZodType<Record<string, never>>,
  'rooms:detail': z.object({ roomId }).strict(),
  'rooms:close': z.object({ roomId, reason: z.string().max(200).optional() }).strict(),
  'mic:reorder': z.object({ roomId, queue: z.array(id).max(10_000) }).strict(),
  'mic:removeFromQueue': z.object({ roomId, userId: id }).strict(),
  'mic:forceOff': z.object({ roomId, userId: id }).strict(),
  'mic:lockSeat': z.object({ roomId, seat: z.number().int().min(0).max(63), locked: z.boolean() }).strict(),
  'mic:setSeatCount': z.object({ roomId, count: z.number().int().min(0).max(64) }).strict(),
  'users:list': empty as z.ZodType<Record<string, never>>,
  'users:detail': z.object({ userId: id }).strict(),
  'users:kick': z
    .object({
      userId: id,
      banSeconds: z
        .number()
        .int()
        .min(0)
        .max(365 * 86_400)
        .optional(),
      reason: z.string().max(200).optional(),
      banAddress: z.boolean().optional(),
    })
    .strict(),
  'users:lookup': z.object({ query: z.string().min(1).max(64) }).strict(),
  'users:mute': z.object({ userId: id, kind: z.enum(['audio', 'video']), muted: z.boolean() }).strict(),
  'users:sendMessage': z.object({ userId: id, text: z.string().min(1).max(4000) }).strict(),
  'users:sendBuffer': z.object({ userId: id, dataBase64: z.string().min(1).max(1400) }).strict(),
  'users:broadcast': z.object({ roomId: z.number().int().min(-1).max(2_147_483_647), text: z.string().min(1).max(1000) }).strict(),
  'bans:list': empty as z.ZodType<Record<string, never>>,
  'bans:lift': z.object({ userId: id }).strict(),
  'recordings:start': z.object({ userId: id, flags: z.number().int().min(1).max(0xffff) }).strict(),
  'recordings:stop': z.object({ userId: id }).strict(),
  'recordings:startRoom': z.object({ roomId: id }).strict(),
  'recordings:stopRoom': z.object({ roomId: id }).strict(),
  'recordings:active': empty as z.ZodType<Record<string, never>>,
  'recordings:list': z
    .object({
      from: z.number().optional(),
      to: z.number().optional(),
      userId: id.optional(),
      name: z.string().max(200).optional(),
      page: z.number().int().min(1).max(1_000_000).optional(),
      pageSize: z.number().int().min(1).max(100).optional(),
    })
    .strict(),
  'recordings:rename': z
    .object({
      fileId,
      fileName: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^/\\\0]+$/, 'no path separators'),
    })
    .strict(),
  'recordings:delete': z.object({ fileId }).strict(),
  'recordings:url': z.object({ fileId, download: z.boolean().optional() }).strict(),
  'calls:list': empty as z.ZodType<Record<string, never>>,
  'calls:hangup': z.object({ callId: z.string().min(1).max(64) }).strict(),
  'audit:list': z.object({ limit: z.number().int().min(1).max(1000).optional(), beforeId: z.number().int().min(1).optional() }).strict(),
  'gateway:overview': empty as z.ZodType<Record<string, never>>,
  'gateway:outbox': z
    .object({ appId: z.string().max(128).optional(), state: z.enum(['pending', 'dead']).optional(), limit: z.number().int().min(1).max(1000).optional() })
    .strict(),
  'gateway:deliveryLog': z
    .object({ appId: z.string().max(128).optional(), notifyId: z.string().max(128).optional(), limit: z.number().int().min(1).max(1000).optional() })
    .strict(),
  'gateway:resendDead': z.object({ notifyId: z.string().max(128).optional(), appId: z.string().max(128).optional() }).strict(),
  'queues:snapshot': empty as z.ZodType<Record<string, never>>,
  'preview:open': z.object({ roomId }).strict(),
  'preview:createTransport': z.object({ previewId }).strict(),
  'preview:connectTransport': z.object({ previewId, dtlsParameters: anyObject }).strict(),
  'preview:consume': z.object({ previewId, producerId: z.string().min(1).max(64), rtpCapabilities: anyObject }).strict(),
  'preview:resume': z.object({ previewId, consumerId: z.string().min(1).max(64) }).strict(),
  'preview:close': z.object({ previewId }).strict(),
  'rooms:chat': z.object({ roomId, beforeId: z.number().int().min(1).optional(), limit: z.number().int().min(1).max(500).optional() }).strict(),
  'operators:list': empty as z.ZodType<Record<string, never>>,
  'operators:add': z.object({ username: operatorName, password: operatorPassword, role: z.enum(roles) }).strict(),
  'operators:setDisabled': z.object({ username: operatorName, disabled: z.boolean() }).strict(),
  'operators:resetPassword': z.object({ username: operatorName, password: operatorPassword }).strict(),
  'operators:sessions': empty as z.ZodType<Record<string, never>>,
};

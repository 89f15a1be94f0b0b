/**
 * Operator roles and what each may call. admin: everything, and manages operators; operator:
 * monitors and acts on users, rooms, seats, recordings, calls and the gateway; viewer: reads only.
 * The server enforces this (ConsoleService); the renderer uses it only to hide what would be refused.
 */
import type { CallName } from './contract';

export const roles = ['admin', 'operator', 'viewer'] as const;
export type OperatorRole = (typeof roles)[number];

const rank: Record<OperatorRole, number> = { viewer: 0, operator: 1, admin: 2 };

/** Calls that change something; every call not listed here only reads (viewer). */
const required: Partial<Record<CallName, OperatorRole>> = {
  'rooms:close': 'operator',
  'mic:reorder': 'operator',
  'mic:removeFromQueue': 'operator',
  'mic:forceOff': 'operator',
  'mic:lockSeat': 'operator',
  'mic:setSeatCount': 'operator',
  'users:kick': 'operator',
  'users:mute': 'operator',
  'users:sendMessage': 'operator',
  'users:sendBuffer': 'operator',
  'users:broadcast': 'operator',
  'bans:lift': 'operator',
  'recordings:start': 'operator',
  'recordings:stop': 'operator',
  'recordings:startRoom': 'operator',
  'recordings:stopRoom': 'operator',
  'recordings:rename': 'operator',
  'recordings:delete': 'operator',
  'calls:hangup': 'operator',
  'gateway:resendDead': 'operator',
  'operators:list': 'admin',
  'operators:add': 'admin',
  'operators:setDisabled': 'admin',
  'operators:resetPassword': 'admin',
};

export function requiredRole(call: CallName): OperatorRole {
  return required[call] ?? 'viewer';
}

export function mayCall(role: OperatorRole, call: CallName): boolean {
  return rank[role] >= rank[requiredRole(call)];
}

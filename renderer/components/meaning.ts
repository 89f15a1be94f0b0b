/**
 * What numbers mean, for people: error codes (from shared/codes.ts, so every code the project
 * speaks has a meaning), user flags and record flags decoded into words.
 */
import { Codes, SignalingCodes } from '../../shared/codes';

const codeNames = new Map<number, string>();
// SignalingCodes first: where a value appears twice, the more specific name wins.
for (const [name, value] of [...Object.entries(Codes), ...Object.entries(SignalingCodes)]) {
  if (typeof value === 'number' && value !== 0 && !codeNames.has(value)) codeNames.set(value, name);
}

/** A few codes read better in words of their own than from their constant's name. */
const wording: Record<number, string> = {
  200: 'wrong user name or password',
  211: 'kicked by an operator',
  [Codes.BAD_REQUEST]: 'bad request (the client sent something invalid)',
  [Codes.FORBIDDEN]: 'not allowed for this role or user',
  [Codes.NOT_FOUND]: 'not found (or already gone)',
  [Codes.TOO_MANY_REQUESTS]: 'too many attempts, try later',
  [Codes.INTERNAL]: 'internal error',
  [SignalingCodes.USER_BANNED]: 'user is banned',
};

/** "900210 user is banned"-style meaning of a code; '' for unknown codes. */
export function codeMeaning(code: number | null | undefined): string {
  if (code === null || code === undefined) return '';
  if (wording[code]) return wording[code];
  const name = codeNames.get(code);
  return name ? name.toLowerCase().replace(/^gw_/, 'gateway: ').replace(/_/g, ' ') : '';
}

/** User object flags (brief: 0x00 client, 0x02 agent, 0x10 auto mode). */
export function decodeUserFlags(flags: number): string[] {
  const out: string[] = [];
  if (flags & 0x02) out.push('agent');
  if (flags & 0x10) out.push('auto mode');
  const rest = flags & ~0x12;
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out.length ? out : ['client'];
}

const recordBits: [number, string][] = [
  [0x1, 'video'],
  [0x2, 'audio'],
  [0x4, 'server-side'],
  [0x10, 'mix audio'],
  [0x20, 'mix video'],
  [0x100, 'side by side'],
  [0x200, 'stereo'],
  [0x400, 'snapshot'],
  [0x800, 'local callback'],
  [0x1000, 'stream'],
  [0x2000, 'user file name'],
];

/** Record flags (brief) as words: 0x7 → video, audio, server-side. */
export function decodeRecordFlags(flags: number): string[] {
  const out = recordBits.filter(([bit]) => flags & bit).map(([, name]) => name);
  const rest = recordBits.reduce((f, [bit]) => f & ~bit, flags);
  if (rest) out.push(`0x${rest.toString(16)}`);
  return out;
}

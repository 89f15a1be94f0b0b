/**
 * Environment-variable configuration: every key of the schema is also settable as
 * `ANYCHAT_<PATH>`, the path's camelCase segments in SCREAMING_SNAKE_CASE joined by `_`
 * (`media.rtcMinPort` → `ANYCHAT_MEDIA_RTC_MIN_PORT`, `listen.tls.certFile` →
 * `ANYCHAT_LISTEN_TLS_CERT_FILE`). Env overrides the file; CLI flags override env.
 * Values are read by the key's type: numbers, booleans (`true/false/1/0`), `null` for nullable
 * keys, JSON for arrays and objects (`ANYCHAT_USERS='[{…}]'`), plain text for strings.
 */
import { z } from 'zod';
import { configSchema } from './schema';

export const ENV_PREFIX = 'ANYCHAT_';

type Kind = 'string' | 'number' | 'boolean' | 'json' | 'enum';
interface Leaf {
  path: string[];
  kind: Kind;
  nullable: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  in?: z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Strips default/optional/nullable/prefault wrappers; reports whether null is allowed. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; nullable: boolean } {
  let s = schema;
  let nullable = false;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'nullable') nullable = true;
    if (d.innerType && ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(d.type)) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return { inner: s, nullable };
  }
}

function collect(schema: z.ZodType, path: string[], out: Leaf[]): void {
  const { inner, nullable } = unwrap(schema);
  const d = defOf(inner);
  if (d.type === 'object' && d.shape && path.length < 3) {
    // Objects get a variable per key (and one for the whole object, as JSON).
    if (path.length) out.push({ path, kind: 'json', nullable });
    for (const [k, v] of Object.entries(d.shape)) collect(v, [...path, k], out);
    return;
  }
  const kind: Kind = d.type === 'number' ? 'number' : d.type === 'boolean' ? 'boolean' : d.type === 'string' ? 'string' : d.type === 'enum' ? 'enum' : 'json';
  out.push({ path, kind, nullable });
}

const snake = (seg: string) => seg.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
export const envNameOf = (path: readonly string[]): string => ENV_PREFIX + path.map(snake).join('_');

let leaves: Leaf[] | null = null;
/** Every settable key with its variable name (documentation and the unknown-variable check). */
export function envKeys(): { name: string; path: string; kind: Kind }[] {
  leaves ??= (() => {
    const out: Leaf[] = [];
    collect(configSchema, [], out);
    return out;
  })();
  return leaves.map((l) => ({ name: envNameOf(l.path), path: l.path.join('.'), kind: l.kind }));
}

export class EnvConfigError extends Error {}

function parseValue(name: string, raw: string, leaf: Leaf): unknown {
  if (leaf.nullable && raw === 'null') return null;
  switch (leaf.kind) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new EnvConfigError(`environment variable ${name}: expected a number, got "${raw}"`);
      return n;
    }
    case 'boolean':
      if (/^(true|1|yes)$/i.test(raw)) return true;
      if (/^(false|0|no)$/i.test(raw)) return false;
      throw new EnvConfigError(`environment variable ${name}: expected true or false, got "${raw}"`);
    case 'json':
      try {
        return JSON.parse(raw);
      } catch {
        throw new EnvConfigError(`environment variable ${name}: expected JSON`);
      }
    default:
      return raw;
  }
}

/**
 * Applies `ANYCHAT_*` variables onto the raw (file) configuration, in place. Returns the
 * `ANYCHAT_` variables that name no key (tools use the prefix too), so the host can warn about
 * likely typos without refusing to start.
 */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): string[] {
  const unknown: string[] = [];
  envKeys();
  const byName = new Map(leaves!.map((l) => [envNameOf(l.path), l]));
  // Whole-object variables first, so ANYCHAT_LISTEN='{…}' and ANYCHAT_LISTEN_PORT combine.
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_PREFIX) && env[n] !== undefined)
    .sort((a, b) => (byName.get(a)?.path.length ?? 0) - (byName.get(b)?.path.length ?? 0));
  for (const name of names) {
    const leaf = byName.get(name);
    if (!leaf) {
      if (!IGNORED.has(name)) unknown.push(name);
      continue;
    }
    const value = parseValue(name, env[name]!, leaf);
    let node = raw;
    for (const seg of leaf.path.slice(0, -1)) {
      const next = node[seg];
      node[seg] = next && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
      node = node[seg] as Record<string, unknown>;
    }
    node[leaf.path[leaf.path.length - 1]] = value;
  }
  return unknown;
}

/** Variables with the prefix that are not configuration (used by tests and tools). */
const IGNORED = new Set(['ANYCHAT_BASE_URL', 'ANYCHAT_WS_URL', 'ANYCHAT_SERVER_PID']);

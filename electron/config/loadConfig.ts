/**
 * Loads the configuration: JSON file (optional) → CLI overrides → schema validation.
 * A bad key or value throws a ConfigError whose message names the key and what was expected.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { applyEnvOverrides, EnvConfigError } from './envOverrides';
import { configSchema, type Config } from './schema';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export interface CliOptions {
  config?: string;
  dataDir?: string;
  port?: number;
  host?: string;
  demo?: boolean;
}

/** Parses the host's command line: --config FILE, --data-dir DIR, --port N, --host H, --demo. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new ConfigError(`option ${flag}: expected a value`);
      return v;
    };
    switch (flag) {
      case '--config':
        out.config = value();
        break;
      case '--data-dir':
        out.dataDir = value();
        break;
      case '--host':
        out.host = value();
        break;
      case '--port': {
        const raw = value();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`option --port: expected an integer 0–65535, got "${raw}"`);
        out.port = n;
        break;
      }
      case '--demo':
        out.demo = true;
        break;
      default:
        // Electron and Chromium add switches of their own; ignore anything that is not ours.
        break;
    }
  }
  return out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length ? issue.path.map(String).join('.') : '(root)';
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (issue.path.length ? `${key}.${k}` : k));
    return `config key ${keys.map((k) => `"${k}"`).join(', ')}: unknown key`;
  }
  return `config key "${key}": ${issue.message}`;
}

export function validateConfig(raw: unknown): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map(describeIssue).join('; '));
  }
  return parsed.data;
}

/** `unknownEnv`: ANYCHAT_* variables that named no key (the host warns about them). */
export type LoadedConfig = Config & { configDir: string; unknownEnv?: string[] };

/** File → `ANYCHAT_*` environment → CLI flags, each overriding the one before. */
export function loadConfig(cli: CliOptions, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  let raw: Record<string, unknown> = {};
  let configDir = cwd;
  if (cli.config) {
    const file = path.resolve(cwd, cli.config);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`config file ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new ConfigError(`config file ${file}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new ConfigError(`config file ${file}: expected a JSON object at the top level`);
    }
    configDir = path.dirname(file);
  }
  let unknownEnv: string[];
  try {
    unknownEnv = applyEnvOverrides(raw, env);
  } catch (e) {
    if (e instanceof EnvConfigError) throw new ConfigError(e.message);
    throw e;
  }
  if (cli.dataDir !== undefined) raw.dataDir = cli.dataDir;
  if (cli.port !== undefined || cli.host !== undefined) {
    const listen = { ...((raw.listen as Record<string, unknown>) ?? {}) };
    if (cli.port !== undefined) listen.port = cli.port;
    if (cli.host !== undefined) listen.host = cli.host;
    raw.listen = listen;
  }
  if (cli.demo) raw.demo = true;
  const config = validateConfig(raw);
  // A relative dataDir is relative to the config file (or the working directory without one).
  const dataDir = path.resolve(cli.dataDir !== undefined ? cwd : configDir, config.dataDir);
  return { ...config, dataDir, configDir, ...(unknownEnv.length ? { unknownEnv } : {}) };
}

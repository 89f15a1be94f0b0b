/**
 * Prepares the desktop app's files before the core starts: resolves the paths (config/desktopPaths),
 * writes the first-run config into userData when there is none, and builds the command line the
 * core is bootstrapped with. No Electron import: main.ts passes `app.getPath('userData')`.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseCliArgs } from '../config/loadConfig';
import { desktopArgv, firstRunConfig, resolveDesktopPaths, type DesktopPaths } from '../config/desktopPaths';

export interface DesktopInstall {
  paths: DesktopPaths;
  /** argv for bootstrap(): the user's flags plus the resolved --config and --data-dir. */
  argv: string[];
  /** True when this run wrote the first-run config. */
  createdConfig: boolean;
}

/** The `dataDir` key as written in the file; null when absent. A broken file is left to loadConfig to report. */
function configuredDataDir(file: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
      const v = (raw as Record<string, unknown>).dataDir;
      if (typeof v === 'string' && v.length > 0) return v;
    }
  } catch {
    /* unreadable or not JSON: loadConfig names the problem */
  }
  return null;
}

export function prepareDesktopInstall(opts: { userData: string; cwd: string; argv: readonly string[] }): DesktopInstall {
  const cli = parseCliArgs(opts.argv);
  let createdConfig = false;
  const probe = resolveDesktopPaths({ userData: opts.userData, cwd: opts.cwd, cli, configDataDir: null });
  if (probe.configInUserData && !existsSync(probe.configFile)) {
    mkdirSync(path.dirname(probe.configFile), { recursive: true, mode: 0o700 });
    // 'wx': never overwrite a config another instance wrote in the meantime.
    try {
      writeFileSync(probe.configFile, `${JSON.stringify(firstRunConfig(), null, 2)}\n`, { flag: 'wx', mode: 0o600 });
      createdConfig = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const configDataDir = existsSync(probe.configFile) ? configuredDataDir(probe.configFile) : null;
  const paths = resolveDesktopPaths({ userData: opts.userData, cwd: opts.cwd, cli, configDataDir });
  return { paths, argv: desktopArgv(opts.argv, paths), createdConfig };
}

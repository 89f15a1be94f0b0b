/**
 * Where the desktop app keeps its files. A packaged app started from a desktop menu or Finder
 * runs with its working directory at `/`, so nothing may default to the working directory:
 *
 *   config file  --config FILE (relative to the working directory)
 *                else USER_DATA/config.json, written on the first run (a working local install)
 *   data dir     --data-dir DIR (relative to the working directory)
 *                else the config file's `dataDir` (relative to the config file, as on the host)
 *                else USER_DATA/data
 *   logs         DATA_DIR/logs/anychat-console.log
 *   recordings   DATA_DIR/recordings/
 *
 * Pure: the caller passes `app.getPath('userData')`, the parsed flags and what the config file
 * says about `dataDir`, so the rules are unit-tested without Electron. The headless host does
 * not use this module; its rules (protocol.md §1, `./data` by default) are unchanged.
 */
import path from 'node:path';
import type { CliOptions } from './loadConfig';

export const DESKTOP_CONFIG_FILE = 'config.json';
export const DESKTOP_DATA_DIR = 'data';

export type DataDirSource = 'flag' | 'config' | 'userData';

export interface DesktopPaths {
  configFile: string;
  /** True when the config file is the one in userData (created on the first run if missing). */
  configInUserData: boolean;
  dataDir: string;
  dataDirSource: DataDirSource;
  logFile: string;
  recordingsDir: string;
}

export interface DesktopPathInput {
  /** `app.getPath('userData')`. */
  userData: string;
  cwd: string;
  cli: Pick<CliOptions, 'config' | 'dataDir'>;
  /** The `dataDir` key of the config file as written (null when the file or the key is absent). */
  configDataDir: string | null;
}

/** The config file the desktop app reads: --config, else the one in userData. */
export function desktopConfigFile(userData: string, cwd: string, cli: Pick<CliOptions, 'config'>): string {
  return cli.config !== undefined ? path.resolve(cwd, cli.config) : path.join(userData, DESKTOP_CONFIG_FILE);
}

export function resolveDesktopPaths(input: DesktopPathInput): DesktopPaths {
  const configFile = desktopConfigFile(input.userData, input.cwd, input.cli);
  let dataDir: string;
  let dataDirSource: DataDirSource;
  if (input.cli.dataDir !== undefined) {
    dataDir = path.resolve(input.cwd, input.cli.dataDir);
    dataDirSource = 'flag';
  } else if (input.configDataDir !== null) {
    dataDir = path.resolve(path.dirname(configFile), input.configDataDir);
    dataDirSource = 'config';
  } else {
    dataDir = path.join(input.userData, DESKTOP_DATA_DIR);
    dataDirSource = 'userData';
  }
  return {
    configFile,
    configInUserData: input.cli.config === undefined,
    dataDir,
    dataDirSource,
    logFile: path.join(dataDir, 'logs', 'anychat-console.log'),
    recordingsDir: path.join(dataDir, 'recordings'),
  };
}

/**
 * The command line the core is started with: the user's flags, then the resolved config file
 * and data dir as absolute paths (the last occurrence of a flag wins in parseCliArgs).
 */
export function desktopArgv(userArgv: readonly string[], paths: Pick<DesktopPaths, 'configFile' | 'dataDir'>): string[] {
  return [...userArgv, '--config', paths.configFile, '--data-dir', paths.dataDir];
}

/** The config written on the first run: the defaults spelled out, so the operator can edit them. */
export function firstRunConfig(): Record<string, unknown> {
  return {
    listen: { host: '127.0.0.1', port: 8600 },
    guestLogin: true,
    log: { level: 'info' },
  };
}

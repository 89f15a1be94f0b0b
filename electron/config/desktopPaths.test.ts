import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { desktopArgv, resolveDesktopPaths } from './desktopPaths';
import { parseCliArgs } from './loadConfig';

const userData = path.resolve('/home/op/.config/AnyChat Console');
const cwd = path.resolve('/');

describe('desktop path rules', () => {
  it('with no flags everything lives under userData', () => {
    const p = resolveDesktopPaths({ userData, cwd, cli: {}, configDataDir: null });
    expect(p.configFile).toBe(path.join(userData, 'config.json'));
    expect(p.configInUserData).toBe(true);
    expect(p.dataDir).toBe(path.join(userData, 'data'));
    expect(p.dataDirSource).toBe('userData');
    expect(p.logFile).toBe(path.join(userData, 'data', 'logs', 'anychat-console.log'));
    expect(p.recordingsDir).toBe(path.join(userData, 'data', 'recordings'));
  });

  it('never falls back to the working directory (a packaged app starts at /)', () => {
    const p = resolveDesktopPaths({ userData, cwd, cli: {}, configDataDir: null });
    expect(p.dataDir.startsWith(userData)).toBe(true);
    expect(p.configFile.startsWith(userData)).toBe(true);
  });

  it("the config's dataDir is relative to the config file", () => {
    const inUserData = resolveDesktopPaths({ userData, cwd, cli: {}, configDataDir: 'store' });
    expect(inUserData.dataDir).toBe(path.join(userData, 'store'));
    expect(inUserData.dataDirSource).toBe('config');
    const elsewhere = resolveDesktopPaths({ userData, cwd: '/work', cli: { config: 'etc/c.json' }, configDataDir: '../var' });
    expect(elsewhere.configFile).toBe(path.resolve('/work/etc/c.json'));
    expect(elsewhere.configInUserData).toBe(false);
    expect(elsewhere.dataDir).toBe(path.resolve('/work/var'));
    const absolute = resolveDesktopPaths({ userData, cwd, cli: {}, configDataDir: '/srv/anychat' });
    expect(absolute.dataDir).toBe(path.resolve('/srv/anychat'));
  });

  it('--config without a dataDir key still keeps data under userData, not next to the file', () => {
    const p = resolveDesktopPaths({ userData, cwd: '/work', cli: { config: '/etc/anychat.json' }, configDataDir: null });
    expect(p.configFile).toBe(path.resolve('/etc/anychat.json'));
    expect(p.dataDir).toBe(path.join(userData, 'data'));
  });

  it('--data-dir wins over the config and userData, relative to the working directory', () => {
    const p = resolveDesktopPaths({ userData, cwd: '/work', cli: { dataDir: 'mine' }, configDataDir: 'store' });
    expect(p.dataDir).toBe(path.resolve('/work/mine'));
    expect(p.dataDirSource).toBe('flag');
    expect(p.configFile).toBe(path.join(userData, 'config.json'));
  });

  it("the core's command line carries the resolved paths last, so they win", () => {
    const user = ['--port', '0', '--data-dir', 'rel'];
    const p = resolveDesktopPaths({ userData, cwd: '/work', cli: parseCliArgs(user), configDataDir: null });
    const cli = parseCliArgs(desktopArgv(user, p));
    expect(cli.port).toBe(0);
    expect(cli.config).toBe(p.configFile);
    expect(cli.dataDir).toBe(path.resolve('/work/rel'));
  });
});

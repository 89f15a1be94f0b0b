import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseCliArgs } from '../config/loadConfig';
import { prepareDesktopInstall } from './desktopInstall';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'desktop-install-'));
}

describe('desktop install on disk', () => {
  it('a first run with no config writes one into userData, and it loads with data under userData', () => {
    const userData = path.join(tmp(), 'AnyChat Console');
    const first = prepareDesktopInstall({ userData, cwd: '/', argv: [] });
    expect(first.createdConfig).toBe(true);
    expect(first.paths.configFile).toBe(path.join(userData, 'config.json'));
    if (process.platform !== 'win32') expect(statSync(first.paths.configFile).mode & 0o777).toBe(0o600);
    const config = loadConfig(parseCliArgs(first.argv), '/');
    expect(config.dataDir).toBe(path.join(userData, 'data'));
    expect(config.listen.port).toBe(8600);
    const again = prepareDesktopInstall({ userData, cwd: '/', argv: [] });
    expect(again.createdConfig).toBe(false);
  });

  it("an operator's edit of the config is kept and its dataDir honoured", () => {
    const userData = tmp();
    writeFileSync(path.join(userData, 'config.json'), JSON.stringify({ dataDir: 'elsewhere', listen: { port: 9100 } }));
    const r = prepareDesktopInstall({ userData, cwd: '/', argv: [] });
    expect(r.createdConfig).toBe(false);
    expect(JSON.parse(readFileSync(r.paths.configFile, 'utf8')).listen.port).toBe(9100);
    const config = loadConfig(parseCliArgs(r.argv), '/');
    expect(config.dataDir).toBe(path.join(userData, 'elsewhere'));
    expect(config.listen.port).toBe(9100);
  });

  it('--config elsewhere writes nothing into userData; a broken file is reported by loadConfig', () => {
    const userData = tmp();
    const dir = tmp();
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, '{ nope');
    const r = prepareDesktopInstall({ userData, cwd: dir, argv: ['--config', 'bad.json'] });
    expect(r.createdConfig).toBe(false);
    expect(r.paths.dataDir).toBe(path.join(userData, 'data'));
    expect(() => loadConfig(parseCliArgs(r.argv), dir)).toThrow(/not valid JSON/);
  });
});

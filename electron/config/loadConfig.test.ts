import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseCliArgs, validateConfig } from './loadConfig';

describe('config', () => {
  it('defaults make a working local install with no file at all', () => {
    const c = validateConfig({});
    expect(c.listen).toMatchObject({ host: '127.0.0.1', port: 8600, tls: null });
    expect(c.guestLogin).toBe(true);
    expect(c.media.rtcMinPort).toBe(40000);
    expect(c.media).toMatchObject({ enableUdp: true, enableTcp: true, preferUdp: true });
    expect(c.signaling.duplicateLogin).toBe('kickOld');
    expect(c.operatorSignIn.maxFailures).toBe(5);
  });

  it('accepts the example from protocol.md §1', () => {
    const c = validateConfig({
      listen: { host: '127.0.0.1', port: 8600 },
      dataDir: './data',
      guestLogin: true,
      users: [{ userName: 'alice', password: 'pw', userId: 1001, level: 0, nickName: 'Alice' }],
      operators: [{ username: 'admin', password: 'admin-pw' }],
      apps: [
        {
          appId: 'E205F8EC-D896-4451-B815-460D36ED7FBD',
          md5Key: 'anychat',
          rsaPublicKeyPem: null,
          callbackUrl: 'http://127.0.0.1:9000/notify',
          timestampWindowSeconds: 300,
        },
      ],
      media: { listenIp: '127.0.0.1', announcedIp: null, rtcMinPort: 40000, rtcMaxPort: 40999 },
    });
    expect(c.apps[0].retry.maxAttempts).toBe(12);
    expect(c.users[0].nickName).toBe('Alice');
  });

  it.each([
    [{ listen: { port: 70000 } }, /"listen\.port"/],
    [{ lisen: {} }, /"lisen".*unknown key/],
    [{ users: [{ userName: 'a', userId: 'x' }] }, /"users\.0\.userId"/],
    [{ media: { rtcMinPort: 5000, rtcMaxPort: 4000 } }, /"media".*rtcMinPort must not exceed/],
    [{ media: { enableUdp: false, enableTcp: false } }, /"media".*enableUdp and enableTcp cannot both be false/],
    [{ media: { preferUdp: 'yes' } }, /"media\.preferUdp"/],
    [{ operators: [{ username: 'x' }] }, /"operators\.0".*password/],
  ])('a bad value names its key: %j', (raw, expected) => {
    expect(() => validateConfig(raw)).toThrow(ConfigError);
    expect(() => validateConfig(raw)).toThrow(expected);
  });

  it('CLI flags override the file; dataDir resolves against the config file', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const file = path.join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ listen: { port: 1234 }, dataDir: 'store' }));
    const fromFile = loadConfig({ config: file });
    expect(fromFile.listen.port).toBe(1234);
    expect(fromFile.dataDir).toBe(path.join(dir, 'store'));
    const overridden = loadConfig(parseCliArgs(['--config', file, '--port', '99', '--demo']));
    expect(overridden.listen.port).toBe(99);
    expect(overridden.demo).toBe(true);
  });

  it('rejects unreadable files, bad JSON and bad flags with a clear message', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    expect(() => loadConfig({ config: bad })).toThrow(/not valid JSON/);
    expect(() => loadConfig({ config: path.join(dir, 'missing.json') })).toThrow(/cannot be read/);
    expect(() => parseCliArgs(['--port', 'abc'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--config'])).toThrow(/--config: expected a value/);
  });
});

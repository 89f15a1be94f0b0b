import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { envKeys, envNameOf } from './envOverrides';
import { ConfigError, loadConfig } from './loadConfig';

function configFile(content: unknown): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'anychat-env-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('ANYCHAT_* environment variables', () => {
  it('name every key: camelCase path segments in SCREAMING_SNAKE_CASE', () => {
    expect(envNameOf(['media', 'rtcMinPort'])).toBe('ANYCHAT_MEDIA_RTC_MIN_PORT');
    const names = envKeys().map((k) => k.name);
    for (const n of [
      'ANYCHAT_LISTEN_PORT',
      'ANYCHAT_LISTEN_TLS_CERT_FILE',
      'ANYCHAT_DATA_DIR',
      'ANYCHAT_USERS',
      'ANYCHAT_LOG_LEVEL',
      'ANYCHAT_HISTORY_RETENTION_DAYS',
      'ANYCHAT_TRUST_PROXY',
    ]) {
      expect(names).toContain(n);
    }
  });

  it('override the file, and CLI flags override them', () => {
    const file = configFile({
      listen: { host: '127.0.0.1', port: 8600 },
      media: { rtcMinPort: 40000, rtcMaxPort: 40999 },
      log: { level: 'info' },
      guestLogin: true,
    });
    const env = {
      ANYCHAT_LISTEN_PORT: '9123',
      ANYCHAT_MEDIA_RTC_MIN_PORT: '40100',
      ANYCHAT_LOG_LEVEL: 'warn',
      ANYCHAT_GUEST_LOGIN: 'false',
      ANYCHAT_MEDIA_ANNOUNCED_IP: '203.0.113.7',
      ANYCHAT_HISTORY_RETENTION_DAYS: '7',
      ANYCHAT_TRUST_PROXY: '["10.0.0.0/8"]',
      ANYCHAT_USERS: JSON.stringify([{ userName: 'eve', userId: 7 }]),
      ANYCHAT_LISTEN_TLS: JSON.stringify({ certFile: 'c.pem', keyFile: 'k.pem' }),
      PATH: '/usr/bin',
    };
    const c = loadConfig({ config: file }, process.cwd(), env);
    expect(c.listen.port).toBe(9123);
    expect(c.listen.host).toBe('127.0.0.1');
    expect(c.media.rtcMinPort).toBe(40100);
    expect(c.media.rtcMaxPort).toBe(40999);
    expect(c.media.announcedIp).toBe('203.0.113.7');
    expect(c.log.level).toBe('warn');
    expect(c.guestLogin).toBe(false);
    expect(c.history.retentionDays).toBe(7);
    expect(c.trustProxy).toEqual(['10.0.0.0/8']);
    expect(c.users.map((u) => u.userName)).toEqual(['eve']);
    expect(c.listen.tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem' });
    expect(loadConfig({ config: file, port: 9999 }, process.cwd(), env).listen.port).toBe(9999);
  });

  it('bad values stop the start naming the variable; unknown names are reported, not fatal', () => {
    expect(() => loadConfig({}, process.cwd(), { ANYCHAT_LISTEN_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({}, process.cwd(), { ANYCHAT_LISTEN_PORT: 'eighty' })).toThrow(/ANYCHAT_LISTEN_PORT: expected a number/);
    expect(() => loadConfig({}, process.cwd(), { ANYCHAT_LISTEN_PORT: '70000' })).toThrow(/listen\.port/);
    expect(() => loadConfig({}, process.cwd(), { ANYCHAT_USERS: '[{' })).toThrow(/ANYCHAT_USERS: expected JSON/);
    expect(loadConfig({}, process.cwd(), { ANYCHAT_LISTEN_PROT: '1' }).unknownEnv).toEqual(['ANYCHAT_LISTEN_PROT']);
    expect(() => loadConfig({}, process.cwd(), { ANYCHAT_TRUST_PROXY: '["10.0.0.0/99"]' })).toThrow(/trustProxy\.0.*IP address or CIDR/);
  });
});

describe('docs/operations.md', () => {
  it('lists every environment variable', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../docs/operations.md', import.meta.url)), 'utf8');
    for (const k of envKeys()) expect(doc, k.name).toContain(`\`${k.name}\``);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { md5Signature, rsaSignature, verifyMd5, verifyRsa } from './signature';
import { addMonths, describeZone, formatTimestamp, parseTimestamp } from './timestamp';

describe('gateway signatures', () => {
  it("verifies the seed's worked MD5 example", () => {
    expect(md5Signature('record_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103548', 'anychat')).toBe('077AB6353B129837B281FAF99D4F439D');
    expect(verifyMd5('record_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103548', 'anychat', '077ab6353b129837b281faf99d4f439d')).toBe(true);
    expect(verifyMd5('record_notify', 'E205F8EC-D896-4451-B815-460D36ED7FBD', '20150503103549', 'anychat', '077AB6353B129837B281FAF99D4F439D')).toBe(false);
  });

  it('RSA: PKCS#1 v1.5 over the MD5 digest, hex or base64, verified with the public key', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const sig = rsaSignature('userinfo_get', 'APP', '20150503103548', privateKey);
    expect(verifyRsa('userinfo_get', 'APP', '20150503103548', publicKey, sig)).toBe(true);
    expect(verifyRsa('userinfo_get', 'APP', '20150503103548', publicKey, Buffer.from(sig, 'hex').toString('base64'))).toBe(true);
    expect(verifyRsa('userinfo_get', 'APP', '20150503103549', publicKey, sig)).toBe(false);
    expect(verifyRsa('userinfo_get', 'APP', '20150503103548', publicKey, '2D4668576B0E67A306C237394B439435')).toBe(false);
    expect(verifyRsa('userinfo_get', 'APP', '20150503103548', publicKey, '!!')).toBe(false);
  });
});

describe('gateway timestamps', () => {
  it('round-trips yyyyMMddHHmmss and rejects impossible dates', () => {
    expect(parseTimestamp('20150503103548')).toBe(Date.UTC(2015, 4, 3, 10, 35, 48));
    expect(formatTimestamp(Date.UTC(2015, 4, 3, 10, 35, 48))).toBe('20150503103548');
    expect(parseTimestamp('20150231103548')).toBeNull();
    expect(parseTimestamp('2015050310354')).toBeNull();
    expect(parseTimestamp('2015-05-03 10:35')).toBeNull();
    expect(formatTimestamp(addMonths(Date.UTC(2016, 10, 30), 3))).toBe('20170228000000');
  });
});

describe('timestamp zones', () => {
  it('reads the same wall-clock text as different instants in UTC and in the host zone', () => {
    const prev = process.env.TZ;
    process.env.TZ = 'Asia/Shanghai';
    try {
      expect(parseTimestamp('20150503103548', 'local')).toBe(Date.UTC(2015, 4, 3, 2, 35, 48));
      expect(formatTimestamp(Date.UTC(2015, 4, 3, 2, 35, 48), 'local')).toBe('20150503103548');
      expect(describeZone('local')).toBe('local time Asia/Shanghai (UTC+08:00)');
      expect(describeZone('utc')).toBe('UTC');
    } finally {
      if (prev === undefined) delete process.env.TZ;
      else process.env.TZ = prev;
    }
  });
});

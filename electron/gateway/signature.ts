/**
 * Gateway signatures (docs/gateway-api.md "Signatures").
 * - MD5: upper-case hex MD5 of `method&appid&timestamp&key` (the seed's worked example verifies).
 * - RSA: a real signature: RSASSA-PKCS1-v1_5 with MD5 (DigestInfo over the MD5 digest of
 *   `method&appid&timestamp`). Requests are verified with the app's public key; notices are signed
 *   with the server's private key. `signstr` is the signature in hex (either case) or base64.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

export function signingText(method: string, appId: string, timestamp: string): string {
  return `${method}&${appId}&${timestamp}`;
}

export function md5Signature(method: string, appId: string, timestamp: string, key: string): string {
  return createHash('md5')
    .update(`${signingText(method, appId, timestamp)}&${key}`, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function verifyMd5(method: string, appId: string, timestamp: string, key: string, signstr: string): boolean {
  const expected = md5Signature(method, appId, timestamp, key);
  return signstr.length === expected.length && signstr.toUpperCase() === expected;
}

export function rsaSignature(method: string, appId: string, timestamp: string, privateKey: KeyObject): string {
  return sign('md5', Buffer.from(signingText(method, appId, timestamp), 'utf8'), privateKey)
    .toString('hex')
    .toUpperCase();
}

/** Decodes a signstr written as hex or base64; null when it is neither. */
export function decodeSignature(signstr: string): Buffer | null {
  if (/^[0-9a-fA-F]+$/.test(signstr) && signstr.length % 2 === 0) return Buffer.from(signstr, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(signstr)) return Buffer.from(signstr, 'base64');
  return null;
}

export function verifyRsa(method: string, appId: string, timestamp: string, publicKey: KeyObject, signstr: string): boolean {
  const sig = decodeSignature(signstr);
  if (!sig || sig.length === 0) return false;
  try {
    return verify('md5', Buffer.from(signingText(method, appId, timestamp), 'utf8'), publicKey, sig);
  } catch {
    return false;
  }
}

export function loadPublicKey(pem: string): KeyObject {
  return createPublicKey(pem);
}

/** Base64 for binary payloads on the wire; uses atob/btoa, present in browsers and Node ≥ 16. */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    s += String.fromCharCode.apply(null, Array.from(bytes.subarray(i, i + step)));
  }
  return btoa(s);
}

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64; returns null for anything that is not valid base64. */
export function base64ToBytes(b64: string): Uint8Array | null {
  if (b64.length % 4 !== 0 || !B64.test(b64)) return null;
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    return null;
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function textToBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function bytesToText(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}

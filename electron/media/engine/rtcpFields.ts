/** Wire encodings werift leaves to its callers. */

/** REMB bitrate as werift serializes it (exponent + 18-bit mantissa; its `bitrate` field is ignored). */
export function rembFields(bps: number): { brExp: number; brMantissa: number; bitrate: bigint } {
  let exp = 0;
  let mantissa = Math.floor(bps);
  while (mantissa >= 1 << 18) {
    mantissa = Math.floor(mantissa / 2);
    exp++;
  }
  return { brExp: exp, brMantissa: mantissa, bitrate: BigInt(mantissa) << BigInt(exp) };
}

/** abs-send-time header extension: 6.18 fixed-point seconds, 24 bits. */
export function absSendTime(now: number): Buffer {
  const v = Math.floor(((now / 1000) * (1 << 18)) % (1 << 24));
  const b = Buffer.alloc(3);
  b.writeUIntBE(v, 0, 3);
  return b;
}

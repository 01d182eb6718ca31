// An independent, minimal RFC 6238 TOTP (HMAC-SHA1) for tests: the codes a person's
// authenticator app would show, computed without the library the app uses.
import crypto from "node:crypto";

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 without padding (spaces and "=" ignored, case-insensitive). */
export function base32Decode(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[\s=]/g, "");
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of clean) {
    const idx = BASE32.indexOf(ch);
    if (idx < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** RFC 4226 HOTP: HMAC-SHA1 of the 8-byte counter, dynamic truncation, modulo 10^digits. */
export function hotp(key: Buffer, counter: number, digits = 6): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac("sha1", key).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/** The 30-second time step of a moment (RFC 6238: T0 = 0, X = 30). */
export function timeStep(ms: number): number {
  return Math.floor(ms / 1000 / 30);
}

/** The code an authenticator app shows for a base32 key at time `ms`, or at a given step. */
export function totpCode(base32Key: string, ms = Date.now(), digits = 6): string {
  return hotp(base32Decode(base32Key), timeStep(ms), digits);
}

export function totpCodeAtStep(base32Key: string, step: number, digits = 6): string {
  return hotp(base32Decode(base32Key), step, digits);
}

// TOTP secrets at rest: AES-256-GCM with a key from the environment (SECOND_FACTOR_KEY, 32
// bytes as 64 hex digits or base64). The user's id is bound in as associated data, so a
// secret copied onto another user's row does not decrypt. A database dump alone therefore
// gives no one a working authenticator.
import crypto from "node:crypto";

const VERSION = "v1";

export class MissingSecondFactorKey extends Error {
  constructor() {
    super("SECOND_FACTOR_KEY is not set (32 random bytes as 64 hex digits): see docs/operations.md");
  }
}

function key(): Buffer {
  const raw = process.env.SECOND_FACTOR_KEY?.trim();
  if (!raw) throw new MissingSecondFactorKey();
  const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, "hex") : Buffer.from(raw, "base64");
  if (bytes.length !== 32) throw new MissingSecondFactorKey();
  return bytes;
}

export function sealSecret(userId: number, secretBase32: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(`user:${userId}`));
  const sealed = Buffer.concat([cipher.update(secretBase32, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

export function openSecret(userId: number, stored: string): string {
  const [version, iv, tag, sealed] = stored.split(".");
  if (version !== VERSION || !iv || !tag || !sealed) throw new Error("unreadable second-factor secret");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(`user:${userId}`));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
}

// Secrets at rest (the SMTP password): AES-256-GCM with a random 96-bit IV.
// The key is ENCORE_ENCRYPTION_KEY (any string; hashed to 32 bytes). Outside
// production it falls back to a key derived from SHOPIFY_API_SECRET (HKDF),
// so development and the sandbox work without extra set-up.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";

export class EncryptionKeyMissing extends Error {
  constructor() {
    super("ENCORE_ENCRYPTION_KEY is not set: it encrypts SMTP passwords at rest (see README, Emails).");
  }
}

function key(): Buffer {
  const configured = process.env.ENCORE_ENCRYPTION_KEY;
  if (configured) return createHash("sha256").update(configured).digest();
  const secret = process.env.SHOPIFY_API_SECRET;
  if (process.env.NODE_ENV === "production" || !secret) throw new EncryptionKeyMissing();
  return Buffer.from(hkdfSync("sha256", secret, "encore", "encore smtp password v1", 32));
}

export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function decryptSecret(stored: string): string {
  const [version, iv, tag, data] = stored.split(":");
  if (version !== "v1" || !iv || !tag || data === undefined) throw new Error("Unreadable encrypted secret");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

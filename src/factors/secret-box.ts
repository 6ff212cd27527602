import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Format tag: lets a later key or algorithm change coexist with rows written today.
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new Map<string, Buffer>();

/** An AES-256 key derived from the app secret by HKDF, so the secret itself never encrypts. */
function keyFor(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(hkdfSync("sha256", secret, "keyward", "keyward/totp-secret/v1", 32));
    keys.set(secret, key);
  }
  return key;
}

/**
 * Encrypts a value at rest with AES-256-GCM. `owner` (the user id) is authenticated data:
 * a ciphertext copied onto another user's row does not decrypt there.
 */
export function seal(secret: string, owner: string, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyFor(secret), iv);
  cipher.setAAD(Buffer.from(owner));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url")}`;
}

/** Decrypts what `seal` produced for the same owner; throws when it was altered or moved. */
export function open(secret: string, owner: string, sealed: string): string {
  const [version, payload] = sealed.split(".");
  if (version !== VERSION || payload === undefined) throw new Error("unknown sealed format");
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error("sealed value too short");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(owner));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
}

import { createHash, createHmac, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";

// Tokens are cut from a pool of CSPRNG bytes refilled 4 KiB at a time (as Node does for
// randomUUID): one call into the generator per ~128 tokens instead of one per token. Each byte is
// handed out once and wiped from the pool as it is.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

/** A random, URL-safe token with `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  if (bytes > POOL_BYTES / 4) return randomBytes(bytes).toString("base64url");
  if (poolOffset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const token = pool.toString("base64url", poolOffset, poolOffset + bytes);
  pool.fill(0, poolOffset, poolOffset + bytes);
  poolOffset += bytes;
  return token;
}

/** A random row id (UUID v4): never sequential, safe to show in URLs. */
export function randomId(): string {
  return crypto.randomUUID();
}

/** SHA-256 of a token, base64url: what is stored for secrets we must recognise but not reveal. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** HMAC-SHA-256 under the app secret, base64url. */
export function hmac(secret: string, value: string): string {
  return createHmac("sha256", secret).update(value).digest("base64url");
}

/** Compares two strings in time that depends only on their lengths. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Still spend a comparison so a length mismatch is not obviously faster.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

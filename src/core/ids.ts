import { createHmac, hash, randomBytes, randomFillSync, timingSafeEqual } from "node:crypto";

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

/**
 * A UUID v7 (RFC 9562) for a row written at `at` ms: 48 bits of time, then 74 random bits.
 * Rows inserted in time order then append to the end of their primary-key index instead of
 * landing on a random page of it, so a busy table dirties one index page per commit, not one
 * per row. Only for rows whose time is no secret (an event's id beside its `at`).
 */
export function timeOrderedId(at: number): string {
  const time = Math.max(0, Math.floor(at)).toString(16).padStart(12, "0").slice(-12);
  // A v4 UUID's random bits and variant, behind the time and version 7.
  const random = crypto.randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}

/** SHA-256 of a token, base64url: what is stored for secrets we must recognise but not reveal. */
export function hashToken(token: string): string {
  return hash("sha256", token, "base64url");
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

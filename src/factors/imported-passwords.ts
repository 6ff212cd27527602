import { createHash, createHmac, pbkdf2, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { lazyImport } from "../core/lazy.js";
import { open, seal } from "./secret-box.js";

// Imported by the first imported hash checked: most servers never hold one.
const argon2 = lazyImport(() => import("@node-rs/argon2"));
const bcryptjs = lazyImport(async () => (await import("bcryptjs")).default);

/**
 * Password hashes brought in by `keyward import`, checked at the user's next password sign-in
 * and then replaced by Keyward's own argon2id (account/password-upgrade.ts). Each scheme is
 * verified by a maintained implementation or a platform primitive, never a hand-rolled hash:
 *
 * - argon2i / argon2d / argon2id PHC strings (`$argon2id$v=19$…`): @node-rs/argon2;
 * - bcrypt (`$2a$`, `$2b$`, `$2y$`): bcryptjs;
 * - passlib's `$bcrypt-sha256$` (v1: SHA-256, v2: HMAC-SHA256 keyed by the salt string, then
 *   base64, then bcrypt with the same salt): node:crypto + bcryptjs;
 * - passlib's `$pbkdf2$` (SHA-1), `$pbkdf2-sha256$`, `$pbkdf2-sha512$` (rounds, salt and
 *   checksum in passlib's "adapted base64"): node:crypto's pbkdf2;
 * - better-auth's scrypt (`salt:key` in its `account` table, brought in as
 *   `$better-auth-scrypt$<salt>$<key>`, see betterAuthPasswordHash): node:crypto's scrypt.
 *
 * What the hash alone does not say is kept in a wrapper, `$keyward-import$<params>$<hash>`:
 * Flask-Security's optional pre-hash (the password normalised, by default NFKD, then
 * base64(HMAC-SHA512(SECURITY_PASSWORD_SALT, password)) is what passlib hashed). The HMAC key
 * is a secret of the old app, so it is stored sealed with Keyward's secret (as TOTP secrets are).
 */

export type NormalForm = "NFKD" | "NFKC" | "NFD" | "NFC";

export interface ImportedPasswordOptions {
  /** Unicode normal form the old app applied to passwords before hashing (Flask-Security: NFKD). */
  normalize?: NormalForm | null;
  /** Flask-Security's SECURITY_PASSWORD_SALT, when passwords were HMAC pre-hashed with it. */
  flaskSecurityHmacKey?: string | null;
}

const WRAPPER = "$keyward-import$";
const SEAL_OWNER = "keyward/imported-password";
const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: string | Buffer,
  salt: string | Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** The scheme of a stored hash, or null when Keyward cannot verify it. */
export function passwordScheme(hash: string): string | null {
  const inner = hash.startsWith(WRAPPER) ? unwrap(hash)?.hash : hash;
  if (inner === undefined) return null;
  const match =
    /^\$(argon2id|argon2i|argon2d|2a|2b|2y|bcrypt-sha256|pbkdf2|pbkdf2-sha256|pbkdf2-sha512|better-auth-scrypt)\$/.exec(
      inner,
    );
  if (!match) return null;
  const name = match[1]!;
  return /^2[aby]$/.test(name) ? "bcrypt" : name;
}

/** Wraps an imported hash with what verifying it needs besides the password. */
export function importedPasswordHash(
  hash: string,
  options: ImportedPasswordOptions,
  secret: string,
): string {
  const params: string[] = [];
  if (options.normalize) params.push(`norm=${options.normalize}`);
  if (options.flaskSecurityHmacKey) {
    params.push(`fs-hmac=${seal(secret, SEAL_OWNER, options.flaskSecurityHmacKey)}`);
  }
  return params.length === 0 ? hash : `${WRAPPER}${params.join(",")}$${hash}`;
}

function unwrap(stored: string): { params: Map<string, string>; hash: string } | undefined {
  const rest = stored.slice(WRAPPER.length);
  const end = rest.indexOf("$");
  if (end < 0) return undefined;
  const params = new Map<string, string>();
  for (const pair of rest.slice(0, end).split(",")) {
    const at = pair.indexOf("=");
    if (at > 0) params.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return { params, hash: rest.slice(end + 1) };
}

/** Checks a password against an imported hash; false for a wrong password or an unknown scheme. */
export async function verifyImportedPassword(
  stored: string,
  password: string,
  secret: string | undefined,
): Promise<boolean> {
  let hash = stored;
  let candidate = password;
  if (stored.startsWith(WRAPPER)) {
    const wrapped = unwrap(stored);
    if (!wrapped) return false;
    hash = wrapped.hash;
    const form = wrapped.params.get("norm");
    if (form) candidate = candidate.normalize(form as NormalForm);
    const sealedKey = wrapped.params.get("fs-hmac");
    if (sealedKey) {
      if (secret === undefined) return false;
      const key = open(secret, SEAL_OWNER, sealedKey);
      candidate = createHmac("sha512", key).update(candidate, "utf8").digest("base64");
    }
  }
  switch (passwordScheme(hash)) {
    case "argon2id":
    case "argon2i":
    case "argon2d":
      return (await argon2()).verify(hash, candidate);
    case "bcrypt":
      return (await bcryptjs()).compare(candidate, hash);
    case "bcrypt-sha256":
      return verifyBcryptSha256(hash, candidate);
    case "pbkdf2":
    case "pbkdf2-sha256":
    case "pbkdf2-sha512":
      return verifyPasslibPbkdf2(hash, candidate);
    case "better-auth-scrypt":
      return verifyBetterAuthScrypt(hash, candidate);
    default:
      return false;
  }
}

/** passlib bcrypt_sha256: `$bcrypt-sha256$v=2,t=2b,r=12$<salt>$<checksum>` (v1: `$2a,12$`). */
async function verifyBcryptSha256(hash: string, password: string): Promise<boolean> {
  const v2 =
    /^\$bcrypt-sha256\$v=2,t=(2a|2b),r=(\d{1,2})\$([./A-Za-z0-9]{22})\$([./A-Za-z0-9]{31})$/.exec(
      hash,
    );
  const v1 = /^\$bcrypt-sha256\$(2a|2b),(\d{1,2})\$([./A-Za-z0-9]{22})\$([./A-Za-z0-9]{31})$/.exec(
    hash,
  );
  const parts = v2 ?? v1;
  if (!parts) return false;
  const [, ident, rounds, salt, checksum] = parts as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const digest = v2
    ? createHmac("sha256", salt).update(password, "utf8").digest()
    : createHash("sha256").update(password, "utf8").digest();
  const bcryptHash = `$${ident}$${rounds.padStart(2, "0")}$${salt}${checksum}`;
  return (await bcryptjs()).compare(digest.toString("base64"), bcryptHash);
}

const PBKDF2_DIGESTS = { pbkdf2: "sha1", "pbkdf2-sha256": "sha256", "pbkdf2-sha512": "sha512" };

/** passlib's "adapted base64": standard base64 with "." for "+" and no padding. */
const ab64 = (value: string) => Buffer.from(value.replace(/\./g, "+"), "base64");

/** passlib pbkdf2_*: `$pbkdf2-sha512$<rounds>$<salt>$<checksum>`, salt and checksum in ab64. */
async function verifyPasslibPbkdf2(hash: string, password: string): Promise<boolean> {
  const parts =
    /^\$(pbkdf2|pbkdf2-sha256|pbkdf2-sha512)\$(\d{1,10})\$([./A-Za-z0-9]*)\$([./A-Za-z0-9]+)$/.exec(
      hash,
    );
  if (!parts) return false;
  const [, scheme, roundsText, salt, checksum] = parts as unknown as [
    keyof typeof PBKDF2_DIGESTS,
    keyof typeof PBKDF2_DIGESTS,
    string,
    string,
    string,
  ];
  const rounds = Number(roundsText);
  // passlib's own bounds; a huge count in a crafted row must not stall sign-in.
  if (rounds < 1 || rounds > 10_000_000) return false;
  const expected = ab64(checksum);
  const derived = await pbkdf2Async(
    Buffer.from(password, "utf8"),
    ab64(salt),
    rounds,
    expected.length,
    PBKDF2_DIGESTS[scheme],
  );
  return expected.length > 0 && timingSafeEqual(derived, expected);
}

/**
 * better-auth's password hashing (packages/better-auth/src/crypto/password.ts): scrypt with
 * N=16384, r=16, p=1 and a 64-byte key, over the password normalised to NFKC, salted with the
 * salt's hex *text* (its UTF-8 bytes, not the bytes it spells), stored as `<salt hex>:<key hex>`.
 */
const BETTER_AUTH_SCRYPT = { N: 16_384, r: 16, p: 1, keyLength: 64 };
const BETTER_AUTH_STORED = /^([0-9a-f]{2,128}):([0-9a-f]{128})$/i;

/**
 * What `keyward import` keeps of a better-auth `account.password` (`salt:key`): the same
 * values, named, so no bare `hex:hex` string is ever guessed to be scrypt. Anything else is
 * returned as it is (and reported as a scheme Keyward cannot verify).
 */
export function betterAuthPasswordHash(stored: string): string {
  const parts = BETTER_AUTH_STORED.exec(stored);
  return parts ? `$better-auth-scrypt$${parts[1]}$${parts[2]}` : stored;
}

/** `$better-auth-scrypt$<salt hex>$<key hex>`: better-auth's scrypt, on node:crypto. */
async function verifyBetterAuthScrypt(hash: string, password: string): Promise<boolean> {
  const parts = /^\$better-auth-scrypt\$([0-9a-f]{2,128})\$([0-9a-f]{128})$/i.exec(hash);
  if (!parts) return false;
  const [, salt, key] = parts as unknown as [string, string, string];
  const { N, r, p, keyLength } = BETTER_AUTH_SCRYPT;
  const derived = await scryptAsync(
    Buffer.from(password.normalize("NFKC"), "utf8"),
    Buffer.from(salt, "utf8"),
    keyLength,
    // scrypt needs about 128·N·r bytes; twice that leaves Node's bookkeeping room (as better-auth).
    { N, r, p, maxmem: 128 * N * r * 2 },
  );
  return timingSafeEqual(derived, Buffer.from(key, "hex"));
}

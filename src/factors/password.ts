import { lazyImport } from "../core/lazy.js";
import { verifyImportedPassword } from "./imported-passwords.js";

/** The argon2 native module, loaded by the first password hashed or checked. */
const argon2 = lazyImport(() => import("@node-rs/argon2"));

// @node-rs/argon2's defaults are argon2id, 19 MiB, t=2, p=1: OWASP's recommended minimum.
const CURRENT = "$argon2id$v=19$m=19456,t=2,p=1$";

let dummyHash: Promise<string> | undefined;

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password);
}

/**
 * Whether a stored hash is Keyward's own argon2id with today's parameters; anything else (an
 * imported bcrypt, passlib or weaker argon2 hash) is replaced after the next right password.
 */
export function isCurrentPasswordHash(storedHash: string): boolean {
  return storedHash.startsWith(CURRENT);
}

/**
 * Checks a password; with no stored hash, spends the same work so timing reveals nothing.
 * `secret` (the app secret) opens what an imported hash keeps sealed (a pre-hash key).
 */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
  secret?: string,
): Promise<boolean> {
  const { hash, verify } = await argon2();
  if (storedHash === null) {
    dummyHash ??= hash("keyward-timing-equaliser");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    if (isCurrentPasswordHash(storedHash)) return await verify(storedHash, password);
    return await verifyImportedPassword(storedHash, password, secret);
  } catch {
    return false;
  }
}

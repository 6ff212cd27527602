import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2's defaults are argon2id, 19 MiB, t=2, p=1: OWASP's recommended minimum.

let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Checks a password; with no stored hash, spends the same work so timing reveals nothing. */
export async function verifyPassword(
  storedHash: string | null,
  password: string,
): Promise<boolean> {
  if (storedHash === null) {
    dummyHash ??= hash("keyward-timing-equaliser");
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

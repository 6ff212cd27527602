import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  betterAuthPasswordHash,
  importedPasswordHash,
  passwordScheme,
  verifyImportedPassword,
} from "../../src/factors/imported-passwords.js";
import { isCurrentPasswordHash, verifyPassword } from "../../src/factors/password.js";
import { TEST_SECRET } from "../helpers/harness.js";

// Hashes made by passlib, bcrypt and argon2-cffi (scripts/record-password-hashes.py).
const recorded = JSON.parse(
  readFileSync(new URL("../fixtures/import/password-hashes.json", import.meta.url), "utf8"),
) as {
  password: string;
  flaskSecurity: { passwordSalt: string; hashes: Array<{ scheme: string; hash: string }> };
  plain: Array<{ scheme: string; hash: string }>;
};
const { password } = recorded;
const flaskOptions = {
  normalize: "NFKD" as const,
  flaskSecurityHmacKey: recorded.flaskSecurity.passwordSalt,
};

// better-auth's scrypt, made by node:crypto on its parameters and cross-checked against
// @noble/hashes with better-auth's own call (scripts/record-better-auth-hash.ts).
const betterAuth = JSON.parse(
  readFileSync(new URL("../fixtures/import/better-auth-password.json", import.meta.url), "utf8"),
) as { password: string; hash: string; recordedWith: { crossChecked: string | null } };

describe("imported password hashes", () => {
  it("verifies better-auth's scrypt salt:key, named on import, and nothing guessed", async () => {
    expect(betterAuth.recordedWith.crossChecked).toMatch(/^@noble\/hashes /);
    // A bare salt:key is never taken for scrypt; the importer names it.
    expect(passwordScheme(betterAuth.hash)).toBeNull();
    expect(await verifyPassword(betterAuth.hash, betterAuth.password)).toBe(false);
    const stored = betterAuthPasswordHash(betterAuth.hash);
    const [salt, key] = betterAuth.hash.split(":");
    expect(stored).toBe(`$better-auth-scrypt$${salt}$${key}`);
    expect(passwordScheme(stored)).toBe("better-auth-scrypt");
    expect(isCurrentPasswordHash(stored)).toBe(false);
    expect(await verifyPassword(stored, betterAuth.password)).toBe(true);
    // better-auth normalised to NFKC: the compatibility spelling is the same password.
    expect(betterAuth.password.normalize("NFKC")).not.toBe(betterAuth.password);
    expect(await verifyPassword(stored, betterAuth.password.normalize("NFKC"))).toBe(true);
    expect(await verifyPassword(stored, `${betterAuth.password}!`)).toBe(false);
    // The salt is its hex text: the bytes it spells derive another key.
    const other = betterAuthPasswordHash(`${salt!.toUpperCase()}:${key}`);
    expect(await verifyPassword(other, betterAuth.password)).toBe(false);
    // What is not better-auth's shape passes through, and stays unverifiable.
    expect(betterAuthPasswordHash("0123abcd:0123abcd")).toBe("0123abcd:0123abcd");
  });

  for (const { scheme, hash } of recorded.plain) {
    it(`verifies ${scheme} as the library made it, and refuses a wrong password`, async () => {
      expect(passwordScheme(hash)).not.toBeNull();
      expect(isCurrentPasswordHash(hash)).toBe(false);
      expect(await verifyPassword(hash, password)).toBe(true);
      expect(await verifyPassword(hash, `${password}!`)).toBe(false);
      expect(await verifyPassword(hash, password.normalize("NFKD"))).toBe(false);
    });
  }

  for (const { scheme, hash } of recorded.flaskSecurity.hashes) {
    it(`verifies Flask-Security's HMAC pre-hashed ${scheme} with the salt sealed`, async () => {
      const stored = importedPasswordHash(hash, flaskOptions, TEST_SECRET);
      expect(stored.startsWith("$keyward-import$")).toBe(true);
      // The salt is not readable in what is stored.
      expect(stored).not.toContain(recorded.flaskSecurity.passwordSalt);
      expect(passwordScheme(stored)).toBe(scheme);
      expect(await verifyImportedPassword(stored, password, TEST_SECRET)).toBe(true);
      // Flask-Security normalised to NFKD: the decomposed spelling is the same password.
      expect(await verifyImportedPassword(stored, password.normalize("NFKD"), TEST_SECRET)).toBe(
        true,
      );
      expect(await verifyImportedPassword(stored, `${password}!`, TEST_SECRET)).toBe(false);
      // Without the pre-hash (or with another secret) the same hash does not verify.
      expect(await verifyImportedPassword(hash, password, TEST_SECRET)).toBe(false);
      expect(await verifyPassword(stored, password, `${TEST_SECRET}-other`)).toBe(false);
    });
  }

  it("knows Keyward's own argon2id and no scheme it cannot verify", () => {
    expect(passwordScheme("$6$rounds=5000$salt$abc")).toBeNull();
    expect(passwordScheme("0123abcd:0123abcd")).toBeNull();
    expect(
      isCurrentPasswordHash(
        "$argon2id$v=19$m=19456,t=2,p=1$6jqJF2SXRLW5oYg0ho40sw$v1HffR8peC+2Iz6HH/i6smcNdQo4LQZHLYEakfWi6sA",
      ),
    ).toBe(true);
  });
});

/**
 * Records a password hash exactly as better-auth stores it, for
 * test/fixtures/import/better-auth-password.json (read by test/unit/imported-passwords.test.ts
 * and test/integration/import.test.ts).
 *
 * better-auth (packages/better-auth/src/crypto/password.ts) stores `<salt>:<key>`: a salt of 16
 * random bytes written as hex, and the key `scryptAsync(password.normalize("NFKC"), salt,
 * { N: 16384, r: 16, p: 1, dkLen: 64 })` from @noble/hashes, written as hex. The salt is passed
 * as that hex *string*, which @noble/hashes reads as its UTF-8 bytes.
 *
 * The hash is made with node:crypto's scrypt on those parameters and, when @noble/hashes is
 * installed (better-auth's own dependency), made again with better-auth's very call and
 * compared: the fixture is written only when both agree.
 *
 * Run: `npx tsx scripts/record-better-auth-hash.ts`. Recorded once; the fixture is committed.
 */
import { randomBytes, scryptSync } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// A compatibility character (full-width K) and an accent: NFKC changes the first.
const password = "\uFF2Beyward correct horse café";
const params = { N: 16_384, r: 16, p: 1, dkLen: 64 };

const salt = randomBytes(16).toString("hex");
const key = scryptSync(Buffer.from(password.normalize("NFKC"), "utf8"), salt, params.dkLen, {
  N: params.N,
  r: params.r,
  p: params.p,
  maxmem: 128 * params.N * params.r * 2,
}).toString("hex");

let crossChecked: string | null = null;
try {
  const { scryptAsync } = await import("@noble/hashes/scrypt.js");
  const { bytesToHex } = await import("@noble/hashes/utils.js");
  const noble = await scryptAsync(password.normalize("NFKC"), salt, {
    ...params,
    maxmem: 128 * params.N * params.r * 2,
  });
  if (bytesToHex(noble) !== key) throw new Error("node:crypto and @noble/hashes disagree");
  // Its package.json is not exported: read it from where the module resolved.
  const entry = fileURLToPath(import.meta.resolve("@noble/hashes/scrypt.js"));
  const manifest = join(dirname(entry), "package.json");
  crossChecked = `@noble/hashes ${JSON.parse(readFileSync(manifest, "utf8")).version as string}`;
} catch (error) {
  if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
}

const fixture = {
  description:
    "a password hash as better-auth stores it (account.password), made by scripts/record-better-auth-hash.ts",
  parameters: { ...params, normalize: "NFKC", salt: "16 random bytes as hex, used as UTF-8 text" },
  recordedWith: { node: process.version, crossChecked },
  password,
  hash: `${salt}:${key}`,
};
const path = new URL("../test/fixtures/import/better-auth-password.json", import.meta.url);
writeFileSync(path, `${JSON.stringify(fixture, null, 2)}\n`);
console.log(`wrote ${path.pathname}${crossChecked ? ` (cross-checked with ${crossChecked})` : ""}`);

import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { USER_HANDLE_UNKNOWN } from "../../src/core/types.js";
import { readBetterAuth, readFlaskSecurity } from "../../src/import.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { signInWithKey, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, useHarness } from "../helpers/harness.js";
import {
  registerElsewhere,
  writeBetterAuthDb,
  writeFlaskSecurityDb,
} from "../helpers/import-sources.js";

// Users and keys laid out as Flask-Security and better-auth store them (keys registered by the
// software authenticator with each system's own user handle, password hashes made by passlib,
// bcrypt and argon2-cffi), imported, then signed in with through Keyward's HTTP flow.
const hashes = JSON.parse(
  readFileSync(new URL("../fixtures/import/password-hashes.json", import.meta.url), "utf8"),
) as {
  password: string;
  flaskSecurity: { passwordSalt: string; hashes: Array<{ scheme: string; hash: string }> };
  plain: Array<{ scheme: string; hash: string }>;
};
const PASSWORD = hashes.password;
// A password hash as better-auth stores it (scripts/record-better-auth-hash.ts).
const betterAuth = JSON.parse(
  readFileSync(new URL("../fixtures/import/better-auth-password.json", import.meta.url), "utf8"),
) as { password: string; hash: string };
const flaskHash = (scheme: string) =>
  hashes.flaskSecurity.hashes.find((h) => h.scheme === scheme)!.hash;
const tmp = mkdtempSync(join(tmpdir(), "keyward-import-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const targets = await databaseTargets();

async function passwordSignIn(h: Harness, identity: string, password = PASSWORD) {
  const client = h.client();
  return { client, result: await client.post("/login", { identity, password }) };
}

describe.each(targets)("importing users and keys on $name", (target) => {
  const h = useHarness(target, { webauthn: { allowUserHints: true } });
  const flaskOptions = {
    passwords: {
      normalize: "NFKD" as const,
      flaskSecurityHmacKey: hashes.flaskSecurity.passwordSalt,
    },
    by: "test",
  };

  it("imports a Flask-Security database; keys, handles and passwords work as they did", async () => {
    const alicePasskey = new SoftwareAuthenticator({ origin: h.origin, discoverable: true });
    const bobKey = new SoftwareAuthenticator({
      origin: h.origin,
      discoverable: false,
      userVerification: false,
      transports: ["usb"],
      attachment: "cross-platform",
    });
    // Flask-Security's handle is secrets.token_urlsafe(32); its UTF-8 bytes are user.id.
    const aliceHandle = randomBytes(32).toString("base64url");
    const bobHandle = randomBytes(32).toString("base64url");
    const register = (authenticator: SoftwareAuthenticator, handle: string, resident: boolean) =>
      registerElsewhere(authenticator, {
        rpId: "localhost",
        origin: h.origin,
        userHandle: Buffer.from(handle, "utf8"),
        resident,
      });
    const [alice, bob, carol, dave, erin] = ["alice", "bob", "carol", "dave", "erin"].map((n) =>
      uniqueEmail(n),
    );
    const path = join(tmp, `flask-${target.name}.db`);
    writeFlaskSecurityDb(path, [
      {
        email: alice!,
        password: flaskHash("bcrypt"),
        handle: aliceHandle,
        keys: [
          { ...(await register(alicePasskey, aliceHandle, true)), name: "Laptop", usage: "first" },
        ],
      },
      {
        email: bob!,
        password: flaskHash("pbkdf2-sha512"),
        handle: bobHandle,
        keys: [
          { ...(await register(bobKey, bobHandle, false)), name: "YubiKey", usage: "secondary" },
        ],
      },
      { email: carol!, password: flaskHash("bcrypt-sha256"), handle: null, keys: [] },
      {
        email: dave!,
        password: "$6$rounds=656000$saltsalt$notAHashKeywardKnows",
        handle: null,
        keys: [],
      },
      { email: erin!, password: flaskHash("argon2id"), handle: null, keys: [], active: false },
    ]);
    const data = readFlaskSecurity(path);

    // A dry run reports what would happen and writes nothing.
    const dry = await h.auth.api.importUsers(data, { ...flaskOptions, dryRun: true });
    expect(dry).toMatchObject({
      dryRun: true,
      users: { imported: 5, skipped: 0 },
      keys: { imported: 2 },
    });
    expect(await h.store.users.byEmail(alice!)).toBeUndefined();

    const report = await h.auth.api.importUsers(data, flaskOptions);
    expect(report).toMatchObject({
      source: "flask-security",
      users: { imported: 5 },
      keys: { imported: 2 },
    });
    const byEmail = new Map(report.entries.map((e) => [e.email, e]));
    expect(byEmail.get(alice!)?.password).toEqual({ imported: "bcrypt" });
    expect(byEmail.get(dave!)?.password).toEqual({
      skipped: "a hash scheme Keyward cannot verify",
    });

    // The same input again changes nothing.
    const again = await h.auth.api.importUsers(data, flaskOptions);
    expect(again.users).toEqual({ imported: 0, "keys-added": 0, unchanged: 5, skipped: 0 });
    expect(again.keys).toEqual({ imported: 0, unchanged: 2, skipped: 0 });
    const aliceUser = (await h.store.users.byEmail(alice!))!;
    expect(aliceUser.webauthnUserHandle).toBe(
      Buffer.from(aliceHandle, "utf8").toString("base64url"),
    );
    const [aliceKey] = await h.store.credentials.listForUser(aliceUser.id);
    expect(aliceKey).toMatchObject({ name: "Laptop", usage: "first", flags: [] });
    expect(aliceKey!.lastUsedAt).toBe(Date.parse("2024-05-01T12:00:00Z"));

    // Alice's passkey signs in without a name: the handle it returns is the one imported.
    const passkey = await signInWithKey(h.client(), alicePasskey);
    expect(passkey.status, JSON.stringify(passkey.body)).toBe(200);
    expect(passkey.body.user).toMatchObject({ email: alice });

    // Bob: his password (HMAC pre-hashed pbkdf2-sha512), then his security key as second factor.
    const bobLogin = await passwordSignIn(h, bob!);
    expect(bobLogin.result.body).toMatchObject({ twoFactorRequired: true });
    const second = await signInWithKey(
      bobLogin.client,
      bobKey,
      { secondFactorState: (bobLogin.result.body as { state: string }).state },
      { userHandle: null },
    );
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.session).toMatchObject({ aal: 2 });

    // Carol's bcrypt_sha256 works once, and is then Keyward's argon2id.
    expect((await passwordSignIn(h, carol!, `${PASSWORD}x`)).result.status).toBe(401);
    expect((await passwordSignIn(h, carol!)).result.status).toBe(200);
    const carolUser = (await h.store.users.byEmail(carol!))!;
    expect(carolUser.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await passwordSignIn(h, carol!)).result.status).toBe(200);
    const rehashed = await h.auth.api.events({
      userId: carolUser.id,
      type: "account.password-rehashed",
    });
    expect(rehashed.map((e) => e.detail)).toEqual([{ from: "bcrypt-sha256" }]);
    // Alice's decomposed spelling is the same password (Flask-Security normalised to NFKD).
    expect((await passwordSignIn(h, alice!, PASSWORD.normalize("NFKD"))).result.status).toBe(200);

    // No password Keyward can check: none was imported. An inactive account stays inactive.
    expect((await passwordSignIn(h, dave!)).result.status).toBe(401);
    expect((await h.store.users.byEmail(dave!))!.passwordHash).toBeNull();
    expect((await passwordSignIn(h, erin!)).result.status).toBe(401);
    expect((await h.store.users.byEmail(erin!))!.active).toBe(false);

    const imported = await h.auth.api.events({ userId: aliceUser.id, type: "account.imported" });
    expect(imported.map((e) => e.detail)).toEqual([
      { source: "flask-security", by: "test", keys: 1, passwordScheme: "bcrypt" },
    ]);
  });

  it("imports better-auth passkeys, whose user handles nobody kept, and its scrypt passwords", async () => {
    const passkey = new SoftwareAuthenticator({
      origin: h.origin,
      discoverable: true,
      backupEligible: true,
      backupState: true,
    });
    const email = uniqueEmail("frank");
    // better-auth's user.id: 32 random a-z0-9 characters, new for every registration.
    const key = await registerElsewhere(passkey, {
      rpId: "localhost",
      origin: h.origin,
      userHandle: Buffer.from(randomBytes(24).toString("hex").slice(0, 32), "utf8"),
      resident: true,
    });
    const path = join(tmp, `better-auth-${target.name}.db`);
    writeBetterAuthDb(path, [
      {
        email,
        password: betterAuth.hash,
        keys: [{ ...key, name: "iPhone" }],
      },
    ]);
    const report = await h.auth.api.importUsers(readBetterAuth(path), { by: "test" });
    expect(report.entries[0]).toMatchObject({
      outcome: "imported",
      password: { imported: "better-auth-scrypt" },
      keys: { imported: 1 },
    });
    const user = (await h.store.users.byEmail(email))!;
    const [stored] = await h.store.credentials.listForUser(user.id);
    expect(stored).toMatchObject({
      backupEligible: true,
      usage: "first",
      flags: [USER_HANDLE_UNKNOWN],
    });

    const signedIn = await signInWithKey(h.client(), passkey);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.user).toMatchObject({ email });
    // A usernameless sign-in still needs a handle, even from such a key.
    const without = await signInWithKey(h.client(), passkey, {}, { userHandle: null });
    expect(without.status).toBe(400);
    expect(without.body).toMatchObject({ error: { code: "WEBAUTHN_USER_HANDLE_MISMATCH" } });

    // better-auth's scrypt password works once, then is argon2id.
    expect((await passwordSignIn(h, email, `${betterAuth.password}x`)).result.status).toBe(401);
    const first = await passwordSignIn(h, email, betterAuth.password);
    expect(first.result.status, JSON.stringify(first.result.body)).toBe(200);
    const upgraded = (await h.store.users.byEmail(email))!;
    expect(upgraded.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await passwordSignIn(h, email, betterAuth.password)).result.status).toBe(200);
    const rehashed = await h.auth.api.events({
      userId: upgraded.id,
      type: "account.password-rehashed",
    });
    expect(rehashed.map((e) => e.detail)).toEqual([{ from: "better-auth-scrypt" }]);
  });

  it("refuses a file that is not an import, saying where, and imports nothing", async () => {
    const fine = uniqueEmail("fine");
    const refused = h.auth.api.importUsers({
      format: "keyward-import",
      version: 1,
      users: [{ email: fine }, { email: uniqueEmail("other"), keys: "none" }],
    } as unknown as Parameters<typeof h.auth.api.importUsers>[0]);
    await expect(refused).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/^Not a Keyward import file: users\.1\.keys: /),
      details: { field: "users.1.keys" },
    });
    expect(await h.store.users.byEmail(fine)).toBeUndefined();
  });

  it("skips what cannot come in, and says why", async () => {
    const taken = uniqueEmail("taken");
    await h.store.users.create({
      email: taken,
      username: null,
      passwordHash: null,
      webauthnUserHandle: randomBytes(64).toString("base64url"),
    });
    const fresh = uniqueEmail("fresh");
    const report = await h.auth.api.importUsers({
      format: "keyward-import",
      version: 1,
      users: [
        { email: taken, webauthnUserHandle: randomBytes(16).toString("base64url") },
        { email: "not an email" },
        {
          email: fresh,
          passwordHash: hashes.plain.find((p) => p.scheme === "argon2i")!.hash,
          keys: [
            { credentialId: "AAAA", publicKey: "AAAA", backupEligible: false, usage: "first" },
          ],
        },
        { email: fresh },
      ],
    });
    expect(report.entries.map((e) => [e.outcome, e.reason])).toEqual([
      ["skipped", "an account with this email and another user handle is already here"],
      ["skipped", "not an email address"],
      ["imported", undefined],
      ["skipped", "the same email appears earlier in this input"],
    ]);
    expect(report.entries[2]!.keys.skipped).toEqual([
      { credentialId: "AAAA", reason: "the public key is not a COSE key" },
    ]);
    expect((await passwordSignIn(h, fresh)).result.status).toBe(200);
  });
});

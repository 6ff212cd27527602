import { describe, expect, it } from "vitest";
import { KeywardError } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  signUp,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import { expectCode } from "../helpers/lifecycle.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp, eventTypes } from "../helpers/two-factor.js";

const targets = await databaseTargets();
const NEW_PASSWORD = "an administrator's passphrase";

describe.each(targets)("auth.api.admin on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, { mailer: box, accounts: { allowPasswordless: true } });
  const admin = () => h.auth.api.admin;

  async function refusal(work: Promise<unknown>): Promise<KeywardError> {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KeywardError);
    return error as KeywardError;
  }

  it("finds, lists and creates accounts without exposing secrets", async () => {
    const email = uniqueEmail("admin-created");
    const created = await admin().createUser({
      email,
      username: "made-by-admin",
      password: PASSWORD,
    });
    expect(created).toMatchObject({
      email,
      username: "made-by-admin",
      hasPassword: true,
      active: true,
    });
    expect(created).not.toHaveProperty("passwordHash");
    expect(await admin().findUser(email)).toEqual(created);
    expect(await admin().findUser("made-by-admin")).toEqual(created);
    expect(await admin().findUser(created.id)).toEqual(created);
    expect(await admin().findUser("nobody@example.com")).toBeUndefined();
    const listed = await admin().listUsers({ limit: 1000 });
    expect(listed.map((u) => u.id)).toContain(created.id);
    expect(await eventTypes(h, created.id)).toEqual(["user.registered"]);
    // The created account signs in with its password.
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
  });

  it("refuses unknown accounts with USER_NOT_FOUND and bad passwords with the password rules", async () => {
    const unknown = await refusal(admin().deactivate("nobody-here@example.com"));
    expect(unknown.code).toBe("USER_NOT_FOUND");
    expect(unknown.status).toBe(404);
    const client = h.client();
    const email = await signUp(client);
    const short = await refusal(admin().setPassword(email, "short"));
    expect(short.code).toBe("PASSWORD_TOO_SHORT");
    // Nothing changed: the old password still signs in.
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
  });

  it("refuses page bounds and lock lengths that are not whole numbers in range, changing nothing", async () => {
    const email = await signUp(h.client());
    for (const page of [{ limit: Number.NaN }, { offset: 1.5 }, { limit: "all" }]) {
      const refused = await refusal(admin().listUsers(page as unknown as { limit: number }));
      expect(refused.code, JSON.stringify(page)).toBe("INVALID_INPUT");
    }
    for (const forMs of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e300]) {
      const refused = await refusal(admin().lock(email, { reason: "test", forMs }));
      expect(refused.code, String(forMs)).toBe("INVALID_INPUT");
      expect(refused.details).toEqual({ field: "forMs" });
    }
    // Still unlocked: the password signs in.
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
  });

  it("deactivates and activates, ending sessions, with an event naming who", async () => {
    const client = h.client();
    const email = await signUp(client);
    const { sessionsRevoked } = await admin().deactivate(email, { by: "ops@example.com" });
    expect(sessionsRevoked).toBe(1);
    expect((await client.get("/me")).status).toBe(401);
    // A disabled account answers like a wrong password (no account enumeration).
    expectCode(
      await h.client().post("/login", { identity: email, password: PASSWORD }),
      401,
      "INVALID_CREDENTIALS",
    );
    await admin().activate(email);
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
    const user = await admin().findUser(email);
    const events = await h.auth.api.events({ userId: user!.id, type: "user.deactivated" });
    expect(events[0]?.detail).toMatchObject({ by: "ops@example.com", sessionsRevoked: 1 });
  });

  it("locks and unlocks an account: a locked one signs in nowhere, its sessions stay", async () => {
    const client = h.client();
    const email = await signUp(client);
    const lock = await admin().lock(email, { reason: "reported stolen", by: "ops" });
    expect(lock).toMatchObject({ reason: "reported stolen" });
    expect((await client.get("/me")).status).toBe(200);
    expectCode(
      await h.client().post("/login", { identity: email, password: PASSWORD }),
      401,
      "INVALID_CREDENTIALS",
    );
    await admin().unlock(email, { by: "ops" });
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
    const user = await admin().findUser(email);
    expect(await eventTypes(h, user!.id)).toEqual(
      expect.arrayContaining(["account.locked", "account.unlocked"]),
    );
  });

  it("sets a password: the old one stops working and every session ends", async () => {
    const client = h.client();
    const email = await signUp(client);
    const { sessionsRevoked } = await admin().setPassword(email, NEW_PASSWORD);
    expect(sessionsRevoked).toBe(1);
    expect((await client.get("/me")).status).toBe(401);
    expectCode(
      await h.client().post("/login", { identity: email, password: PASSWORD }),
      401,
      "INVALID_CREDENTIALS",
    );
    expect(
      (await h.client().post("/login", { identity: email, password: NEW_PASSWORD })).status,
    ).toBe(200);
    const user = await admin().findUser(email);
    expect(await eventTypes(h, user!.id)).toContain("account.password-set");
  });

  it("lists and deletes a key, saying when that strands the account", async () => {
    const client = h.client();
    const email = uniqueEmail("admin-keys");
    const signedUp = await client.post("/register", { email });
    expect(signedUp.status, JSON.stringify(signedUp.body)).toBe(201);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, key, { name: "Only key", usage: "first" })).status).toBe(201);
    const keys = await admin().listKeys(email);
    expect(keys.map((k) => k.name)).toEqual(["Only key"]);
    const unknownKey = await refusal(admin().deleteKey(email, { name: "No such key" }));
    expect(unknownKey.code).toBe("WEBAUTHN_CREDENTIAL_NOT_FOUND");
    const removed = await admin().deleteKey(email, { name: "Only key" });
    expect(removed).toMatchObject({ deleted: { name: "Only key" }, stranded: true });
    expect(await admin().listKeys(email)).toEqual([]);
    const signIn = await signInWithKey(h.client(), key);
    expect(signIn.status).toBe(400);
  });

  it("resets second factors, keeping keys", async () => {
    const client = h.client();
    const email = await signUp(client);
    await enrolTotp(h, client);
    const reset = await admin().resetSecondFactors(email, { by: "ops" });
    expect(reset.methods).toEqual(["totp"]);
    expect(reset.recoveryCodesDeleted).toBeGreaterThan(0);
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).not.toHaveProperty("twoFactorRequired");
  });

  it("resets a password account's access and mails a reset link that lets only the owner back in", async () => {
    const client = h.client();
    const email = await signUp(client);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    await registerFirstKeyAndSignIn(client, key, { name: "Laptop" });
    await enrolTotp(h, client);
    const mark = box.mark();

    const reset = await admin().resetAccess(email, { by: "ops" });
    expect(reset).toMatchObject({
      keysRemoved: 1,
      methods: ["totp"],
      passwordRemoved: true,
      linkSent: "reset-password",
    });
    expect(reset.sessionsRevoked).toBeGreaterThanOrEqual(1);
    expect((await client.get("/me")).status).toBe(401);
    expect(await admin().listKeys(email)).toEqual([]);
    // Neither the old password nor the old key signs in.
    expectCode(
      await h.client().post("/login", { identity: email, password: PASSWORD }),
      401,
      "INVALID_CREDENTIALS",
    );
    expect((await signInWithKey(h.client(), key)).status).toBe(400);

    const mail = await box.next(email, "access-reset", mark);
    expect(mail.text).toContain("choose a new password");
    const back = h.client();
    const done = await back.post("/reset-password/complete", {
      token: tokenOf(mail),
      password: NEW_PASSWORD,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    // No second factor is left to ask for: the new password alone signs in.
    expect((await back.get("/me")).status).toBe(200);
    const user = await admin().findUser(email);
    const events = await h.auth.api.events({ userId: user!.id, type: "account.access-reset" });
    expect(events[0]?.detail).toMatchObject({
      by: "ops",
      keysRemoved: 1,
      methods: ["totp"],
      passwordRemoved: true,
      link: "reset-password",
    });
  });

  it("resets a passwordless account's access with a recovery link that adds a new passkey", async () => {
    const client = h.client();
    const email = uniqueEmail("admin-passwordless");
    expect((await client.post("/register", { email })).status).toBe(201);
    const lost = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, lost, { name: "Lost", usage: "first" })).status).toBe(201);
    const mark = box.mark();

    const reset = await admin().resetAccess(email);
    expect(reset).toMatchObject({
      keysRemoved: 1,
      passwordRemoved: false,
      linkSent: "recover-account",
    });
    const mail = await box.next(email, "access-reset", mark);
    expect(mail.text).toContain("add a new passkey");
    const back = h.client();
    const recovered = await back.post("/recover-account/complete", { token: tokenOf(mail) });
    expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
    const replacement = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(back, replacement, { name: "New", usage: "first" })).status).toBe(
      201,
    );
    expect((await signInWithKey(h.client(), replacement)).status).toBe(200);
    expect((await signInWithKey(h.client(), lost)).status).toBe(400);
    // The link works once.
    expect(
      (await h.client().post("/recover-account/complete", { token: tokenOf(mail) })).status,
    ).toBe(400);
  });
});

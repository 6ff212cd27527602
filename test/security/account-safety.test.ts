import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithPasswordAndKey,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type Harness, startHarness, type TestClient } from "../helpers/harness.js";
import { errorCode, eventTypes, newUser } from "../helpers/two-factor.js";

/**
 * Account safety (#18): no change leaves an account without a way to sign in unless the user
 * confirmed exactly that; a second factor never disappears without saying so; the first
 * second factor of any kind comes with recovery codes; and the pages say in words how the
 * account signs in.
 */

const targets = await databaseTargets();

type Json = Record<string, unknown>;

describe.each(targets)("account safety on $name", (target) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(target, { accounts: { allowPasswordless: true } });
  });
  afterAll(async () => {
    await h.close();
  });

  const authenticator = () => new SoftwareAuthenticator({ origin: h.origin });

  /** A passwordless account, signed in on `client`. */
  async function passwordlessUser() {
    const client = h.client();
    const email = uniqueEmail("nopass");
    const created = await client.post<Json>("/register", { email });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const me = await client.get<{ user: { id: string } }>("/me");
    return { client, email, userId: me.body.user.id, created };
  }

  /** A passwordless account with one passkey, signed in with it (AAL2). */
  async function passkeyOnlyUser() {
    const user = await passwordlessUser();
    const key = authenticator();
    await registerFirstKeyAndSignIn(user.client, key, { name: "Only passkey" });
    return { ...user, key };
  }

  const keysOf = async (userId: string) =>
    (await h.store.credentials.listForUser(userId)).map((k) => k.name);

  async function deletedEvents(userId: string) {
    return (await h.store.events.list({ userId, type: "webauthn.deleted" })).map((e) => e.detail);
  }

  async function accountPage(client: TestClient) {
    const page = await client.get<string>("/account", { accept: "text/html" });
    expect(page.status).toBe(200);
    return page.body;
  }

  describe("a passwordless sign-up", () => {
    it("answers that the account must add its passkey next", async () => {
      const { created } = await passwordlessUser();
      expect(created.body).toMatchObject({ nextStep: "add-passkey" });
    });

    it("does not name a next step for an account with a password", async () => {
      const client = h.client();
      const created = await client.post<Json>("/register", {
        email: uniqueEmail(),
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      expect(created.body.nextStep).toBeUndefined();
    });

    it("goes from the sign-up form straight to adding a passkey, and says why", async () => {
      const browser = new FormBrowser(h);
      const posted = await browser.submit("/auth/register", "/auth/register", {
        email: uniqueEmail("form"),
        password: "",
      });
      expect(posted.status).toBe(303);
      expect(posted.headers.get("location")).toBe("/auth/register/passkey");
      const page = await browser.get("/auth/register/passkey");
      expect(page.status).toBe(200);
      expect(page.text).toContain('data-kw-form="add-key"');
      expect(page.text).toMatch(/no password/i);
      expect(page.text).toContain('name="usage" value="first"');
    });

    it("leaves the passkey page for the account page once the account can sign in", async () => {
      const browser = new FormBrowser(h);
      await browser.submit("/auth/register", "/auth/register", {
        email: uniqueEmail("form"),
        password: PASSWORD,
      });
      const page = await browser.get("/auth/register/passkey");
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toBe("/auth/account");
    });
  });

  describe("the last way to sign in", () => {
    it("refuses to delete the only passkey of an account without a password", async () => {
      const { client, userId } = await passkeyOnlyUser();
      const refused = await client.post<Json>("/wan-delete", { name: "Only passkey" });
      expect(refused.status).toBe(409);
      expect(errorCode(refused)).toBe("LAST_SIGN_IN_METHOD");
      expect(refused.body).toMatchObject({
        error: { details: { confirm: "last-sign-in-method" } },
      });
      expect(await keysOf(userId)).toEqual(["Only passkey"]);
      expect(await deletedEvents(userId)).toEqual([]);
      // The session that asked is untouched.
      expect((await client.get("/me")).status).toBe(200);
    });

    it("refuses a confirmation that names something else", async () => {
      const { client, userId } = await passkeyOnlyUser();
      const refused = await client.post<Json>("/wan-delete", {
        name: "Only passkey",
        confirm: "yes",
      });
      expect(refused.status).toBe(400);
      expect(await keysOf(userId)).toEqual(["Only passkey"]);
    });

    it("deletes it when the user confirms exactly that, and records it", async () => {
      const { client, userId } = await passkeyOnlyUser();
      const deleted = await client.post<Json>("/wan-delete", {
        name: "Only passkey",
        confirm: "last-sign-in-method",
      });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body).toMatchObject({ leftWithoutSignIn: true, signedOut: true });
      expect(await keysOf(userId)).toEqual([]);
      expect(await deletedEvents(userId)).toEqual([
        expect.objectContaining({ name: "Only passkey", leftWithoutSignIn: true }),
      ]);
    });

    it("deletes one of two passkeys without a confirmation", async () => {
      const { client, userId } = await passkeyOnlyUser();
      const second = await registerKey(client, authenticator(), { name: "Spare", usage: "first" });
      expect(second.status).toBe(201);
      const deleted = await client.post<Json>("/wan-delete", { name: "Spare" });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body).toMatchObject({ leftWithoutSignIn: false });
      expect(await keysOf(userId)).toEqual(["Only passkey"]);
    });

    it("deletes the only passkey of an account with a password without a confirmation", async () => {
      const { client, userId } = await newUser(h);
      await registerFirstKeyAndSignIn(client, authenticator(), { name: "Passkey" });
      const deleted = await client.post<Json>("/wan-delete", { name: "Passkey" });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body).toMatchObject({ leftWithoutSignIn: false });
      expect(await keysOf(userId)).toEqual([]);
    });

    it("refuses the form post without the confirmation and shows the page with the reason", async () => {
      const { client } = await passkeyOnlyUser();
      const browser = new FormBrowser(h);
      for (const [name, value] of client.cookies) browser.cookies.set(name, value);
      const page = await browser.get("/auth/account");
      // The delete form of the last way to sign in carries its specific confirmation.
      expect(page.text).toMatch(/name="confirm" value="last-sign-in-method"[^>]*required/);
      const key = (await h.store.credentials.listForUser((await me(client)).id))[0]!;
      const refused = await browser.submit("/auth/account", "/auth/wan-delete", { id: key.id });
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/only way to sign in/i);
      expect(await keysOf(key.userId)).toEqual(["Only passkey"]);
    });
  });

  describe("the account page says how the account signs in", () => {
    it("warns an account with no password and no passkey that it cannot sign in again", async () => {
      const { client } = await passwordlessUser();
      const text = await accountPage(client);
      expect(text).toMatch(/data-kw-sign-in="none"/);
      expect(text).toMatch(/no way to sign in again/i);
      expect(text).not.toMatch(/you sign in with passkeys/i);
    });

    it("says a passkey-only account signs in with its passkey", async () => {
      const { client } = await passkeyOnlyUser();
      const text = await accountPage(client);
      expect(text).toMatch(/data-kw-sign-in="passkeys"/);
      expect(text).toMatch(/You sign in with your passkey\./);
    });

    it("says a password account signs in with its password", async () => {
      const { client } = await newUser(h);
      const text = await accountPage(client);
      expect(text).toMatch(/data-kw-sign-in="password"/);
      expect(text).toMatch(/You sign in with your password\./);
    });
  });

  describe("the only second-factor key", () => {
    async function userWithSecondFactorKey() {
      const user = await newUser(h);
      const key = authenticator();
      const registered = await registerKey(user.client, key, { name: "2fa", usage: "secondary" });
      expect(registered.status, JSON.stringify(registered.body)).toBe(201);
      await signInWithPasswordAndKey(user.client, user.email, key);
      return { ...user, key, registered };
    }

    it("issues recovery codes with the first second-factor key, shown once", async () => {
      const { userId, registered } = await userWithSecondFactorKey();
      const codes = registered.body.recoveryCodes as string[];
      expect(codes).toHaveLength(h.auth.config.twoFactor.recoveryCodes);
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(codes.length);
      expect(await eventTypes(h, userId)).toContain("two-factor.recovery-codes-generated");
    });

    it("signs in with one of those codes in place of the key", async () => {
      const { email, registered } = await userWithSecondFactorKey();
      const client = h.client();
      const login = await client.post<Json>("/login", { identity: email, password: PASSWORD });
      expect(login.body).toMatchObject({ twoFactorRequired: true });
      expect(login.body.methods).toContain("recovery");
      const done = await client.post<Json>("/mf-recovery", {
        state: login.body.state,
        code: (registered.body.recoveryCodes as string[])[0],
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ session: { aal: 2 } });
    });

    it("issues no new codes with a second key while codes are left", async () => {
      const { client, userId } = await userWithSecondFactorKey();
      const before = await h.store.recoveryCodes.countUnused(userId);
      const another = await registerKey(client, authenticator(), {
        name: "spare",
        usage: "secondary",
      });
      expect(another.status).toBe(201);
      expect(another.body.recoveryCodes).toBeUndefined();
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(before);
    });

    it("says that deleting it turns two-step verification off, and records it", async () => {
      const { client, userId } = await userWithSecondFactorKey();
      const text = await accountPage(client);
      expect(text).toMatch(/only second factor: two-step verification will be turned off/i);
      const deleted = await client.post<Json>("/wan-delete", { name: "2fa" });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body).toMatchObject({ twoFactorDisabled: true });
      const disabled = await h.store.events.list({ userId, type: "two-factor.disabled" });
      expect(disabled.map((e) => e.detail)).toEqual([
        expect.objectContaining({ methods: ["webauthn"] }),
      ]);
      expect(await deletedEvents(userId)).toEqual([
        expect.objectContaining({ twoFactorDisabled: true }),
      ]);
      // Codes that recovered the factor recover nothing now (as when an app is turned off).
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(0);
      const status = await h.client().post<Json>("/login", {
        identity: (await h.store.users.byId(userId))!.email,
        password: PASSWORD,
      });
      expect(status.body.twoFactorRequired).toBeUndefined();
    });

    it("does not say so for one of two second-factor keys", async () => {
      const { client, userId } = await userWithSecondFactorKey();
      await registerKey(client, authenticator(), { name: "spare", usage: "secondary" });
      const deleted = await client.post<Json>("/wan-delete", { name: "spare" });
      expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
      expect(deleted.body).toMatchObject({ twoFactorDisabled: false });
      expect((await h.store.events.list({ userId, type: "two-factor.disabled" })).length).toBe(0);
    });
  });

  describe("where a new key lives", () => {
    it("asks for a roaming passkey by default and leaves a second factor's place open", async () => {
      const { client } = await newUser(h);
      const first = await client.post<{ options: Json }>("/wan-register", { usage: "first" });
      expect(first.body.options.authenticatorSelection).toMatchObject({
        authenticatorAttachment: "cross-platform",
      });
      const text = await accountPage(client);
      // The page pre-selects what WebauthnUtil would ask for: cross-platform for passkeys.
      expect(text).toMatch(/value="cross-platform" checked/);
      expect(text).not.toMatch(/value="platform" checked/);
      expect(text).toContain('data-kw-default-first="cross-platform"');
      expect(text).toContain('data-kw-default-secondary=""');
      // A platform key as the only second factor is warned about before it is added.
      expect(text).toMatch(/data-kw-warn="platform-second-factor"/);
    });
  });

  async function me(client: TestClient) {
    return (await client.get<{ user: { id: string } }>("/me")).body.user;
  }
});

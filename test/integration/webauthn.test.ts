import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  signInWithPasswordAndKey,
  signUp,
  startKeyRegistration,
  startKeySignin,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("WebAuthn keys on $name", (target) => {
  const h = useHarness(target);

  const newAuthenticator = (
    options: Partial<ConstructorParameters<typeof SoftwareAuthenticator>[0]> = {},
  ) => new SoftwareAuthenticator({ origin: h.origin, ...options });

  async function userWithKey(usage: "first" | "secondary" = "first", options = {}) {
    const client = h.client();
    const email = await signUp(client);
    const me = await client.get<{ user: { id: string } }>("/me");
    const authenticator = newAuthenticator(options);
    const reg = await registerKey(client, authenticator, { name: "My key", usage });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    // A first second-factor key brings recovery codes (#18); these tests are about the key alone.
    if (usage === "secondary") await h.store.recoveryCodes.deleteForUser(me.body.user.id);
    return { client, email, userId: me.body.user.id, authenticator };
  }

  /**
   * Like userWithKey("first"), then signed in with that key on the same client: an AAL2
   * session, which further key changes need once the account has a first key.
   */
  async function userSignedInWithKey(options = {}) {
    const client = h.client();
    const email = await signUp(client);
    const me = await client.get<{ user: { id: string } }>("/me");
    const authenticator = newAuthenticator(options);
    await registerFirstKeyAndSignIn(client, authenticator, { name: "My key" });
    return { client, email, userId: me.body.user.id, authenticator };
  }

  const sessionCookieSet = (headers: Headers) =>
    headers
      .getSetCookie()
      .some((line) => line.startsWith("keyward_session=") && !line.includes("Max-Age=0"));

  it("registers first and secondary keys and stores everything about them", async () => {
    const client = h.client();
    await signUp(client);
    const me = await client.get<{ user: { id: string } }>("/me");
    const platform = newAuthenticator({
      backupEligible: true,
      backupState: true,
      aaguid: "adce0002-35bc-c60a-648b-0b25f1f05503",
    });
    // Signing in with it (AAL2) lets the session add the YubiKey; counter 0 as a synced
    // passkey reports it, so the stored sign count stays what registration set.
    const first = await registerFirstKeyAndSignIn(
      client,
      platform,
      { name: "  Laptop\u0007 passkey " },
      { counter: 0 },
    );
    expect(first.status).toBe(201);
    expect(first.body.credential).toMatchObject({
      name: "Laptop passkey",
      usage: "first",
      synced: true,
      deviceType: "multiDevice",
    });

    const usb = newAuthenticator({
      transports: ["usb"],
      attestation: "packed",
      algorithm: "EdDSA",
    });
    const second = await registerKey(client, usb, { name: "YubiKey", usage: "secondary" });
    expect(second.status).toBe(201);

    const stored = await h.store.credentials.listForUser(me.body.user.id);
    expect(stored).toHaveLength(2);
    const [laptop, yubikey] = stored;
    expect(laptop).toMatchObject({
      credentialId: first.credential.id,
      usage: "first",
      aaguid: "adce0002-35bc-c60a-648b-0b25f1f05503",
      attestationFormat: "none",
      backupEligible: true,
      backupState: true,
      transports: ["internal"],
      signCount: 0,
    });
    expect(yubikey).toMatchObject({
      usage: "secondary",
      attestationFormat: "packed",
      transports: ["usb"],
      deviceType: "singleDevice",
    });

    const list = await client.get<{ credentials: { name: string }[] }>("/wan-credentials");
    expect(list.body.credentials.map((c) => c.name)).toEqual(["Laptop passkey", "YubiKey"]);
  });

  it("asks first keys for cross-platform + UV preferred and secondary keys for UV discouraged, excluding existing keys", async () => {
    const { client, authenticator } = await userSignedInWithKey();
    const firstOptions = await startKeyRegistration(client, { name: "Another", usage: "first" });
    expect(firstOptions.options.authenticatorSelection).toMatchObject({
      authenticatorAttachment: "cross-platform",
      userVerification: "preferred",
      residentKey: "preferred",
    });
    expect(firstOptions.options.excludeCredentials?.map((c) => c.id)).toEqual([
      authenticator.credentials[0]!.id,
    ]);
    const secondOptions = await startKeyRegistration(client, {
      name: "Second",
      usage: "secondary",
    });
    expect(secondOptions.options.authenticatorSelection).toMatchObject({
      userVerification: "discouraged",
    });
    expect(secondOptions.options.user.id).toBe(firstOptions.options.user.id);
  });

  it("signs in usernameless with a first key that verified the user: AAL2, no second factor", async () => {
    const { authenticator, userId } = await userWithKey("first");
    const visitor = h.client();
    const result = await signInWithKey(visitor, authenticator);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.body.session).toMatchObject({ aal: 2, uv: true });
    expect((result.body.session as { amr: string[] }).amr).toEqual(
      expect.arrayContaining(["hwk", "mfa"]),
    );
    expect((await visitor.get("/me")).body.user).toMatchObject({ id: userId });
    const [key] = await h.store.credentials.listForUser(userId);
    expect(key!.signCount).toBe(1);
    expect(key!.lastUsedAt).not.toBeNull();
  });

  it("lists only that user's first keys when signing in with an identity", async () => {
    const { client, email, authenticator } = await userSignedInWithKey();
    await registerKey(client, newAuthenticator(), { name: "Backup", usage: "secondary" });
    const start = await startKeySignin(h.client(), { identity: email });
    expect(start.options.allowCredentials?.map((c) => c.id)).toEqual([
      authenticator.credentials[0]!.id,
    ]);
    const result = await signInWithKey(h.client(), authenticator, { identity: email });
    expect(result.status).toBe(200);
  });

  it("falls back to the second factor when the first key did not verify the user", async () => {
    // The security key first, from the password session (the account's first factor), then
    // the first key from a password + security key (AAL2) session: a first key that cannot
    // verify the user never yields the AAL2 session that adding the security key after it needs.
    const client = h.client();
    const email = await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const securityKey = newAuthenticator({ userVerification: false, transports: ["usb"] });
    expect(
      (await registerKey(client, securityKey, { name: "Security key", usage: "secondary" })).status,
    ).toBe(201);
    // The key's recovery codes (#18) are not what this test is about.
    await h.store.recoveryCodes.deleteForUser(userId);
    await signInWithPasswordAndKey(client, email, securityKey);
    const authenticator = newAuthenticator({ userVerification: false });
    const reg = await registerKey(client, authenticator, { name: "My key", usage: "first" });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);

    const visitor = h.client();
    const first = await signInWithKey(visitor, authenticator);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ twoFactorRequired: true, methods: ["webauthn"] });
    expect(sessionCookieSet(first.headers)).toBe(false);
    expect((await visitor.get("/me")).status).toBe(401);

    const second = await signInWithKey(visitor, securityKey, {
      secondFactorState: first.body.state,
    });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.session).toMatchObject({ aal: 2 });
    expect((await visitor.get("/me")).body.user).toMatchObject({ id: userId });
  });

  it("gives an AAL1 session for a first key without UV when the user has no second factor", async () => {
    const { authenticator } = await userWithKey("first", { userVerification: false });
    const result = await signInWithKey(h.client(), authenticator);
    expect(result.body.session).toMatchObject({ aal: 1, uv: false });
  });

  it("password then a secondary key: AAL2 with pwd and hwk", async () => {
    const { email, authenticator } = await userWithKey("secondary", {
      userVerification: false,
      transports: ["usb"],
    });
    const visitor = h.client();
    const login = await visitor.post("/login", { identity: email, password: PASSWORD });
    expect(login.body).toMatchObject({ twoFactorRequired: true, methods: ["webauthn"] });
    expect(sessionCookieSet(login.headers)).toBe(false);
    const start = await startKeySignin(visitor, { secondFactorState: login.body.state });
    expect(start.options.userVerification).toBe("discouraged");
    const done = await signInWithKey(visitor, authenticator, {
      secondFactorState: login.body.state,
    });
    expect(done.body.session).toMatchObject({ aal: 2 });
    expect((done.body.session as { amr: string[] }).amr).toEqual(["pwd", "hwk"]);
  });

  it("never accepts a secondary key as a first factor", async () => {
    // Even a discoverable secondary key, offered without allowCredentials, is refused.
    const { authenticator } = await userWithKey("secondary", { discoverable: true });
    const visitor = h.client();
    const result = await signInWithKey(visitor, authenticator);
    expect(result.status).toBe(403);
    expect(result.body).toMatchObject({ error: { code: "WEBAUTHN_USAGE_NOT_ALLOWED" } });
    expect(sessionCookieSet(result.headers)).toBe(false);
  });

  it("verify marks the session fresh with the user's own key", async () => {
    const { client, authenticator } = await userWithKey("first");
    h.clock.advance(11 * 60_000);
    expect((await client.get("/me")).body.session).toMatchObject({ fresh: false });
    const start = await client.post<{ options: never; state: string }>("/wan-verify", {});
    const credential = await authenticator.authenticate(start.body.options);
    const done = await client.post("/wan-verify-response", { state: start.body.state, credential });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ fresh: true });
  });

  it("refuses another user's key in verify (GHSA-f66q-9rf6-8795) and leaves the session stale", async () => {
    const victim = await userWithKey("first");
    const attacker = await userWithKey("first");
    h.clock.advance(11 * 60_000);
    const start = await victim.client.post<{ options: never; state: string }>("/wan-verify", {});
    // The attacker's authenticator answers with the attacker's own key.
    const credential = await attacker.authenticator.authenticate({
      ...(start.body.options as object),
      allowCredentials: [],
    } as never);
    const done = await victim.client.post("/wan-verify-response", {
      state: start.body.state,
      credential,
    });
    expect(done.status).toBe(400);
    expect(done.body).toMatchObject({ error: { code: "WEBAUTHN_UNKNOWN_CREDENTIAL" } });
    expect((await victim.client.get("/me")).body.session).toMatchObject({ fresh: false });
  });

  it("renames and deletes keys only with a fresh session; a deleted key cannot sign in", async () => {
    const { client, authenticator, userId } = await userSignedInWithKey();
    const renamed = await client.post("/wan-rename", { name: "My key", newName: "Work key" });
    expect(renamed.body.credential).toMatchObject({ name: "Work key" });
    h.clock.advance(11 * 60_000);
    const stale = await client.post("/wan-delete", { name: "Work key" });
    expect(stale.body).toMatchObject({ error: { code: "FRESHNESS_REQUIRED" } });
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
    await client.post("/verify", { password: PASSWORD });
    const deleted = await client.post("/wan-delete", { name: "Work key" });
    expect(deleted.status).toBe(200);
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(0);
    const attempt = await signInWithKey(h.client(), authenticator);
    expect(attempt.body).toMatchObject({ error: { code: "WEBAUTHN_UNKNOWN_CREDENTIAL" } });
    const events = await h.store.events.list({ userId, type: "webauthn.deleted" });
    expect(events).toHaveLength(1);
  });

  it("refuses a name already used by the same user", async () => {
    const { client } = await userSignedInWithKey();
    const again = await client.post("/wan-register", {
      name: "my key".replace("my", "My"),
      usage: "first",
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "WEBAUTHN_NAME_TAKEN" } });
    const blank = await client.post("/wan-register", { name: " \u200b ", usage: "first" });
    expect(blank.body).toMatchObject({ error: { code: "WEBAUTHN_NAME_INVALID" } });
  });

  it("registers and signs in with ES256, EdDSA and RS256 keys", async () => {
    for (const algorithm of ["ES256", "EdDSA", "RS256"] as const) {
      const client = h.client();
      await signUp(client);
      const authenticator = newAuthenticator({ algorithm, attestation: "packed" });
      expect(
        (await registerKey(client, authenticator, { name: algorithm, usage: "first" })).status,
      ).toBe(201);
      const result = await signInWithKey(h.client(), authenticator);
      expect(result.status, `${algorithm}: ${JSON.stringify(result.body)}`).toBe(200);
    }
  });

  it("requires a fresh session to start a registration", async () => {
    const client = h.client();
    await signUp(client);
    h.clock.advance(11 * 60_000);
    const result = await client.post("/wan-register", { name: "Late", usage: "first" });
    expect(result.body).toMatchObject({ error: { code: "FRESHNESS_REQUIRED" } });
  });

  describe("ceremony state", () => {
    it("refuses a replayed sign-in state", async () => {
      const { authenticator } = await userWithKey("first");
      const visitor = h.client();
      const { options, state } = await startKeySignin(visitor);
      const credential = await authenticator.authenticate(options);
      expect((await visitor.post("/wan-signin-response", { state, credential })).status).toBe(200);
      const again = await h.client().post("/wan-signin-response", { state, credential });
      expect(again.body).toMatchObject({ error: { code: "STATE_INVALID" } });
      expect(sessionCookieSet(again.headers)).toBe(false);
    });

    it("refuses an expired sign-in state", async () => {
      const { authenticator } = await userWithKey("first");
      const visitor = h.client();
      const { options, state } = await startKeySignin(visitor);
      const credential = await authenticator.authenticate(options);
      h.clock.advance(5 * 60_000 + 1);
      const late = await visitor.post("/wan-signin-response", { state, credential });
      expect(late.body).toMatchObject({ error: { code: "STATE_EXPIRED" } });
    });

    it("never completes a sign-in with a registration state", async () => {
      const { client, authenticator } = await userSignedInWithKey();
      const reg = await startKeyRegistration(client, { name: "Other", usage: "first" });
      const signin = await startKeySignin(h.client());
      const credential = await authenticator.authenticate({
        ...signin.options,
        challenge: reg.options.challenge,
      });
      const result = await h
        .client()
        .post("/wan-signin-response", { state: reg.state, credential });
      expect(result.body).toMatchObject({ error: { code: "STATE_INVALID" } });
    });

    it("refuses a registration state used by another user's session", async () => {
      const alice = await userSignedInWithKey();
      const bob = h.client();
      await signUp(bob);
      const { options, state } = await startKeyRegistration(alice.client, {
        name: "Extra",
        usage: "first",
      });
      const credential = await newAuthenticator().register(options);
      const stolen = await bob.post("/wan-register-response", { state, credential });
      expect(stolen.body).toMatchObject({ error: { code: "STATE_INVALID" } });
      // The state was not spent by the refused attempt: its owner can still finish.
      const own = await alice.client.post("/wan-register-response", { state, credential });
      expect(own.status).toBe(201);
    });

    it("lets exactly one of two concurrent completions of one state win", async () => {
      const { authenticator } = await userWithKey("first");
      const { options, state } = await startKeySignin(h.client());
      const credential = await authenticator.authenticate(options);
      const racers = await Promise.all(
        Array.from({ length: 6 }, () =>
          h.client().post("/wan-signin-response", { state, credential }),
        ),
      );
      expect(racers.filter((r) => r.status === 200)).toHaveLength(1);
      expect(
        racers
          .filter((r) => r.status !== 200)
          .every((r) => (r.body as { error: { code: string } }).error.code === "STATE_INVALID"),
      ).toBe(true);
    });
  });

  describe("refused responses change nothing", () => {
    async function refusedSignin(
      overrides: Parameters<SoftwareAuthenticator["authenticate"]>[1],
      expectedCode: string,
    ) {
      const { authenticator, userId } = await userWithKey("first");
      const before = await h.store.credentials.listForUser(userId);
      const visitor = h.client();
      const result = await signInWithKey(visitor, authenticator, {}, overrides);
      expect(result.status).toBeGreaterThanOrEqual(400);
      expect(result.status).toBeLessThan(500);
      expect(result.body).toMatchObject({ error: { code: expectedCode } });
      expect(sessionCookieSet(result.headers)).toBe(false);
      expect(await h.store.credentials.listForUser(userId)).toEqual(before);
      expect(await h.store.events.list({ userId, type: "webauthn.signin" })).toHaveLength(0);
    }

    it("wrong origin", () =>
      refusedSignin({ origin: "https://evil.example" }, "WEBAUTHN_VERIFICATION_FAILED"));
    it("wrong RP ID", () =>
      refusedSignin({ rpId: "evil.example" }, "WEBAUTHN_VERIFICATION_FAILED"));
    it("missing user presence", () =>
      refusedSignin({ flags: { up: false } }, "WEBAUTHN_VERIFICATION_FAILED"));
    it("tampered signature", () =>
      refusedSignin({ tamperSignature: true }, "WEBAUTHN_VERIFICATION_FAILED"));
    it("a cross-origin iframe", () =>
      refusedSignin({ crossOrigin: true }, "WEBAUTHN_VERIFICATION_FAILED"));
    it("a userHandle of another user", async () => {
      const other = await userWithKey("first");
      const handle = other.authenticator.credentials[0]!.userHandle;
      await refusedSignin({ userHandle: handle }, "WEBAUTHN_USER_HANDLE_MISMATCH");
    });
    it("a claimed credential id that is not the signing key", async () => {
      const other = await userWithKey("first");
      await refusedSignin(
        { responseCredentialId: other.authenticator.credentials[0]!.id },
        "WEBAUTHN_USER_HANDLE_MISMATCH",
      );
    });

    it("an unknown credential", async () => {
      const stranger = newAuthenticator();
      const client = h.client();
      await signUp(client);
      // Registered on no server: make a credential the server never saw.
      const { options } = await startKeyRegistration(client, {
        name: "never finished",
        usage: "first",
      });
      await stranger.register(options);
      const result = await signInWithKey(h.client(), stranger);
      expect(result.body).toMatchObject({ error: { code: "WEBAUTHN_UNKNOWN_CREDENTIAL" } });
    });

    it("a credential id registered twice", async () => {
      const alice = await userWithKey("first");
      const bob = h.client();
      await signUp(bob);
      const id = alice.authenticator.credentials[0]!.id;
      const dup = await registerKey(
        bob,
        newAuthenticator(),
        { name: "Dup", usage: "first" },
        { credentialId: id },
      );
      expect(dup.status).toBe(409);
      expect(dup.body).toMatchObject({ error: { code: "WEBAUTHN_CREDENTIAL_EXISTS" } });
      const bobId = (await bob.get<{ user: { id: string } }>("/me")).body.user.id;
      expect(await h.store.credentials.listForUser(bobId)).toHaveLength(0);
    });

    it("a registration from the wrong origin", async () => {
      const client = h.client();
      await signUp(client);
      const result = await registerKey(
        client,
        newAuthenticator(),
        { name: "Evil", usage: "first" },
        { origin: "https://evil.example" },
      );
      expect(result.body).toMatchObject({ error: { code: "WEBAUTHN_VERIFICATION_FAILED" } });
      const id = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
      expect(await h.store.credentials.listForUser(id)).toHaveLength(0);
    });
  });

  it("flags a sign-count regression and emits an event, accepting by default", async () => {
    const { authenticator, userId } = await userWithKey("first");
    expect((await signInWithKey(h.client(), authenticator)).status).toBe(200);
    expect((await signInWithKey(h.client(), authenticator)).status).toBe(200);
    const cloned = await signInWithKey(h.client(), authenticator, {}, { counter: 1 });
    expect(cloned.status).toBe(200);
    const [key] = await h.store.credentials.listForUser(userId);
    expect(key!.flags).toContain("counter-regression");
    expect(key!.signCount).toBe(2);
    const events = await h.store.events.list({ userId, type: "webauthn.counter-regression" });
    expect(events[0]!.detail).toMatchObject({ stored: 2, received: 1 });
  });

  it("accepts synced passkeys whose counter stays zero", async () => {
    const { authenticator } = await userWithKey("first", {
      counter: "zero",
      backupEligible: true,
      backupState: true,
    });
    expect((await signInWithKey(h.client(), authenticator)).status).toBe(200);
    expect((await signInWithKey(h.client(), authenticator)).status).toBe(200);
  });
});

describe.each(targets)("WebAuthn policy options on $name", (target) => {
  it("rejects a counter regression when counterPolicy is reject", async () => {
    const h = await startHarness(target, { webauthn: { counterPolicy: "reject" } });
    try {
      const client = h.client();
      await signUp(client);
      const authenticator = new SoftwareAuthenticator({ origin: h.origin });
      await registerKey(client, authenticator, { name: "k", usage: "first" });
      await signInWithKey(h.client(), authenticator);
      const cloned = await signInWithKey(h.client(), authenticator, {}, { counter: 1 });
      expect(cloned.body).toMatchObject({ error: { code: "WEBAUTHN_COUNTER_REGRESSION" } });
    } finally {
      await h.close();
    }
  });

  it("ignores the identity without user hints, so known and unknown accounts look alike", async () => {
    const h = await startHarness(target, { webauthn: { allowUserHints: false } });
    try {
      const client = h.client();
      const email = await signUp(client);
      await registerFirstKeyAndSignIn(client, new SoftwareAuthenticator({ origin: h.origin }), {
        name: "k",
      });
      const known = await startKeySignin(h.client(), { identity: email });
      const unknown = await startKeySignin(h.client(), { identity: uniqueEmail("ghost") });
      expect(known.options.allowCredentials ?? []).toEqual([]);
      expect(Object.keys(known.options).sort()).toEqual(Object.keys(unknown.options).sort());
      const reg = await startKeyRegistration(client, { name: "k2", usage: "first" });
      expect(reg.options.authenticatorSelection?.residentKey).toBe("required");
    } finally {
      await h.close();
    }
  });
});

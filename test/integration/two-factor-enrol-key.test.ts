import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import { type RegistrationOverrides, SoftwareAuthenticator } from "../../src/testing/index.js";
import { bearer, expectToken, meWith, tokenLogin } from "../helpers/bearer.js";
import { registerKey, signInWithPasswordAndKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import type { Harness, HttpResult, TestClient } from "../helpers/harness.js";
import { useHarness } from "../helpers/harness.js";
import {
  enrolTotp,
  errorCode,
  newUser,
  passwordStep,
  secretOf,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

type Json = Record<string, unknown>;

interface SessionBody {
  session: { aal: number; amr: string[] };
}

interface Held {
  client: TestClient;
  email: string;
  userId: string;
  /** The pending state of the sign-in held back for enrolment. */
  state: string;
}

/** A user without a second factor, signed in with the password on a fresh client: held back. */
async function heldBack(h: Harness): Promise<Held> {
  const { client: first, email, userId } = await newUser(h);
  await first.post("/logout");
  const { client, pending } = await passwordStep(h, email);
  expect(pending).toMatchObject({ methods: [], setupRequired: true });
  return { client, email, userId, state: pending.state };
}

/**
 * A user whose passkey (user-verifying, `first`) reaches AAL2 on its own, signed in with the
 * password alone on a fresh client: the sign-in a password must not turn into a new factor.
 */
async function passkeyUserAfterPassword(h: Harness) {
  const { client: first, email, userId } = await newUser(h);
  const passkey = new SoftwareAuthenticator({ origin: h.origin, userVerification: true });
  const added = await registerKey(first, passkey, { name: "Passkey", usage: "first" });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  await first.post("/logout");
  const { client, pending } = await passwordStep(h, email);
  return { client, userId, state: pending.state };
}

/** POST /wan-register with the pending state: the key ceremony's options and its state. */
async function startEnrolment(
  client: TestClient,
  state: string,
  usage: "first" | "secondary" = "secondary",
) {
  return client.post<{ options: PublicKeyCredentialCreationOptionsJSON; state: string }>(
    "/wan-register",
    { state, usage },
  );
}

/** The whole enrolment: options, the authenticator's response, and the finish. */
async function enrolKey(
  client: TestClient,
  state: string,
  key: SoftwareAuthenticator,
  overrides?: RegistrationOverrides,
): Promise<HttpResult<Json>> {
  const start = await startEnrolment(client, state);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  const credential = await key.register(start.body.options, overrides);
  return client.post("/wan-register-response", { state: start.body.state, credential });
}

/** What the refused attempt left: no key, no session, no sign-in recorded. */
async function expectNothingWritten(h: Harness, held: Held): Promise<void> {
  expect(await h.store.credentials.listForUser(held.userId)).toEqual([]);
  expect(await h.store.events.list({ userId: held.userId, type: "webauthn.registered" })).toEqual(
    [],
  );
  expect(held.client.cookies.has("keyward_session")).toBe(false);
}

describe.each(targets)("a key enrolled at a sign-in held back for enrolment on $name", (target) => {
  const h = useHarness(target, {
    twoFactor: { required: true, methods: ["webauthn", "totp"] },
    webauthn: { allowAsFirstFactor: true, allowAsMultiFactor: true },
  });
  const key = () => new SoftwareAuthenticator({ origin: h.origin });

  it("stores a security key and completes the sign-in at AAL2 with it, once", async () => {
    const held = await heldBack(h);
    const securityKey = key();
    const done = await enrolKey(held.client, held.state, securityKey);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((done.body as unknown as SessionBody).session).toMatchObject({
      aal: 2,
      amr: ["pwd", "hwk"],
    });
    const me = await held.client.get<SessionBody>("/me");
    expect(me.body.session.aal).toBe(2);

    const keys = await h.store.credentials.listForUser(held.userId);
    expect(keys.map((k) => k.usage)).toEqual(["secondary"]);
    const [session] = await h.store.sessions.listForUser(held.userId);
    expect(session?.earnedBy).toEqual({ first: "pwd", second: `key:${keys[0]!.id}` });
    const registered = await h.store.events.list({
      userId: held.userId,
      type: "webauthn.registered",
    });
    expect(registered).toHaveLength(1);
    const logins = await h.store.events.list({ userId: held.userId, type: "user.login" });
    expect(logins.map((e) => e.detail)).toContainEqual({
      method: "password",
      factors: ["pwd", "hwk"],
      aal: 2,
      secondFactor: "webauthn",
    });

    // The held-back sign-in is spent: neither a key nor a code enrols with it again.
    const again = await startEnrolment(held.client, held.state);
    expect(errorCode(again)).toBe("STATE_INVALID");
    const code = await held.client.post("/tf-setup", { state: held.state, method: "totp" });
    expect(errorCode(code)).toBe("STATE_INVALID");

    // The key is now the account's second factor.
    await held.client.post("/logout");
    await signInWithPasswordAndKey(h.client(), held.email, securityKey);
  });

  it("refuses a replayed finish: the registration state and the response are spent", async () => {
    const held = await heldBack(h);
    const start = await startEnrolment(held.client, held.state);
    const credential = await key().register(start.body.options);
    const body = { state: start.body.state, credential };
    const done = await held.client.post("/wan-register-response", body);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const replay = await held.client.post("/wan-register-response", body);
    expect(replay.status).toBe(400);
    expect(errorCode(replay)).toBe("STATE_INVALID");
    expect(await h.store.credentials.listForUser(held.userId)).toHaveLength(1);
    expect(await h.store.events.list({ userId: held.userId, type: "user.login" })).toHaveLength(
      2, // the sign-up's and this sign-in's
    );
  });

  it("is refused to a client that does not hold the pending sign-in, at both ends", async () => {
    const held = await heldBack(h);
    const stranger = h.client();
    const started = await startEnrolment(stranger, held.state);
    expect(started.status).toBe(400);
    expect(errorCode(started)).toBe("STATE_INVALID");

    // A registration state relayed to another client finishes nothing, and is not spent by it.
    const start = await startEnrolment(held.client, held.state);
    const credential = await key().register(start.body.options);
    const relayed = await stranger.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(errorCode(relayed)).toBe("STATE_INVALID");
    expect(stranger.cookies.has("keyward_session")).toBe(false);
    await expectNothingWritten(h, held);
    const done = await held.client.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  });

  it("never lets the pending sign-in of an account with a factor enrol a key", async () => {
    const { client: first, email, userId } = await newUser(h);
    await enrolTotp(h, first);
    await first.post("/logout");
    const { client, pending } = await passwordStep(h, email);
    expect(pending.methods).toContain("totp");
    const hijack = await startEnrolment(client, pending.state);
    expect(hijack.status).toBe(400);
    expect(errorCode(hijack)).toBe("STATE_INVALID");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });

  it("never lets a password alone add a key to an account a passkey takes to AAL2", async () => {
    const { client, userId, state } = await passkeyUserAfterPassword(h);
    const hijack = await startEnrolment(client, state);
    expect(errorCode(hijack)).toBe("STATE_INVALID");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("refuses a key enrolled after a factor was set up with the same sign-in", async () => {
    const held = await heldBack(h);
    const start = await startEnrolment(held.client, held.state);
    const credential = await key().register(start.body.options);
    // Meanwhile the held-back sign-in completes with an authenticator app.
    const totp = await held.client.post<{ state: string; otpauthUri: string }>("/tf-setup", {
      state: held.state,
      method: "totp",
    });
    expect(totp.status, JSON.stringify(totp.body)).toBe(200);
    const app = await held.client.post("/tf-setup-validate", {
      state: totp.body.state,
      code: await totpAt(secretOf(totp.body.otpauthUri), h.clock.now()),
    });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
    await held.client.post("/logout");
    const late = await held.client.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(late.status).toBe(400);
    expect(errorCode(late)).toBe("STATE_INVALID");
    expect(await h.store.credentials.listForUser(held.userId)).toEqual([]);
  });

  it("refuses an expired pending sign-in at both ends", async () => {
    const held = await heldBack(h);
    const start = await startEnrolment(held.client, held.state);
    const credential = await key().register(start.body.options);
    const pendingWithin = h.auth.config.twoFactor.pendingWithin;
    h.clock.advance(pendingWithin + 1_000);
    const finished = await held.client.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(finished.status).toBe(400);
    expect(["STATE_EXPIRED", "STATE_INVALID"]).toContain(errorCode(finished));
    const restarted = await startEnrolment(held.client, held.state);
    expect(restarted.status).toBe(400);
    expect(["STATE_EXPIRED", "STATE_INVALID"]).toContain(errorCode(restarted));
    await expectNothingWritten(h, held);
  });

  it("lets exactly one of two concurrent finishes complete the sign-in", async () => {
    const held = await heldBack(h);
    const starts = await Promise.all([
      startEnrolment(held.client, held.state),
      startEnrolment(held.client, held.state),
    ]);
    const finishes = await Promise.all(
      await Promise.all(
        starts.map(async (start) => ({
          state: start.body.state,
          credential: await key().register(start.body.options),
        })),
      ),
    );
    const results = await Promise.all(
      finishes.map((body) => held.client.post("/wan-register-response", body)),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses, JSON.stringify(results.map((r) => r.body))).toEqual([200, 400]);
    expect(results.map(errorCode).filter(Boolean)).toEqual(["STATE_INVALID"]);
    expect(await h.store.credentials.listForUser(held.userId)).toHaveLength(1);
    const sessions = await h.store.sessions.listForUser(held.userId);
    expect(sessions.filter((s) => s.aal === 2)).toHaveLength(1);
  });

  it("honours a lock placed while the key was being made", async () => {
    const held = await heldBack(h);
    const start = await startEnrolment(held.client, held.state);
    const credential = await key().register(start.body.options);
    await h.store.users.setLock(held.userId, { reason: "test", at: h.clock.now(), until: null });
    const locked = await held.client.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(errorCode(locked)).toBe("ACCOUNT_LOCKED");
    await expectNothingWritten(h, held);
    const restarted = await startEnrolment(held.client, held.state);
    expect(errorCode(restarted)).toBe("ACCOUNT_LOCKED");
  });

  it("refuses a key made without user presence, and leaves the sign-in to enrol another", async () => {
    const held = await heldBack(h);
    const absent = await enrolKey(held.client, held.state, key(), { flags: { up: false } });
    expect(absent.status).toBe(400);
    expect(errorCode(absent)).toBe("WEBAUTHN_VERIFICATION_FAILED");
    await expectNothingWritten(h, held);
    const done = await enrolKey(held.client, held.state, key());
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  });

  it("enrols a passkey only if it verifies its user, as it will sign in at AAL2 on its own", async () => {
    const held = await heldBack(h);
    const start = await startEnrolment(held.client, held.state, "first");
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    expect(start.body.options.authenticatorSelection?.userVerification).toBe("required");
    const withoutUv = await key().register(start.body.options, { flags: { uv: false } });
    const refused = await held.client.post("/wan-register-response", {
      state: start.body.state,
      credential: withoutUv,
    });
    expect(errorCode(refused)).toBe("WEBAUTHN_VERIFICATION_FAILED");
    await expectNothingWritten(h, held);
    const again = await startEnrolment(held.client, held.state, "first");
    const passkey = new SoftwareAuthenticator({ origin: h.origin, userVerification: true });
    const done = await held.client.post<SessionBody>("/wan-register-response", {
      state: again.body.state,
      credential: await passkey.register(again.body.options),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session.aal).toBe(2);
    const [stored] = await h.store.credentials.listForUser(held.userId);
    expect(stored).toMatchObject({ usage: "first", flags: ["user-verifying"] });
  });
});

describe.each(targets)("a key enrolled at sign-in by a bearer client on $name", (target) => {
  const h = useHarness(target, { session: { bearer: true }, twoFactor: { required: true } });

  it("enrols with the pending token, then answers the session's token", async () => {
    const { client: first, email, userId } = await newUser(h);
    await first.post("/logout");
    const app = h.client();
    const owed = await tokenLogin(app, email);
    expect(owed.body).toMatchObject({ setupRequired: true });
    const held = bearer(owed.pendingToken!);
    const start = await app.post<{
      options: PublicKeyCredentialCreationOptionsJSON;
      state: string;
    }>("/wan-register", { state: owed.state, usage: "secondary" }, held);
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const credential = await new SoftwareAuthenticator({ origin: h.origin }).register(
      start.body.options,
    );
    const body = { state: start.body.state, credential, session: "token" };
    // Another token, or none, does not hold this sign-in.
    const stolen = await h.client().post("/wan-register-response", body, bearer("x".repeat(43)));
    expect(errorCode(stolen)).toBe("STATE_INVALID");
    const done = await app.post("/wan-register-response", body, held);
    expect((await meWith(h, expectToken(done))).body).toMatchObject({
      user: { id: userId },
      session: { aal: 2, amr: ["pwd", "hwk"] },
    });
  });
});

describe.each(targets)(
  "enrolment at sign-in on an account a passkey takes to AAL2 on $name",
  (target) => {
    const h = useHarness(target, {
      twoFactor: { required: true, methods: ["webauthn", "totp"] },
      webauthn: { allowAsFirstFactor: true, allowAsMultiFactor: true },
    });

    it("lets a password alone set up no code factor either (/tf-setup with the pending state)", async () => {
      const { client, userId, state } = await passkeyUserAfterPassword(h);
      const setup = await client.post("/tf-setup", { state, method: "totp" });
      expect(setup.status).toBe(400);
      expect(errorCode(setup)).toBe("STATE_INVALID");
      expect((await h.store.secondFactors.get(userId))?.totpSecret).toBeNull();
    });
  },
);

import { describe, expect, it } from "vitest";
import type { KeywardEventMap } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, useHarness } from "../helpers/harness.js";
import { enrolTotp, newUser, passwordStep, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

/**
 * The detail of each `type` event of the user, oldest first. Events of one instant have the
 * store's order, so tests move the clock between the steps they compare.
 */
async function details<T extends keyof KeywardEventMap>(
  h: Harness,
  userId: string | null,
  type: T,
): Promise<KeywardEventMap[T][]> {
  const events = await h.auth.api.events({ type, limit: 1000, ...(userId ? { userId } : {}) });
  return events.map((event) => event.detail).reverse();
}

/** Issue #18 item 4: one event per sign-in whatever the way, per step-up, per refusal. */
describe.each(targets)("sign-in events on $name", (target) => {
  const h = useHarness(target);
  const newAuthenticator = () => new SoftwareAuthenticator({ origin: h.origin });

  it("records sign-up's own session as a sign-in of method sign-up", async () => {
    const { userId } = await newUser(h);
    expect(await details(h, userId, "user.login")).toEqual([
      { method: "sign-up", factors: ["pwd"], aal: 1, secondFactor: null },
    ]);
  });

  it("records exactly one user.login for a password sign-in", async () => {
    const { email, userId } = await newUser(h);
    h.clock.advance(1000);
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
    const logins = await details(h, userId, "user.login");
    expect(logins).toHaveLength(2);
    expect(logins[1]).toEqual({ method: "password", factors: ["pwd"], aal: 1, secondFactor: null });
  });

  it("records a passkey sign-in (usernameless) as user.login with its factors, beside webauthn.signin", async () => {
    const { client, userId } = await newUser(h);
    h.clock.advance(1000);
    const key = newAuthenticator();
    await registerFirstKeyAndSignIn(client, key, { name: "Passkey" });
    h.clock.advance(1000);
    const again = await signInWithKey(h.client(), key);
    expect(again.status).toBe(200);
    const logins = await details(h, userId, "user.login");
    // Sign-up, then the two passkey sign-ins.
    expect(logins).toHaveLength(3);
    for (const login of logins.slice(1)) {
      expect(login).toMatchObject({ method: "webauthn", aal: 2, secondFactor: null });
      expect(login.factors).toContain("mfa");
      expect(login.factors.some((amr) => amr === "hwk" || amr === "swk")).toBe(true);
    }
    expect(await details(h, userId, "webauthn.signin")).toHaveLength(2);
  });

  it("records password + second-factor key once, when the second factor completes", async () => {
    const { client, email, userId } = await newUser(h);
    h.clock.advance(1000);
    const key = newAuthenticator();
    const added = await registerKey(client, key, { name: "Security key", usage: "secondary" });
    expect(added.status).toBe(201);
    const { client: signIn, pending } = await passwordStep(h, email);
    // The first factor alone is no sign-in yet.
    expect(await details(h, userId, "user.login")).toHaveLength(1);
    const done = await signInWithKey(signIn, key, { secondFactorState: pending.state });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const logins = await details(h, userId, "user.login");
    expect(logins).toHaveLength(2);
    expect(logins[1]).toMatchObject({ method: "password", aal: 2, secondFactor: "webauthn" });
    expect(logins[1]!.factors[0]).toBe("pwd");
  });

  it("records password + TOTP, and password + recovery code, with the second factor's method", async () => {
    const { client, email, userId } = await newUser(h);
    const { secret, recoveryCodes } = await enrolTotp(h, client);
    const first = await passwordStep(h, email);
    const totp = await first.client.post("/tf-validate", {
      state: first.pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(totp.status, JSON.stringify(totp.body)).toBe(200);
    h.clock.advance(1000);
    const second = await passwordStep(h, email);
    const recovery = await second.client.post("/mf-recovery", {
      state: second.pending.state,
      code: recoveryCodes[0],
    });
    expect(recovery.status, JSON.stringify(recovery.body)).toBe(200);
    const logins = (await details(h, userId, "user.login")).slice(1);
    expect(logins).toEqual([
      { method: "password", factors: ["pwd", "otp"], aal: 2, secondFactor: "totp" },
      { method: "password", factors: ["pwd", "rc"], aal: 2, secondFactor: "recovery" },
    ]);
  });

  it("records a wrong password and an unknown identity alike, never the identifier typed", async () => {
    const { email, userId } = await newUser(h);
    const agent = { "user-agent": "EventsTest/1.0" };
    const wrong = await h.client().post("/login", { identity: email, password: "nope" }, agent);
    const ghost = uniqueEmail("ghost");
    const unknown = await h.client().post("/login", { identity: ghost, password: "nope" }, agent);
    expect(wrong.body).toEqual(unknown.body);
    expect(await details(h, userId, "user.login-failed")).toEqual([
      {
        reason: "invalid-credentials",
        method: "password",
        stage: "sign-in",
        userAgent: "EventsTest/1.0",
      },
    ]);
    const all = await h.auth.api.events({ type: "user.login-failed", limit: 1000 });
    const anonymous = all.filter((event) => event.userId === null);
    expect(anonymous.length).toBeGreaterThan(0);
    expect(JSON.stringify(all)).not.toContain(ghost);
    expect(JSON.stringify(all)).not.toContain("nope");
  });

  it("records a refused key assertion for the key's owner", async () => {
    const { client, userId } = await newUser(h);
    const key = newAuthenticator();
    await registerFirstKeyAndSignIn(client, key, { name: "Passkey" });
    const forged = await signInWithKey(h.client(), key, {}, { tamperSignature: true });
    expect(forged.status).toBe(400);
    const failed = await details(h, userId, "user.login-failed");
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ method: "webauthn", stage: "sign-in" });
    expect(failed[0]!.reason).toMatch(/^webauthn-/);
    expect(await details(h, userId, "user.login")).toHaveLength(2);
  });

  it("records a wrong second-factor code, and rate-limited attempts, as refusals", async () => {
    const { client, email, userId } = await newUser(h);
    await enrolTotp(h, client);
    const { client: signIn, pending } = await passwordStep(h, email);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 12; i += 1) {
      const wrong = await signIn.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: "000000",
      });
      codes.push((wrong.body as { error?: { code?: string } }).error?.code);
    }
    expect(codes).toContain("RATE_LIMITED");
    const failed = await details(h, userId, "user.login-failed");
    expect(failed).toHaveLength(12);
    expect(failed.every((f) => f.method === "totp" && f.stage === "second-factor")).toBe(true);
    expect(failed.filter((f) => f.reason === "rate-limited")).toHaveLength(
      codes.filter((code) => code === "RATE_LIMITED").length,
    );
  });

  it("records one session.verified per re-verification, with a password and with a key", async () => {
    const { client, userId } = await newUser(h);
    h.clock.advance(11 * 60_000);
    const password = await client.post("/verify", { password: PASSWORD });
    expect(password.status, JSON.stringify(password.body)).toBe(200);
    const key = newAuthenticator();
    await registerFirstKeyAndSignIn(client, key, { name: "Passkey" });
    h.clock.advance(11 * 60_000);
    const start = await client.post<{ options: never; state: string }>("/wan-verify", {});
    const credential = await key.authenticate(start.body.options);
    const done = await client.post("/wan-verify-response", { state: start.body.state, credential });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const verified = await details(h, userId, "session.verified");
    expect(verified).toEqual([
      { method: "password", reauthenticated: false, aal: 1 },
      { method: "webauthn", reauthenticated: true, aal: 2 },
    ]);
    const wrong = await client.post("/verify", { password: "not it" });
    expect(wrong.status).toBe(401);
    expect((await details(h, userId, "user.login-failed")).at(-1)).toMatchObject({
      method: "password",
      stage: "verify",
      reason: "invalid-credentials",
    });
  });
});

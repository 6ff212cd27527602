import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { carryPendingCookie } from "../helpers/attacks.js";
import { registerKey, startKeySignin } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness, type TestClient, useHarness } from "../helpers/harness.js";
import {
  endSessions,
  enrolTotp,
  errorCode,
  eventTypes,
  newUser,
  passwordStep,
  TestMailer,
  TestSms,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

/** A user with TOTP whose own sessions are all signed out: any session later is a leak. */
async function signedOutTotpUser(h: Harness) {
  const user = await newUser(h);
  const { secret, recoveryCodes } = await enrolTotp(h, user.client);
  await user.client.post("/logout");
  return { ...user, secret, recoveryCodes };
}

/** A user with SMS codes, signed out. */
async function signedOutSmsUser(h: Harness, sms: TestSms, phone: string) {
  const user = await newUser(h);
  const start = await user.client.post<{ state: string }>("/tf-setup", { method: "sms", phone });
  const done = await user.client.post("/tf-setup-validate", {
    state: start.body.state,
    code: sms.lastCode(phone),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  await user.client.post("/logout");
  return user;
}

/** Moves the clock to the start of a rate-limit window (15 minutes, aligned to the epoch). */
function startOfWindow(h: Harness) {
  const window = 15 * 60_000;
  h.clock.advance(window - (h.clock.now() % window));
}

async function expectNoSession(h: Harness, client: TestClient, userId: string) {
  expect(client.cookies.has("keyward_session")).toBe(false);
  expect((await client.get("/me")).status).toBe(401);
  expect(await endSessions(h, userId)).toBe(0);
}

describe.each(targets)("second factors on $name: refusals", (target) => {
  const sms = new TestSms();
  const mailer = new TestMailer();
  const h = useHarness(target, {
    sms,
    mailer,
    // Long enough that an SMS code expires before the sign-in does.
    twoFactor: { pendingWithin: "15m" },
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  it("refuses a replayed TOTP code and issues no session", async () => {
    const { email, userId, secret } = await signedOutTotpUser(h);
    const code = await totpAt(secret, h.clock.now());
    const first = await passwordStep(h, email);
    const ok = await first.client.post("/tf-validate", {
      state: first.pending.state,
      method: "totp",
      code,
    });
    expect(ok.status).toBe(200);
    await first.client.post("/logout");

    const replay = await passwordStep(h, email);
    const refused = await replay.client.post("/tf-validate", {
      state: replay.pending.state,
      method: "totp",
      code,
    });
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe("TWO_FACTOR_CODE_USED");
    // So is the code of the step before, though it was never typed: steps only move forward.
    const earlier = await replay.client.post("/tf-validate", {
      state: replay.pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now() - 30_000),
    });
    expect(errorCode(earlier)).toBe("TWO_FACTOR_CODE_USED");
    await expectNoSession(h, replay.client, userId);
    const failed = await h.store.events.list({ userId, type: "two-factor.failed" });
    expect(failed.map((e) => e.detail)).toEqual([
      { method: "totp", reason: "TWO_FACTOR_CODE_USED" },
      { method: "totp", reason: "TWO_FACTOR_CODE_USED" },
    ]);
  });

  it("lets only one of two racing requests spend the same TOTP code", async () => {
    const { email, userId, secret } = await signedOutTotpUser(h);
    const a = await passwordStep(h, email);
    const b = await passwordStep(h, email);
    const code = await totpAt(secret, h.clock.now());
    const results = await Promise.all(
      [a, b].map(({ client, pending }) =>
        client.post("/tf-validate", { state: pending.state, method: "totp", code }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
    expect(results.map(errorCode)).toContain("TWO_FACTOR_CODE_USED");
    expect(await endSessions(h, userId)).toBe(1);
  });

  it("refuses an expired SMS code and spends it", async () => {
    const { email, userId } = await signedOutSmsUser(h, sms, "+15005550006");
    const { client, pending } = await passwordStep(h, email);
    await client.post("/tf-select", { state: pending.state, method: "sms" });
    const code = sms.lastCode("+15005550006");
    h.clock.advance(5 * 60_000 + 1);
    const late = await client.post("/tf-validate", { state: pending.state, method: "sms", code });
    expect(late.status).toBe(400);
    expect(errorCode(late)).toBe("TWO_FACTOR_CODE_EXPIRED");
    // The expired code is gone from the store, not just refused.
    expect(await h.store.oneTimeCodes.find(hashToken(pending.state))).toBeUndefined();
    await expectNoSession(h, client, userId);

    // A new code for the same sign-in works.
    await client.post("/tf-select", { state: pending.state, method: "sms" });
    const fresh = await client.post("/tf-validate", {
      state: pending.state,
      method: "sms",
      code: sms.lastCode("+15005550006"),
    });
    expect(fresh.status).toBe(200);
  });

  it("spends an SMS code after five wrong tries, even if the sixth is right", async () => {
    const { email, userId } = await signedOutSmsUser(h, sms, "+15005550007");
    const { client, pending } = await passwordStep(h, email);
    await client.post("/tf-select", { state: pending.state, method: "sms" });
    const code = sms.lastCode("+15005550007");
    const wrong = code === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i += 1) {
      const guess = await client.post("/tf-validate", {
        state: pending.state,
        method: "sms",
        code: wrong,
      });
      expect(errorCode(guess)).toBe("TWO_FACTOR_CODE_INVALID");
    }
    const right = await client.post("/tf-validate", { state: pending.state, method: "sms", code });
    expect(errorCode(right)).toBe("TWO_FACTOR_CODE_EXPIRED");
    await expectNoSession(h, client, userId);
  });

  it("an SMS code sent for one sign-in does not complete another", async () => {
    const { email, userId } = await signedOutSmsUser(h, sms, "+15005550008");
    const one = await passwordStep(h, email);
    const two = await passwordStep(h, email);
    await one.client.post("/tf-select", { state: one.pending.state, method: "sms" });
    const crossed = await two.client.post("/tf-validate", {
      state: two.pending.state,
      method: "sms",
      code: sms.lastCode("+15005550008"),
    });
    expect(errorCode(crossed)).toBe("TWO_FACTOR_CODE_EXPIRED");
    await expectNoSession(h, two.client, userId);
  });

  it("stops brute force at the per-user limit with RATE_LIMITED and Retry-After", async () => {
    startOfWindow(h);
    const { email, userId, secret } = await signedOutTotpUser(h);
    const { client, pending } = await passwordStep(h, email);
    const right = await totpAt(secret, h.clock.now());
    const wrong = right === "000000" ? "000001" : "000000";
    // Ten attempts per window: the code that confirmed the setup was the first.
    for (let i = 0; i < 9; i += 1) {
      const guess = await client.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: wrong,
      });
      expect(errorCode(guess)).toBe("TWO_FACTOR_CODE_INVALID");
    }
    // The eleventh attempt is refused before the code is even looked at: right or wrong.
    const limited = await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: right,
    });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe("RATE_LIMITED");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(limited.body).toMatchObject({ error: { details: { retryAfterSeconds: retryAfter } } });
    // Recovery codes share the limit: they are not a way around it.
    const recovery = await client.post("/mf-recovery", {
      state: pending.state,
      code: "AAAA-BBBB-CCCC-DDDD",
    });
    expect(errorCode(recovery)).toBe("RATE_LIMITED");
    await expectNoSession(h, client, userId);
    const limitedEvents = await h.store.events.list({
      userId,
      type: "two-factor.rate-limited",
    });
    expect(limitedEvents.map((e) => e.detail)).toEqual([{ action: "attempt", scope: "user" }]);

    // When the window has passed, the user gets in.
    h.clock.advance(retryAfter * 1000);
    const later = await passwordStep(h, email);
    const ok = await later.client.post("/tf-validate", {
      state: later.pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("limits how many codes are sent per user", async () => {
    startOfWindow(h);
    const { email } = await signedOutSmsUser(h, sms, "+15005550009");
    const { client, pending } = await passwordStep(h, email);
    const sentBefore = sms.sent.length;
    // The setup code counted as one send in this window.
    for (let i = 0; i < 4; i += 1) {
      const sent = await client.post("/tf-select", { state: pending.state, method: "sms" });
      expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    }
    const refused = await client.post("/tf-select", { state: pending.state, method: "sms" });
    expect(refused.status).toBe(429);
    expect(errorCode(refused)).toBe("RATE_LIMITED");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(sms.sent.length).toBe(sentBefore + 4);
  });

  it("refuses a reused recovery code", async () => {
    const { email, userId, recoveryCodes } = await signedOutTotpUser(h);
    const first = await passwordStep(h, email);
    const ok = await first.client.post("/mf-recovery", {
      state: first.pending.state,
      code: recoveryCodes[0],
    });
    expect(ok.status).toBe(200);
    await first.client.post("/logout");

    const again = await passwordStep(h, email);
    const reused = await again.client.post("/mf-recovery", {
      state: again.pending.state,
      code: recoveryCodes[0],
    });
    expect(reused.status).toBe(400);
    expect(errorCode(reused)).toBe("RECOVERY_CODE_INVALID");
    await expectNoSession(h, again.client, userId);
    expect(await h.store.recoveryCodes.countUnused(userId)).toBe(9);
  });

  it("refuses to complete another user's pending sign-in, and leaves it to its owner", async () => {
    const alice = await signedOutTotpUser(h);
    const mallory = await signedOutTotpUser(h);
    const aliceStep = await passwordStep(h, alice.email);
    const attacker = h.client();
    // The attacker relays Alice's browser: the state's binding to it does not stop this.
    carryPendingCookie(aliceStep.client, attacker);

    // Mallory's own valid TOTP code is checked against Alice's secret.
    const withCode = await attacker.post("/tf-validate", {
      state: aliceStep.pending.state,
      method: "totp",
      code: await totpAt(mallory.secret, h.clock.now()),
    });
    expect(errorCode(withCode)).toBe("TWO_FACTOR_CODE_INVALID");
    const withRecovery = await attacker.post("/mf-recovery", {
      state: aliceStep.pending.state,
      code: mallory.recoveryCodes[0],
    });
    expect(errorCode(withRecovery)).toBe("RECOVERY_CODE_INVALID");
    expect(await h.store.recoveryCodes.countUnused(mallory.userId)).toBe(10);
    await expectNoSession(h, attacker, alice.userId);

    // Alice still completes her sign-in.
    const ok = await aliceStep.client.post("/tf-validate", {
      state: aliceStep.pending.state,
      method: "totp",
      code: await totpAt(alice.secret, h.clock.now()),
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await aliceStep.client.get<{ user: { id: string } }>("/me")).body.user.id).toBe(
      alice.userId,
    );
  });

  it("refuses another user's secondary key against a pending sign-in", async () => {
    const alice = await newUser(h);
    const aliceKey = new SoftwareAuthenticator({ origin: h.origin, transports: ["usb"] });
    await registerKey(alice.client, aliceKey, { name: "Alice key", usage: "secondary" });
    const mallory = await newUser(h);
    const malloryKey = new SoftwareAuthenticator({ origin: h.origin, transports: ["usb"] });
    await registerKey(mallory.client, malloryKey, { name: "Mallory key", usage: "secondary" });
    await alice.client.post("/logout");

    const aliceStep = await passwordStep(h, alice.email);
    const malloryStep = await passwordStep(h, mallory.email);
    // Mallory runs the key ceremony for her own sign-in, then names Alice's pending state.
    const start = await startKeySignin(malloryStep.client, {
      secondFactorState: malloryStep.pending.state,
    });
    const swapped = await malloryStep.client.post("/wan-signin-response", {
      state: start.state,
      credential: await malloryKey.authenticate(start.options),
      secondFactorState: aliceStep.pending.state,
    });
    expect(errorCode(swapped)).toBe("STATE_INVALID");
    // Or, relaying Alice's browser, answers Alice's key ceremony with her own key.
    carryPendingCookie(aliceStep.client, malloryStep.client);
    const aliceStart = await startKeySignin(malloryStep.client, {
      secondFactorState: aliceStep.pending.state,
    });
    const foreign = await malloryStep.client.post("/wan-signin-response", {
      state: aliceStart.state,
      credential: await malloryKey.authenticate(aliceStart.options, {
        credentialId: malloryKey.credentials[0]!.id,
      }),
      secondFactorState: aliceStep.pending.state,
    });
    expect(errorCode(foreign)).toBe("WEBAUTHN_UNKNOWN_CREDENTIAL");
    await expectNoSession(h, malloryStep.client, alice.userId);

    // Alice's pending state survived both.
    const own = await startKeySignin(aliceStep.client, {
      secondFactorState: aliceStep.pending.state,
    });
    const ok = await aliceStep.client.post("/wan-signin-response", {
      state: own.state,
      credential: await aliceKey.authenticate(own.options),
      secondFactorState: aliceStep.pending.state,
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it("skipping the second step leaves every protected route closed", async () => {
    const { email, userId } = await signedOutTotpUser(h);
    const { client, pending } = await passwordStep(h, email);
    for (const [method, path, body] of [
      ["GET", "/me", undefined],
      ["GET", "/tf-status", undefined],
      ["GET", "/wan-credentials", undefined],
      ["POST", "/mf-recovery-codes", {}],
      ["POST", "/tf-setup", { method: "totp" }],
      ["POST", "/wan-register", { name: "Sneaky", usage: "secondary" }],
    ] as const) {
      const result = await client.request(method, path, body);
      expect(result.status, path).toBe(401);
      expect(errorCode(result), path).toBe("UNAUTHENTICATED");
    }
    // The pending state is not a session, whatever cookie it is put in.
    const forged = h.client();
    forged.cookies.set("keyward_session", pending.state);
    expect((await forged.get("/me")).status).toBe(401);
    const headers = new Headers({ cookie: `keyward_session=${pending.state}` });
    expect(await h.auth.api.getSession(headers)).toBeUndefined();
    await expectNoSession(h, client, userId);
  });

  it("refuses an expired pending sign-in", async () => {
    const { email, userId, secret } = await signedOutTotpUser(h);
    const { client, pending } = await passwordStep(h, email);
    h.clock.advance(15 * 60_000 + 1);
    const late = await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(late.status).toBe(400);
    expect(errorCode(late)).toBe("STATE_EXPIRED");
    await expectNoSession(h, client, userId);
  });

  it("refuses malformed input before counting it, and records nothing", async () => {
    const { email, userId } = await signedOutTotpUser(h);
    const { client, pending } = await passwordStep(h, email);
    for (const body of [
      { state: pending.state, method: "totp", code: "12345" },
      { state: pending.state, method: "totp", code: "abcdef" },
      { state: pending.state, method: "totp", code: 123456 },
      { state: pending.state, method: "carrier-pigeon", code: "123456" },
      { state: "x".repeat(500), method: "totp", code: "123456" },
      { method: "totp", code: "123456" },
    ]) {
      const result = await client.post("/tf-validate", body);
      expect(result.status, JSON.stringify(body)).toBe(400);
      expect(errorCode(result)).toBe("INVALID_INPUT");
    }
    expect(await eventTypes(h, userId)).not.toContain("two-factor.failed");
    await expectNoSession(h, client, userId);
  });

  it("answers a failed SMS delivery with TWO_FACTOR_DELIVERY_FAILED", async () => {
    const { email } = await signedOutSmsUser(h, sms, "+15005550010");
    const { client, pending } = await passwordStep(h, email);
    sms.fail = true;
    try {
      const failed = await client.post("/tf-select", { state: pending.state, method: "sms" });
      expect(failed.status).toBe(502);
      expect(errorCode(failed)).toBe("TWO_FACTOR_DELIVERY_FAILED");
    } finally {
      sms.fail = false;
    }
  });
});

describe.each(targets)("second factors on $name: per-IP limits", (target) => {
  const h = useHarness(target, {
    trustProxy: true,
    rateLimits: { secondFactorPerIp: 3, secondFactorPerUser: 100 },
  });

  it("counts guesses across accounts from one IP", async () => {
    startOfWindow(h);
    const from = (ip: string) => ({ "x-forwarded-for": ip });
    const victims = [await signedOutTotpUser(h), await signedOutTotpUser(h)];
    const attempts = [];
    for (const victim of victims) {
      const { client, pending } = await passwordStep(h, victim.email);
      for (let i = 0; i < 2; i += 1) {
        attempts.push(
          await client.post(
            "/tf-validate",
            { state: pending.state, method: "totp", code: "000000" },
            from("203.0.113.7"),
          ),
        );
      }
    }
    expect(attempts.map((r) => r.status)).toEqual([400, 400, 400, 429]);
    // Another address is not held back by the first one's guesses.
    const victim = victims[1]!;
    const { client, pending } = await passwordStep(h, victim.email);
    const ok = await client.post(
      "/tf-validate",
      { state: pending.state, method: "totp", code: await totpAt(victim.secret, h.clock.now()) },
      from("198.51.100.2"),
    );
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});

describe("second factors after the app secret is rotated", () => {
  it("refuses the authenticator app with a clear code instead of failing, and keeps recovery codes working", async () => {
    const dir = mkdtempSync(join(tmpdir(), "keyward-"));
    const file = join(dir, "rotate.db");
    // Both harnesses open the same file; the second one removes it with its folder.
    const fileTarget = {
      name: "sqlite" as const,
      url: () => `sqlite:${file}`,
      drop: async () => {},
    };
    const lastTarget = {
      ...fileTarget,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
    const before = await startHarness(fileTarget);
    const { client, email } = await newUser(before);
    const { recoveryCodes } = await enrolTotp(before, client);
    await before.close();

    const after = await startHarness(lastTarget, {
      secret: "a-completely-different-secret-of-32-chars",
    });
    try {
      const { client: login, pending } = await passwordStep(after, email);
      const totp = await login.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: "123456",
      });
      expect(totp.status).toBe(400);
      expect(totp.body).toMatchObject({ error: { code: "TWO_FACTOR_METHOD_NOT_AVAILABLE" } });
      const recovered = await login.post("/mf-recovery", {
        state: pending.state,
        code: recoveryCodes[0],
      });
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
    } finally {
      await after.close();
    }
  });
});

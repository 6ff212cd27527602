import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { startedSession } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness, type TestClient } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp, errorCode, eventTypes, newUser, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

type Json = Record<string, unknown>;
type SessionBody = {
  user: { id: string; email: string; emailConfirmed: boolean; hasPassword: boolean };
  session: { aal: number; amr: string[]; limited?: string };
};

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const NEW_PASSWORD = "a brand new passphrase";

/** The status, code and body of a refusal, for comparing "nothing happened" answers. */
function expectCode(result: { status: number; body: unknown }, status: number, code: string) {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect((result.body as { error?: { code?: string } }).error?.code).toBe(code);
}

describe.each(targets)("account lifecycle on $name", (target) => {
  let h: Harness;
  const box = new Mailbox();
  beforeAll(async () => {
    h = await startHarness(target, {
      mailer: box,
      accounts: { allowPasswordless: true },
      // Every test here asks from 127.0.0.1; the per-IP limit has its own suite below.
      rateLimits: { accountMailsPerIp: 10_000 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  const authenticator = () => new SoftwareAuthenticator({ origin: h.origin });

  /** A password account, signed in on the returned client. */
  async function passwordUser() {
    const user = await newUser(h);
    await box.next(user.email, "confirm-email");
    return user;
  }

  /** Opens the address's confirmation link (sent after `mark`). */
  async function confirmAddress(email: string, mark = 0) {
    const token = tokenOf(await box.next(email, "confirm-email", mark));
    expect((await h.client().post("/confirm-email", { token })).status).toBe(200);
  }

  /**
   * A passkey-only account (no password) with one passkey, signed in on the returned client.
   * Its address is confirmed: recovering an unconfirmed account removes what it holds
   * (test/security/account-takeover.test.ts).
   */
  async function passkeyUser() {
    const client = h.client();
    const email = uniqueEmail("keys");
    const mark = box.mark();
    const signup = await client.post<SessionBody>("/register", { email });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    await confirmAddress(email, mark);
    const key = authenticator();
    // Then signed in with it (AAL2), as further factor changes need once the account has a key.
    const reg = await registerFirstKeyAndSignIn(client, key, { name: "Phone" });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    return { client, email, userId: signup.body.user.id, key };
  }

  async function login(email: string, password = PASSWORD) {
    const client = h.client();
    const result = await client.post("/login", { identity: email, password });
    return { client, result };
  }

  async function resetToken(email: string): Promise<string> {
    const mark = box.mark();
    const asked = await h.client().post("/reset-password", { email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    return tokenOf(await box.next(email, "reset-password", mark));
  }

  async function recoveryToken(email: string): Promise<string> {
    const mark = box.mark();
    const asked = await h.client().post("/recover-account", { email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    return tokenOf(await box.next(email, "recover-account", mark));
  }

  describe("email confirmation", () => {
    it("mails a link at sign-up that confirms the address once", async () => {
      const mark = box.mark();
      const { client, email, userId } = await newUser(h);
      const mail = await box.next(email, "confirm-email", mark);
      expect(mail.link).toMatch(
        new RegExp(`^${h.origin}/auth/confirm-email\\?token=[A-Za-z0-9_-]{43}$`),
      );
      expect(mail.text).toContain(mail.link);
      expect((await client.get<SessionBody>("/me")).body.user.emailConfirmed).toBe(false);

      const token = tokenOf(mail);
      // Only the token's hash is stored.
      expect(await h.auth.store.accountTokens.find(token, "confirm-email")).toBeUndefined();
      expect(
        await h.auth.store.accountTokens.find(hashToken(token), "confirm-email"),
      ).toMatchObject({
        userId,
        purpose: "confirm-email",
        data: { email },
      });
      const confirmed = await h
        .client()
        .post<{ ok: boolean; user: SessionBody["user"] }>("/confirm-email", { token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body).toMatchObject({ ok: true, user: { email, emailConfirmed: true } });
      expect((await h.auth.store.users.byId(userId))?.emailConfirmedAt).toBe(h.clock.now());
      expect(await eventTypes(h, userId)).toEqual(
        expect.arrayContaining(["account.token-sent", "account.email-confirmed"]),
      );
      expectCode(await h.client().post("/confirm-email", { token }), 400, "TOKEN_INVALID");
    });

    it("lets an unconfirmed account sign in during the grace period only, and says so only after the password", async () => {
      const { email, userId } = await passwordUser();
      const first = tokenOf(await box.next(email, "confirm-email"));
      expect((await login(email)).result.status).toBe(200);

      h.clock.advance(8 * DAY);
      const wrong = await login(email, "not the password");
      expectCode(wrong.result, 401, "INVALID_CREDENTIALS");
      const right = await login(email);
      expectCode(right.result, 403, "EMAIL_NOT_CONFIRMED");
      expect(startedSession(right.result)).toBe(false);
      expect(await eventTypes(h, userId)).toContain("user.login-failed");

      // The first link (3 days) has expired; a new one works.
      expectCode(await h.client().post("/confirm-email", { token: first }), 400, "TOKEN_EXPIRED");
      const mark = box.mark();
      expect((await h.client().post("/confirm-email/resend", { email })).body).toEqual({
        ok: true,
      });
      const again = tokenOf(await box.next(email, "confirm-email", mark));
      expect((await h.client().post("/confirm-email", { token: again })).status).toBe(200);
      expect((await login(email)).result.status).toBe(200);
    });

    it("resends to the signed-in user's address without an email in the body", async () => {
      const { client, email } = await passwordUser();
      const mark = box.mark();
      expect((await client.post("/confirm-email/resend", {})).status).toBe(200);
      await box.next(email, "confirm-email", mark);
      expectCode(await h.client().post("/confirm-email/resend", {}), 400, "INVALID_INPUT");
    });

    it("sends nothing to an address that is confirmed already or unknown, and answers alike", async () => {
      const { email } = await passwordUser();
      const token = tokenOf(await box.next(email, "confirm-email"));
      await h.client().post("/confirm-email", { token });
      const ghost = uniqueEmail("ghost");
      const mark = box.mark();
      const known = await h.client().post("/confirm-email/resend", { email });
      const unknown = await h.client().post("/confirm-email/resend", { email: ghost });
      expect(known.status).toBe(200);
      expect(known.body).toEqual(unknown.body);
      expect(await box.settledTo(email, mark)).toEqual([]);
      expect(await box.settledTo(ghost, mark)).toEqual([]);
    });
  });

  describe("password reset", () => {
    it("resets by emailed link, revokes every session, signs in with the new password", async () => {
      const { client, email, userId } = await passwordUser();
      const other = (await login(email)).client;
      expect((await other.get("/me")).status).toBe(200);

      const token = await resetToken(email);
      const mail = box.sent.findLast((m) => m.kind === "reset-password" && m.to === email)!;
      expect(mail.link).toBe(`${h.origin}/auth/reset-password?token=${token}`);

      const browser = h.client();
      const done = await browser.post<SessionBody>("/reset-password/complete", {
        token,
        password: NEW_PASSWORD,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
      expect(startedSession(done)).toBe(true);
      // Every session that existed before is gone.
      expectCode(await client.get("/me"), 401, "UNAUTHENTICATED");
      expectCode(await other.get("/me"), 401, "UNAUTHENTICATED");
      expect((await browser.get("/me")).status).toBe(200);

      expectCode((await login(email)).result, 401, "INVALID_CREDENTIALS");
      expect((await login(email, NEW_PASSWORD)).result.status).toBe(200);
      // The link reached the mailbox: the address is confirmed.
      expect((await browser.get<SessionBody>("/me")).body.user.emailConfirmed).toBe(true);
      await box.next(email, "password-reset");
      const events = await h.auth.store.events.list({ userId, type: "account.password-reset" });
      expect(events.map((e) => e.detail)).toEqual([{ sessionsRevoked: 2 }]);

      // Single use.
      const again = await h
        .client()
        .post("/reset-password/complete", { token, password: "yet another password" });
      expectCode(again, 400, "TOKEN_INVALID");
      expect((await login(email, NEW_PASSWORD)).result.status).toBe(200);
    });

    it("refuses an expired link and changes nothing", async () => {
      const { email, client } = await passwordUser();
      const token = await resetToken(email);
      h.clock.advance(31 * MINUTE);
      const late = await h
        .client()
        .post("/reset-password/complete", { token, password: NEW_PASSWORD });
      expectCode(late, 400, "TOKEN_EXPIRED");
      expect((await login(email)).result.status).toBe(200);
      expect((await client.get("/me")).status).toBe(200);
    });

    it("refuses a token of another purpose without spending it", async () => {
      const { email, userId } = await passwordUser();
      const confirm = tokenOf(await box.next(email, "confirm-email"));
      const reset = await resetToken(email);

      expectCode(
        await h
          .client()
          .post("/reset-password/complete", { token: confirm, password: NEW_PASSWORD }),
        400,
        "TOKEN_INVALID",
      );
      expectCode(await h.client().post("/confirm-email", { token: reset }), 400, "TOKEN_INVALID");
      expectCode(
        await h.client().post("/recover-account/complete", { token: reset }),
        400,
        "TOKEN_INVALID",
      );
      expect((await h.auth.store.users.byId(userId))?.emailConfirmedAt).toBeNull();
      expect((await login(email)).result.status).toBe(200);

      // Both still work for what they were made for.
      expect((await h.client().post("/confirm-email", { token: confirm })).status).toBe(200);
      const done = await h
        .client()
        .post("/reset-password/complete", { token: reset, password: NEW_PASSWORD });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
    });

    it("refuses a too-short password before spending the link", async () => {
      const { email } = await passwordUser();
      const token = await resetToken(email);
      const short = await h.client().post("/reset-password/complete", { token, password: "short" });
      expectCode(short, 400, "PASSWORD_TOO_SHORT");
      const done = await h
        .client()
        .post("/reset-password/complete", { token, password: NEW_PASSWORD });
      expect(done.status).toBe(200);
    });

    it("lets exactly one of two concurrent completions win", async () => {
      const { email } = await passwordUser();
      const token = await resetToken(email);
      const results = await Promise.all(
        ["first racer password", "second racer password"].map((password) =>
          h.client().post("/reset-password/complete", { token, password }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 400]);
      expect(results.map(errorCode).filter(Boolean)).toEqual(["TOKEN_INVALID"]);
    });

    it("still asks a two-factor user for the second factor after the reset", async () => {
      const { client, email } = await passwordUser();
      // Confirmed: a reset of an unconfirmed account removes its second factors instead.
      await confirmAddress(email);
      const { secret } = await enrolTotp(h, client);
      const token = await resetToken(email);
      const browser = h.client();
      const done = await browser.post<{
        twoFactorRequired: boolean;
        state: string;
        methods: string[];
      }>("/reset-password/complete", { token, password: NEW_PASSWORD });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body).toMatchObject({ twoFactorRequired: true });
      expect(done.body.methods).toContain("totp");
      expect(startedSession(done)).toBe(false);
      expectCode(await browser.get("/me"), 401, "UNAUTHENTICATED");
      expectCode(await client.get("/me"), 401, "UNAUTHENTICATED");

      const second = await browser.post<SessionBody>("/tf-validate", {
        state: done.body.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      });
      expect(second.status, JSON.stringify(second.body)).toBe(200);
      expect(second.body.session).toMatchObject({ aal: 2, amr: ["pwd", "otp"] });
    });

    it("points a passkey-only account to recovery instead of mailing a reset link", async () => {
      const { email, userId } = await passkeyUser();
      const mark = box.mark();
      expect((await h.client().post("/reset-password", { email })).status).toBe(200);
      const mail = await box.next(email, "reset-without-password", mark);
      expect(mail.link).toBe(`${h.origin}/auth/recover-account`);
      expect(await box.settledTo(email, mark)).toHaveLength(1);
      expect(await h.auth.store.accountTokens.deleteForUser(userId, "reset-password")).toBe(0);
    });
  });

  describe("account recovery", () => {
    it("opens a limited session that can register a key and nothing else", async () => {
      const { client, email, userId } = await passkeyUser();
      const token = await recoveryToken(email);
      const lost = h.client();
      const recovered = await lost.post<SessionBody>("/recover-account/complete", { token });
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
      expect(recovered.body.session).toMatchObject({ aal: 1, amr: ["email"], limited: "recovery" });
      expect(startedSession(recovered)).toBe(true);

      const me = await lost.get<SessionBody>("/me");
      expect(me.status).toBe(200);
      expect(me.body.session).toMatchObject({ amr: ["email"], limited: "recovery" });

      // Everything but registering a key is refused.
      const refused: [string, string, Json | undefined][] = [
        ["GET", "/wan-credentials", undefined],
        ["POST", "/wan-delete", { name: "Phone" }],
        ["POST", "/wan-rename", { name: "Phone", newName: "Mine" }],
        ["POST", "/wan-verify", {}],
        ["POST", "/verify", { password: PASSWORD }],
        ["POST", "/tf-setup", { method: "totp" }],
        ["GET", "/tf-status", undefined],
        ["POST", "/mf-recovery-codes", {}],
        ["POST", "/change-password", { newPassword: NEW_PASSWORD }],
        ["POST", "/change-email", { newEmail: uniqueEmail("takeover") }],
        ["GET", "/sessions", undefined],
        ["POST", "/sessions/revoke", { id: "x" }],
        ["POST", "/sign-out-everywhere", {}],
      ];
      for (const [method, path, body] of refused) {
        const result = await lost.request(method, path, body);
        expect(errorCode(result), `${method} ${path}: ${JSON.stringify(result.body)}`).toBe(
          "SESSION_LIMITED",
        );
        expect(result.status).toBe(403);
      }
      expect(await h.auth.store.credentials.listForUser(userId)).toHaveLength(1);

      // The app's own guards refuse it too.
      const headers = new Headers({
        cookie: `keyward_session=${lost.cookies.get("keyward_session")}`,
      });
      expect(await h.auth.api.getSession(headers)).toBeUndefined();
      await expect(h.auth.api.requireSession(headers)).rejects.toMatchObject({
        code: "SESSION_LIMITED",
      });

      // What it is for: a new key, which then signs in for real.
      const newKey = authenticator();
      const reg = await registerKey(lost, newKey, { name: "New phone", usage: "first" });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      const signin = await signInWithKey(h.client(), newKey);
      expect(signin.status, JSON.stringify(signin.body)).toBe(200);
      expect(signin.body.session).toMatchObject({ aal: 2 });
      expect((signin.body.session as Json).limited).toBeUndefined();

      // The user hears about it, and it is on the record.
      const notice = await box.next(email, "account-recovered");
      expect(notice.text).toMatch(/recovered/);
      const events = await h.auth.store.events.list({ userId, type: "account.recovered" });
      expect(events.map((e) => e.detail)).toEqual([
        { recoveryCodeUsed: false, limited: "recovery" },
      ]);
      // Recovery does not end the sessions the user has.
      expect((await client.get("/me")).status).toBe(200);

      // Single use.
      expectCode(
        await h.client().post("/recover-account/complete", { token }),
        400,
        "TOKEN_INVALID",
      );
      expect((await lost.post("/logout")).status).toBe(200);
    });

    it("ends the recovery session after its short lifetime", async () => {
      const { email } = await passkeyUser();
      const lost = h.client();
      expect(
        (await lost.post("/recover-account/complete", { token: await recoveryToken(email) }))
          .status,
      ).toBe(200);
      h.clock.advance(11 * MINUTE);
      expectCode(await lost.get("/me"), 401, "UNAUTHENTICATED");
    });

    it("refuses an expired recovery link", async () => {
      const { email } = await passkeyUser();
      const token = await recoveryToken(email);
      h.clock.advance(16 * MINUTE);
      const late = await h.client().post("/recover-account/complete", { token });
      expectCode(late, 400, "TOKEN_EXPIRED");
      expect(startedSession(late)).toBe(false);
    });

    it("asks a two-factor user for one of their own recovery codes before spending the link", async () => {
      const { client, email, userId } = await passkeyUser();
      const { recoveryCodes } = await enrolTotp(h, client);
      const stranger = await passkeyUser();
      const strangerCodes = (await enrolTotp(h, stranger.client)).recoveryCodes;
      const token = await recoveryToken(email);

      const lost = h.client();
      expectCode(
        await lost.post("/recover-account/complete", { token }),
        400,
        "RECOVERY_CODE_REQUIRED",
      );
      expectCode(
        await lost.post("/recover-account/complete", {
          token,
          recoveryCode: "AAAA-BBBB-CCCC-DDDD",
        }),
        400,
        "RECOVERY_CODE_INVALID",
      );
      // Another user's code is no code of this user.
      expectCode(
        await lost.post("/recover-account/complete", { token, recoveryCode: strangerCodes[0] }),
        400,
        "RECOVERY_CODE_INVALID",
      );
      expect(await h.auth.store.recoveryCodes.countUnused(stranger.userId)).toBe(
        strangerCodes.length,
      );
      expectCode(await lost.get("/me"), 401, "UNAUTHENTICATED");

      const ok = await lost.post<SessionBody>("/recover-account/complete", {
        token,
        recoveryCode: recoveryCodes[0],
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.session).toMatchObject({ limited: "recovery", amr: ["email"] });
      expect(await h.auth.store.recoveryCodes.countUnused(userId)).toBe(recoveryCodes.length - 1);
      const events = await h.auth.store.events.list({ userId, type: "account.recovered" });
      expect(events.map((e) => e.detail)).toEqual([
        { recoveryCodeUsed: true, limited: "recovery" },
      ]);
    });

    it("points a password account to the password reset instead of mailing a recovery link", async () => {
      const { email } = await passwordUser();
      const mark = box.mark();
      expect((await h.client().post("/recover-account", { email })).status).toBe(200);
      const mail = await box.next(email, "recover-with-password", mark);
      expect(mail.link).toBe(`${h.origin}/auth/reset-password`);
      expect(await box.settledTo(email, mark)).toHaveLength(1);
    });
  });

  describe("enumeration", () => {
    it("answers known and unknown addresses with the same status and body", async () => {
      const { email } = await passwordUser();
      const keys = await passkeyUser();
      for (const path of ["/reset-password", "/recover-account", "/confirm-email/resend"]) {
        const answers = [];
        for (const address of [email, keys.email, uniqueEmail("ghost")]) {
          const result = await h.client().post(path, { email: address });
          answers.push({ status: result.status, body: result.body });
        }
        expect(answers[0], path).toEqual({ status: 200, body: { ok: true } });
        expect(answers[1], path).toEqual(answers[0]);
        expect(answers[2], path).toEqual(answers[0]);
      }
    });
  });

  describe("change password", () => {
    it("takes a fresh session or the current password, and revokes the other sessions", async () => {
      const { client, email, userId } = await passwordUser();
      const other = (await login(email)).client;
      const pendingReset = await resetToken(email);
      h.clock.advance(11 * MINUTE);

      expectCode(
        await client.post("/change-password", { newPassword: NEW_PASSWORD }),
        403,
        "FRESHNESS_REQUIRED",
      );
      expectCode(
        await client.post("/change-password", {
          currentPassword: "wrong password",
          newPassword: NEW_PASSWORD,
        }),
        401,
        "INVALID_CREDENTIALS",
      );
      expectCode(
        await client.post("/change-password", { currentPassword: PASSWORD, newPassword: "short" }),
        400,
        "PASSWORD_TOO_SHORT",
      );
      expect((await other.get("/me")).status).toBe(200);

      const changed = await client.post("/change-password", {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      expect(changed.body).toEqual({ ok: true, sessionsRevoked: 1 });
      expect((await client.get("/me")).status).toBe(200);
      expectCode(await other.get("/me"), 401, "UNAUTHENTICATED");
      expectCode((await login(email)).result, 401, "INVALID_CREDENTIALS");
      expect((await login(email, NEW_PASSWORD)).result.status).toBe(200);
      // A reset link sent before the change no longer works.
      expectCode(
        await h.client().post("/reset-password/complete", {
          token: pendingReset,
          password: "sneaky new password",
        }),
        400,
        "TOKEN_INVALID",
      );
      await box.next(email, "password-changed");
      expect(await eventTypes(h, userId)).toContain("account.password-changed");
    });

    it("lets a passkey-only account set a first password in a fresh session", async () => {
      const { client, email } = await passkeyUser();
      expectCode(
        await client.post("/change-password", {
          currentPassword: "anything",
          newPassword: NEW_PASSWORD,
        }),
        400,
        "PASSWORD_NOT_SET",
      );
      const set = await client.post("/change-password", { newPassword: NEW_PASSWORD });
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect((await client.get<SessionBody>("/me")).body.user.hasPassword).toBe(true);
      expect((await login(email, NEW_PASSWORD)).result.status).toBe(200);
    });
  });

  describe("change email", () => {
    it("confirms the new address by link, notifies the old one, and kills links sent to it", async () => {
      const { client, email, userId } = await passwordUser();
      const oldReset = await resetToken(email);
      const newEmail = uniqueEmail("moved");
      const mark = box.mark();
      const asked = await client.post("/change-email", { newEmail: newEmail.toUpperCase() });
      expect(asked.status, JSON.stringify(asked.body)).toBe(200);
      expect(asked.body).toEqual({ ok: true });
      const link = await box.next(newEmail, "change-email", mark);
      expect(link.link).toMatch(new RegExp(`^${h.origin}/auth/change-email\\?token=`));
      const notice = await box.next(email, "email-change-requested", mark);
      expect(notice.text).toContain(newEmail);
      // Nothing changes before the new address is confirmed.
      expect((await client.get<SessionBody>("/me")).body.user.email).toBe(email);

      // Completing needs the same user signed in.
      expectCode(
        await h.client().post("/change-email/complete", { token: tokenOf(link) }),
        401,
        "UNAUTHENTICATED",
      );
      const done = await client.post<{ user: SessionBody["user"] }>("/change-email/complete", {
        token: tokenOf(link),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.user).toMatchObject({ email: newEmail, emailConfirmed: true });
      expect((await h.auth.store.users.byId(userId))?.email).toBe(newEmail);
      await box.next(email, "email-changed", mark);

      expectCode((await login(email)).result, 401, "INVALID_CREDENTIALS");
      expect((await login(newEmail)).result.status).toBe(200);
      // The reset link went to the old address: it died with it.
      expectCode(
        await h
          .client()
          .post("/reset-password/complete", { token: oldReset, password: NEW_PASSWORD }),
        400,
        "TOKEN_INVALID",
      );
      expectCode(
        await client.post("/change-email/complete", { token: tokenOf(link) }),
        400,
        "TOKEN_INVALID",
      );
      expect(await eventTypes(h, userId)).toEqual(
        expect.arrayContaining(["account.email-change-requested", "account.email-changed"]),
      );
    });

    it("refuses another user's link without spending it", async () => {
      const alice = await passwordUser();
      const bob = await passwordUser();
      const newEmail = uniqueEmail("alice-new");
      const mark = box.mark();
      expect((await alice.client.post("/change-email", { newEmail })).status).toBe(200);
      const token = tokenOf(await box.next(newEmail, "change-email", mark));

      expectCode(await bob.client.post("/change-email/complete", { token }), 400, "TOKEN_INVALID");
      expect((await h.auth.store.users.byId(bob.userId))?.email).toBe(bob.email);
      expect((await h.auth.store.users.byId(alice.userId))?.email).toBe(alice.email);

      expect((await alice.client.post("/change-email/complete", { token })).status).toBe(200);
      expect((await h.auth.store.users.byId(alice.userId))?.email).toBe(newEmail);
    });

    it("answers alike for a taken address, which hears about it instead of getting a link", async () => {
      const alice = await passwordUser();
      const bob = await passwordUser();
      const mark = box.mark();
      const asked = await alice.client.post("/change-email", { newEmail: bob.email });
      expect(asked.status).toBe(200);
      expect(asked.body).toEqual({ ok: true });
      await box.next(bob.email, "email-taken", mark);
      expect((await box.settledTo(bob.email, mark)).map((m) => m.kind)).toEqual(["email-taken"]);
    });

    it("takes a fresh session", async () => {
      const { client } = await passwordUser();
      h.clock.advance(11 * MINUTE);
      expectCode(
        await client.post("/change-email", { newEmail: uniqueEmail("stale") }),
        403,
        "FRESHNESS_REQUIRED",
      );
    });
  });

  describe("sessions", () => {
    const firefox =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
    const safari =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1";

    async function signedInTwice() {
      const desk = h.client();
      const email = uniqueEmail("desk");
      await desk.post("/register", { email, password: PASSWORD }, { "user-agent": firefox });
      const phone = h.client();
      await phone.post("/login", { identity: email, password: PASSWORD }, { "user-agent": safari });
      return { desk, phone, email };
    }

    interface Listed {
      sessions: {
        id: string;
        current: boolean;
        device: string;
        ip: string;
        lastSeenAt: string;
        createdAt: string;
        aal: number;
        amr: string[];
      }[];
    }

    it("lists the user's sessions with device and last seen, never their cookies", async () => {
      const { desk, phone } = await signedInTwice();
      const listed = await desk.get<Listed>("/sessions");
      expect(listed.status).toBe(200);
      expect(listed.body.sessions).toHaveLength(2);
      const [current, other] = listed.body.sessions;
      expect(current).toMatchObject({
        current: true,
        device: "Firefox on Windows",
        ip: "127.0.0.1",
        aal: 1,
        amr: ["pwd"],
      });
      expect(other).toMatchObject({ current: false, device: "Safari on iOS" });
      expect(new Date(other!.lastSeenAt).getTime()).toBe(h.clock.now());
      const text = JSON.stringify(listed.body);
      for (const cookie of [
        desk.cookies.get("keyward_session")!,
        phone.cookies.get("keyward_session")!,
      ]) {
        expect(text).not.toContain(cookie);
      }
    });

    it("revokes one session (fresh), and never another user's", async () => {
      const { desk, phone } = await signedInTwice();
      const stranger = await signedInTwice();
      const theirs = (await stranger.desk.get<Listed>("/sessions")).body.sessions[0]!.id;
      expectCode(await desk.post("/sessions/revoke", { id: theirs }), 404, "SESSION_NOT_FOUND");
      expect((await stranger.desk.get("/me")).status).toBe(200);

      const other = (await desk.get<Listed>("/sessions")).body.sessions.find((s) => !s.current)!;
      h.clock.advance(11 * MINUTE);
      expectCode(await desk.post("/sessions/revoke", { id: other.id }), 403, "FRESHNESS_REQUIRED");
      await desk.post("/verify", { password: PASSWORD });
      const revoked = await desk.post("/sessions/revoke", { id: other.id });
      expect(revoked.body).toEqual({ ok: true, current: false });
      expectCode(await phone.get("/me"), 401, "UNAUTHENTICATED");
      expect((await desk.get("/me")).status).toBe(200);
      expect((await desk.get<Listed>("/sessions")).body.sessions).toHaveLength(1);
    });

    it("signs out everywhere", async () => {
      const { desk, phone } = await signedInTwice();
      const me = await desk.get<SessionBody>("/me");
      const out = await desk.post("/sign-out-everywhere");
      expect(out.body).toEqual({ ok: true, sessionsRevoked: 2 });
      expectCode(await desk.get("/me"), 401, "UNAUTHENTICATED");
      expectCode(await phone.get("/me"), 401, "UNAUTHENTICATED");
      expect(await eventTypes(h, me.body.user.id)).toContain("session.revoked-all");
    });
  });
});

describe.each(targets)("account lifecycle policies on $name", (target) => {
  let h: Harness;
  const box = new Mailbox();
  beforeAll(async () => {
    h = await startHarness(target, {
      mailer: box,
      accounts: { allowPasswordless: true },
      lifecycle: { confirmEmail: "required", recoveryRequiresRecoveryCode: false },
      rateLimits: { accountMailsPerAddress: 2, accountMailsPerIp: 5 },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it("signs nobody in before the address is confirmed, with confirmEmail required", async () => {
    const client = h.client();
    const email = uniqueEmail("strict");
    const mark = box.mark();
    const signup = await client.post("/register", { email, password: PASSWORD });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body).toMatchObject({ emailConfirmationRequired: true, user: { email } });
    expect(startedSession(signup)).toBe(false);
    const mail = await box.next(email, "confirm-email", mark);

    const early = await h.client().post("/login", { identity: email, password: PASSWORD });
    expectCode(early, 403, "EMAIL_NOT_CONFIRMED");
    const wrong = await h.client().post("/login", { identity: email, password: "wrong password" });
    expectCode(wrong, 401, "INVALID_CREDENTIALS");

    expect((await h.client().post("/confirm-email", { token: tokenOf(mail) })).status).toBe(200);
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
  });

  it("gets a passkey-only sign-up its first key by recovery, and skips the code when the policy says so", async () => {
    const email = uniqueEmail("lenient");
    const signup = await h.client().post("/register", { email });
    expect(signup.body).toMatchObject({ emailConfirmationRequired: true });
    const recover = async () => {
      const mark = box.mark();
      expect((await h.client().post("/recover-account", { email })).status).toBe(200);
      const token = tokenOf(await box.next(email, "recover-account", mark));
      const lost = h.client();
      const recovered = await lost.post<SessionBody>("/recover-account/complete", { token });
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
      // The link reached the mailbox: that confirms the address too.
      expect(recovered.body.user.emailConfirmed).toBe(true);
      return lost;
    };
    const key = new SoftwareAuthenticator({ origin: h.origin });
    const reg = await registerKey(await recover(), key, { name: "Key", usage: "first" });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const full = h.client();
    expect((await signInWithKey(full, key)).status).toBe(200);
    await enrolTotp(h, full);

    // Two-factor is on, but recoveryRequiresRecoveryCode is false: the link alone recovers.
    const lost = await recover();
    expect((await lost.get<SessionBody>("/me")).body.session).toMatchObject({
      limited: "recovery",
    });
  });

  it("limits mails per address and per IP alike for known and unknown addresses", async () => {
    h.clock.advance(16 * MINUTE); // a new rate-limit window
    const email = uniqueEmail("limited");
    await h.client().post("/register", { email, password: PASSWORD });
    const ghost = uniqueEmail("ghost");
    const answers: Record<string, number[]> = { [email]: [], [ghost]: [] };
    for (let i = 0; i < 3; i += 1) {
      for (const address of [email, ghost]) {
        answers[address]!.push(
          (await h.client().post("/reset-password", { email: address })).status,
        );
      }
    }
    expect(answers[email]).toEqual([200, 200, 429]);
    expect(answers[ghost]).toEqual(answers[email]);
    const limited = await h.client().post("/reset-password", { email: uniqueEmail("fresh") });
    // 7th request from this IP in the window (limit 5).
    expectCode(limited, 429, "RATE_LIMITED");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    h.clock.advance(16 * MINUTE);
    expect((await h.client().post("/reset-password", { email })).status).toBe(200);
  });
});

describe("account mail timing", () => {
  it("takes about as long for a known address as for an unknown one", async () => {
    const [sqlite] = targets;
    const box = new Mailbox();
    const h = await startHarness(sqlite!, {
      mailer: box,
      rateLimits: { accountMailsPerAddress: 1000, accountMailsPerIp: 1000 },
    });
    try {
      const client: TestClient = h.client();
      const email = uniqueEmail("timed");
      await client.post("/register", { email, password: PASSWORD });
      const time = async (address: string) => {
        const start = performance.now();
        await h.client().post("/reset-password", { email: address });
        return performance.now() - start;
      };
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 20; i += 1) {
        if (i % 2 === 0) {
          known.push(await time(email));
          unknown.push(await time(uniqueEmail("ghost")));
        } else {
          unknown.push(await time(uniqueEmail("ghost")));
          known.push(await time(email));
        }
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
      const [a, b] = [median(known), median(unknown)];
      expect(Math.abs(a - b), `${a.toFixed(1)} ms vs ${b.toFixed(1)} ms`).toBeLessThanOrEqual(
        0.35 * Math.max(a, b) + 3,
      );
    } finally {
      await h.close();
    }
  });
});

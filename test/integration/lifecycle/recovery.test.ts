import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../../src/testing/index.js";
import { startedSession } from "../../helpers/attacks.js";
import { PASSWORD, registerKey, signInWithKey, uniqueEmail } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import {
  expectCode,
  type Json,
  lifecyclePolicySuite,
  lifecycleSuite,
  MINUTE,
  NEW_PASSWORD,
  type SessionBody,
} from "../../helpers/lifecycle.js";
import { tokenOf } from "../../helpers/mailbox.js";
import { enrolTotp, errorCode } from "../../helpers/two-factor.js";

// Account recovery by emailed link: the limited session that registers a key, recovery codes, and
// the lenient policy.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, box, authenticator, passwordUser, passkeyUser, recoveryToken } =
    lifecycleSuite(target);

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
      expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);

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
      const events = await h.store.events.list({ userId, type: "account.recovered" });
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
      expect(await h.store.recoveryCodes.countUnused(stranger.userId)).toBe(strangerCodes.length);
      expectCode(await lost.get("/me"), 401, "UNAUTHENTICATED");

      const ok = await lost.post<SessionBody>("/recover-account/complete", {
        token,
        recoveryCode: recoveryCodes[0],
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.session).toMatchObject({ limited: "recovery", amr: ["email"] });
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(recoveryCodes.length - 1);
      const events = await h.store.events.list({ userId, type: "account.recovered" });
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
});

describe.each(targets)("account lifecycle policies on $name", (target) => {
  const { h, box } = lifecyclePolicySuite(target);

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
});

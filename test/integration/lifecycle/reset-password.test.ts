import { describe, expect, it } from "vitest";
import { startedSession } from "../../helpers/attacks.js";
import { databaseTargets } from "../../helpers/databases.js";
import {
  expectCode,
  lifecycleSuite,
  MINUTE,
  NEW_PASSWORD,
  type SessionBody,
} from "../../helpers/lifecycle.js";
import { tokenOf } from "../../helpers/mailbox.js";
import { enrolTotp, errorCode, totpAt } from "../../helpers/two-factor.js";

// Password reset by emailed link.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, box, passwordUser, confirmAddress, passkeyUser, login, resetToken } =
    lifecycleSuite(target);

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
      const events = await h.store.events.list({ userId, type: "account.password-reset" });
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
      expect((await h.store.users.byId(userId))?.emailConfirmedAt).toBeNull();
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
      expect(await h.store.accountTokens.deleteForUser(userId, "reset-password")).toBe(0);
    });
  });
});

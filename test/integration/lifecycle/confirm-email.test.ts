import { describe, expect, it } from "vitest";
import { hashToken } from "../../../src/core/ids.js";
import { startedSession } from "../../helpers/attacks.js";
import { PASSWORD, uniqueEmail } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import {
  DAY,
  expectCode,
  lifecyclePolicySuite,
  lifecycleSuite,
  type SessionBody,
} from "../../helpers/lifecycle.js";
import { tokenOf } from "../../helpers/mailbox.js";
import { eventTypes, newUser } from "../../helpers/two-factor.js";

// Email confirmation: the link mailed at sign-up, the grace period, resending, and confirmEmail
// "required".

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, box, passwordUser, login } = lifecycleSuite(target);

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
      expect(await h.store.accountTokens.find(token, "confirm-email")).toBeUndefined();
      expect(await h.store.accountTokens.find(hashToken(token), "confirm-email")).toMatchObject({
        userId,
        purpose: "confirm-email",
        data: { email },
      });
      const confirmed = await h
        .client()
        .post<{ ok: boolean; user: SessionBody["user"] }>("/confirm-email", { token });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body).toMatchObject({ ok: true, user: { email, emailConfirmed: true } });
      expect((await h.store.users.byId(userId))?.emailConfirmedAt).toBe(h.clock.now());
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
});

describe.each(targets)("account lifecycle policies on $name", (target) => {
  const { h, box } = lifecyclePolicySuite(target);

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
});

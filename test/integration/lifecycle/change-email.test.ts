import { describe, expect, it } from "vitest";
import { uniqueEmail } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import {
  expectCode,
  lifecycleSuite,
  MINUTE,
  NEW_PASSWORD,
  type SessionBody,
} from "../../helpers/lifecycle.js";
import { tokenOf } from "../../helpers/mailbox.js";
import { eventTypes } from "../../helpers/two-factor.js";

// Changing the email address: the link to the new one, the notice to the old one.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, box, passwordUser, login, resetToken } = lifecycleSuite(target);

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
      expect((await h.store.users.byId(userId))?.email).toBe(newEmail);
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
      expect((await h.store.users.byId(bob.userId))?.email).toBe(bob.email);
      expect((await h.store.users.byId(alice.userId))?.email).toBe(alice.email);

      expect((await alice.client.post("/change-email/complete", { token })).status).toBe(200);
      expect((await h.store.users.byId(alice.userId))?.email).toBe(newEmail);
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
});

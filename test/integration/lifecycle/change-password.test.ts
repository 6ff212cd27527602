import { describe, expect, it } from "vitest";
import { PASSWORD } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import {
  expectCode,
  lifecycleSuite,
  MINUTE,
  NEW_PASSWORD,
  type SessionBody,
} from "../../helpers/lifecycle.js";
import { eventTypes } from "../../helpers/two-factor.js";

// Changing or setting a password from a signed-in session.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h, box, passwordUser, passkeyUser, login, resetToken } = lifecycleSuite(target);

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
});

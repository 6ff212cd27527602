import { describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../../helpers/ceremonies.js";
import { databaseTargets } from "../../helpers/databases.js";
import { expectCode, lifecycleSuite, MINUTE, type SessionBody } from "../../helpers/lifecycle.js";
import { eventTypes } from "../../helpers/two-factor.js";

// Listing and revoking sessions, and signing out everywhere.

const targets = await databaseTargets();

describe.each(targets)("account lifecycle on $name", (target) => {
  const { h } = lifecycleSuite(target);

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

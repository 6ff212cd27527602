import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import { registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { useHarness } from "../helpers/harness.js";
import { endSessions, enrolTotp, newUser, passwordStep, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe.each(targets)("a pending second factor stays with its browser on $name", (target) => {
  const h = useHarness(target);

  /** A user with TOTP, a secondary key and recovery codes, all signed out. */
  async function enrolled() {
    const user = await newUser(h);
    const { secret, recoveryCodes } = await enrolTotp(h, user.client);
    await user.client.post("/logout");
    await endSessions(h, user.userId);
    return { ...user, secret, recoveryCodes };
  }

  it("refuses the state string from another client on every route that continues a sign-in", async () => {
    const { email, userId, secret, recoveryCodes } = await enrolled();
    const { client: victim, pending } = await passwordStep(h, email);
    const thief = h.client();
    const attempts = [
      () => thief.post("/tf-select", { state: pending.state, method: "totp" }),
      async () =>
        thief.post("/tf-validate", {
          state: pending.state,
          method: "totp",
          code: await totpAt(secret, h.clock.now()),
        }),
      () => thief.post("/mf-recovery", { state: pending.state, code: recoveryCodes[0] }),
      () => thief.post("/tf-remembered", { state: pending.state }),
      () => thief.post("/wan-signin", { secondFactorState: pending.state }),
      () => thief.post("/tf-continue", { state: pending.state }),
    ];
    for (const attempt of attempts) {
      const result = await attempt();
      expectRefused(result, "STATE_INVALID");
      expect(startedSession(result)).toBe(false);
    }
    expect(await h.store.sessions.listForUser(userId)).toEqual([]);
    // The browser that proved the password still completes it.
    const done = await victim.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect((done.body as { session: { aal: number } }).session.aal).toBe(2);
  });

  it("refuses a form post that carries another browser's state", async () => {
    const { email, secret } = await enrolled();
    const { pending } = await passwordStep(h, email);
    const thief = new FormBrowser(h);
    const code = await totpAt(secret, h.clock.now());
    const result = await thief.submit("/auth/login", "/auth/tf-validate", {
      state: pending.state,
      method: "totp",
      code,
    });
    // The page again with the error, no session cookie.
    expect(result.status).toBe(400);
    expect([...thief.cookies.keys()].some((name) => name.includes("keyward_session"))).toBe(false);
  });

  it("refuses a key ceremony for another browser's pending sign-in", async () => {
    const user = await newUser(h);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    await registerKey(user.client, key, { name: "2fa", usage: "secondary" });
    await user.client.post("/logout");
    const { client: victim, pending } = await passwordStep(h, user.email);
    // The thief starts the key step with the victim's state and a cookie-less client.
    const thief = h.client();
    const start = await thief.post("/wan-signin", { secondFactorState: pending.state });
    expectRefused(start, "STATE_INVALID");
    const own = await signInWithKey(victim, key, { secondFactorState: pending.state });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
  });
});

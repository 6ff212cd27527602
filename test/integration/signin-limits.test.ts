import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signUp,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("sign-in rate limits on $name", (target) => {
  const h = useHarness(target, {
    rateLimits: { signinFailuresPerAccount: 3, signinFailuresPerIp: 8, window: "15m" },
  });

  it("locks an account after repeated wrong passwords, even for the right one, until the window ends", async () => {
    const email = await signUp(h.client());
    for (let i = 0; i < 3; i += 1) {
      expectRefused(
        await h.client().post("/login", { identity: email, password: "wrong password" }),
        "INVALID_CREDENTIALS",
      );
    }
    const locked = await h
      .client()
      .post("/login", { identity: email.toUpperCase(), password: PASSWORD });
    expectRefused(locked, "RATE_LIMITED");
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    h.clock.advance(15 * 60_000);
    expect((await h.client().post("/login", { identity: email, password: PASSWORD })).status).toBe(
      200,
    );
  });

  it("locks an unknown identity exactly like a known one", async () => {
    const ghost = uniqueEmail("ghost");
    for (let i = 0; i < 3; i += 1)
      await h.client().post("/login", { identity: ghost, password: "wrong password" });
    expectRefused(
      await h.client().post("/login", { identity: ghost, password: "wrong password" }),
      "RATE_LIMITED",
    );
    h.clock.advance(15 * 60_000);
  });

  it("limits failed key sign-ins per IP, without counting successes", async () => {
    const client = h.client();
    await signUp(client);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    await registerKey(client, key, { name: "k", usage: "first" });
    for (let i = 0; i < 10; i += 1) expect((await signInWithKey(h.client(), key)).status).toBe(200);
    for (let i = 0; i < 8; i += 1) {
      expectRefused(
        await signInWithKey(h.client(), key, {}, { tamperSignature: true }),
        "WEBAUTHN_VERIFICATION_FAILED",
      );
    }
    expectRefused(await signInWithKey(h.client(), key), "RATE_LIMITED");
    h.clock.advance(15 * 60_000);
    expect((await signInWithKey(h.client(), key)).status).toBe(200);
  });
});

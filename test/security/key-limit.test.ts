import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import {
  registerKey,
  signInWithKey,
  startKeyRegistration,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, useHarness } from "../helpers/harness.js";
import { newUser } from "../helpers/two-factor.js";

const targets = await databaseTargets();
const LIMIT = 3;

describe.each(targets)("keys per account on $name", (target) => {
  const h = useHarness(target, { webauthn: { maxKeysPerUser: LIMIT } });

  it("stops at webauthn.maxKeysPerUser, at the start and at the finish of a registration", async () => {
    const { client, userId, email } = await newUser(h);
    const passkey = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, passkey, { name: "key 1", usage: "first" })).status).toBe(
      201,
    );
    expect((await signInWithKey(client, passkey)).status).toBe(200);
    expect(
      (
        await registerKey(client, new SoftwareAuthenticator({ origin: h.origin }), {
          name: "key 2",
          usage: "first",
        })
      ).status,
    ).toBe(201);
    // Two ceremonies started at two keys: only one of them may finish.
    const third = await startKeyRegistration(client, { name: "key 3", usage: "secondary" });
    const fourth = await startKeyRegistration(client, { name: "key 4", usage: "secondary" });
    const finish = async (start: typeof third) =>
      client.post("/wan-register-response", {
        state: start.state,
        credential: await new SoftwareAuthenticator({ origin: h.origin }).register(start.options),
      });
    expect((await finish(third)).status).toBe(201);
    expectRefused(await finish(fourth), "WEBAUTHN_KEY_LIMIT");
    expectRefused(
      await client.post("/wan-register", { name: "key 5", usage: "first" }),
      "WEBAUTHN_KEY_LIMIT",
    );
    expect((await h.store.credentials.listForUser(userId)).length).toBe(LIMIT);
    // A sign-in with user hints lists at most the limit.
    const start = await startKeySignin(h.client(), { identity: email });
    expect(start.options.allowCredentials?.length ?? 0).toBeLessThanOrEqual(LIMIT);
  });

  it("defaults to ten keys", async () => {
    const other = await startHarness(target);
    try {
      expect(other.auth.config.webauthn.maxKeysPerUser).toBe(10);
    } finally {
      await other.close();
    }
  });
});

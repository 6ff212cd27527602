import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signUp,
  startKeyRegistration,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("ceremony state attacks on $name", (target) => {
  const h = useHarness(target);

  async function holder() {
    const client = h.client();
    const email = await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    await registerKey(client, authenticator, { name: "k", usage: "first" });
    return { client, email, authenticator };
  }

  /**
   * Gives the account a key and the client an AAL2 session: once the first key is registered,
   * an AAL1 session would be stopped (AAL_REQUIRED) before the state is looked at, so the
   * replayed or racing completions would never reach the state check these tests are about.
   */
  async function withAal2Session(client: TestClient) {
    await registerFirstKeyAndSignIn(client, new SoftwareAuthenticator({ origin: h.origin }), {
      name: "existing",
    });
  }

  it("refuses a replayed registration state", async () => {
    const client = h.client();
    await signUp(client);
    await withAal2Session(client);
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    const credential = await new SoftwareAuthenticator({ origin: h.origin }).register(options);
    expect((await client.post("/wan-register-response", { state, credential })).status).toBe(201);
    expectRefused(
      await client.post("/wan-register-response", { state, credential }),
      "STATE_INVALID",
    );
  });

  it("refuses an expired registration state", async () => {
    const client = h.client();
    await signUp(client);
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    const credential = await new SoftwareAuthenticator({ origin: h.origin }).register(options);
    h.clock.advance(5 * 60_000 + 1);
    expectRefused(
      await client.post("/wan-register-response", { state, credential }),
      "STATE_EXPIRED",
    );
  });

  it("refuses a sign-in state used to verify (kind swap)", async () => {
    const { client, authenticator } = await holder();
    const { options, state } = await startKeySignin(h.client());
    const credential = await authenticator.authenticate(options);
    expectRefused(
      await client.post("/wan-verify-response", { state, credential }),
      "STATE_INVALID",
    );
  });

  it("refuses a verify state from another session of the same user (session swap)", async () => {
    const { client, email, authenticator } = await holder();
    const other = h.client();
    await other.post("/login", { identity: email, password: PASSWORD });
    const start = await client.post<{ options: never; state: string }>("/wan-verify", {});
    const credential = await authenticator.authenticate(start.body.options);
    expectRefused(
      await other.post("/wan-verify-response", { state: start.body.state, credential }),
      "STATE_INVALID",
    );
  });

  it("refuses a pending second-factor state of another user (user swap)", async () => {
    const makeTwoFactorUser = async () => {
      const client = h.client();
      const email = await signUp(client);
      const key = new SoftwareAuthenticator({
        origin: h.origin,
        userVerification: false,
        transports: ["usb"],
      });
      await registerKey(client, key, { name: "sk", usage: "secondary" });
      return { email, key };
    };
    const alice = await makeTwoFactorUser();
    const mallory = await makeTwoFactorUser();
    const aliceLogin = await h
      .client()
      .post("/login", { identity: alice.email, password: PASSWORD });
    const malloryClient = h.client();
    const malloryLogin = await malloryClient.post("/login", {
      identity: mallory.email,
      password: PASSWORD,
    });
    // Mallory completes her own key ceremony but presents Alice's pending state.
    const { options, state } = await startKeySignin(malloryClient, {
      secondFactorState: malloryLogin.body.state,
    });
    const credential = await mallory.key.authenticate(options);
    const result = await malloryClient.post("/wan-signin-response", {
      state,
      credential,
      secondFactorState: aliceLogin.body.state,
    });
    expectRefused(result, "STATE_INVALID");
    expect(startedSession(result)).toBe(false);
  });

  it("lets exactly one of many concurrent completions of a registration state win", async () => {
    const client = h.client();
    await signUp(client);
    await withAal2Session(client);
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    const credential = await new SoftwareAuthenticator({ origin: h.origin }).register(options);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => client.post("/wan-register-response", { state, credential })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expectRefused(r, "STATE_INVALID");
  });

  it("refuses a state token that was never issued", async () => {
    expectRefused(
      await h.client().post("/wan-signin-response", {
        state: "x".repeat(43),
        credential: {
          id: "AA",
          rawId: "AA",
          type: "public-key",
          response: { clientDataJSON: "AA", authenticatorData: "AA", signature: "AA" },
          clientExtensionResults: {},
        },
      }),
      "STATE_INVALID",
    );
  });
});

import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession, userSnapshot, withField } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signUp,
  startKeySignin,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("authentication attacks on $name", (target) => {
  const h = useHarness(target);

  async function holder(
    options: Partial<ConstructorParameters<typeof SoftwareAuthenticator>[0]> = {},
  ) {
    const client = h.client();
    const email = await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const authenticator = new SoftwareAuthenticator({ origin: h.origin, ...options });
    expect((await registerKey(client, authenticator, { name: "k", usage: "first" })).status).toBe(
      201,
    );
    return { client, email, userId, authenticator };
  }

  async function refused(
    overrides: Parameters<SoftwareAuthenticator["authenticate"]>[1],
    code = "WEBAUTHN_VERIFICATION_FAILED",
  ) {
    const { userId, authenticator } = await holder();
    const before = await userSnapshot(h, userId);
    const result = await signInWithKey(h.client(), authenticator, {}, overrides);
    expectRefused(result, code);
    expect(startedSession(result)).toBe(false);
    expect(await userSnapshot(h, userId)).toEqual(before);
  }

  it("refuses clientData of the wrong type", () => refused({ type: "webauthn.create" }));
  it("refuses a challenge mismatch", () =>
    refused({ challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }));
  it("refuses a subdomain origin", () =>
    refused({ origin: h.origin.replace("localhost", "sub.localhost") }));
  it("refuses a different port", () => refused({ origin: "http://localhost:1" }));
  it("refuses topOrigin set", () => refused({ topOrigin: "https://evil.example" }));
  it("refuses an rpIdHash for another RP", () => refused({ rpId: "evil.example" }));
  it("refuses a response without user presence", () => refused({ flags: { up: false } }));
  it("refuses BS set without BE", () => refused({ flags: { be: false, bs: true } }));
  it("refuses a signature over other data", () =>
    refused({ signOver: new Uint8Array(64).fill(1) }));
  it("refuses a response claiming another user's handle", async () => {
    const other = await holder();
    await refused(
      { userHandle: other.authenticator.credentials[0]!.userHandle },
      "WEBAUTHN_USER_HANDLE_MISMATCH",
    );
  });
  it("refuses a discoverable response without a user handle", () =>
    refused({ userHandle: null }, "WEBAUTHN_USER_HANDLE_MISMATCH"));

  it("refuses a deleted key", async () => {
    const { client, authenticator } = await holder();
    // Deleting a key needs an AAL2 session: sign in with it first.
    expect((await signInWithKey(client, authenticator)).status).toBe(200);
    const deleted = await client.post("/wan-delete", { name: "k" });
    expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
    expectRefused(await signInWithKey(h.client(), authenticator), "WEBAUTHN_UNKNOWN_CREDENTIAL");
  });

  it("refuses the key of a deactivated user and ends their sessions", async () => {
    const { client, userId, authenticator } = await holder();
    await h.store.users.setActive(userId, false);
    const result = await signInWithKey(h.client(), authenticator);
    expectRefused(result, "ACCOUNT_INACTIVE");
    expect(startedSession(result)).toBe(false);
    expect((await client.get("/me")).status).toBe(401);
  });

  it("refuses user B's key answering a sign-in for user A", async () => {
    const alice = await holder();
    const bob = await holder();
    const visitor = h.client();
    const { options, state } = await startKeySignin(visitor, { identity: alice.email });
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([
      alice.authenticator.credentials[0]!.id,
    ]);
    const credential = await bob.authenticator.authenticate(options, {
      credentialId: bob.authenticator.credentials[0]!.id,
    });
    const result = await visitor.post("/wan-signin-response", { state, credential });
    expectRefused(result, "WEBAUTHN_UNKNOWN_CREDENTIAL");
    expect(startedSession(result)).toBe(false);
  });

  it("refuses another user's key in step-up verify (GHSA-f66q-9rf6-8795)", async () => {
    const alice = await holder();
    const bob = await holder();
    h.clock.advance(11 * 60_000);
    const start = await alice.client.post<{ options: never; state: string }>("/wan-verify", {});
    const credential = await bob.authenticator.authenticate(start.body.options, {
      credentialId: bob.authenticator.credentials[0]!.id,
    });
    expectRefused(
      await alice.client.post("/wan-verify-response", { state: start.body.state, credential }),
      "WEBAUTHN_UNKNOWN_CREDENTIAL",
    );
    expect((await alice.client.get("/me")).body.session).toMatchObject({ fresh: false });
    await alice.client.post("/verify", { password: PASSWORD });
  });

  it("refuses malformed base64 in every field", async () => {
    const { authenticator, userId } = await holder();
    const before = await userSnapshot(h, userId);
    for (const field of [
      "id",
      "rawId",
      "response.clientDataJSON",
      "response.authenticatorData",
      "response.signature",
      "response.userHandle",
    ]) {
      for (const value of [
        "!!not base64!!",
        7,
        null,
        Buffer.from("{not json").toString("base64url"),
        // Valid JSON, but not the object clientDataJSON must be.
        Buffer.from("null").toString("base64url"),
        Buffer.from("42").toString("base64url"),
      ]) {
        const visitor = h.client();
        const { options, state } = await startKeySignin(visitor);
        const credential = await authenticator.authenticate(options);
        const result = await visitor.post("/wan-signin-response", {
          state,
          credential: withField(credential, field, value),
        });
        expectRefused(result);
        expect(startedSession(result)).toBe(false);
      }
    }
    const after = await userSnapshot(h, userId);
    expect(after.user).toEqual(before.user);
    // Refused responses never advance the counter or record a use.
    expect(after.credentials.map((c) => c.signCount)).toEqual(
      before.credentials.map((c) => c.signCount),
    );
  });
});

import { describe, expect, it } from "vitest";
import type { KeywardConfig } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { WebauthnUtil } from "../../src/webauthn/util.js";
import { expectRefused, userSnapshot, withField } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  signUp,
  startKeyRegistration,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, type TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

class UvRequiredUtil extends WebauthnUtil {
  constructor(config: KeywardConfig) {
    super(config);
  }
  override authenticatorSelection() {
    return { userVerification: "required" as const, residentKey: "preferred" as const };
  }
}

describe.each(targets)("registration attacks on $name", (target) => {
  const h = useHarness(target, {
    webauthn: { algorithms: ["ES256", "RS256"] },
    // One user here starts dozens of registrations in a window (one per malformed field).
    rateLimits: { ceremonyStartsPerUser: 1_000 },
  });

  async function signedIn(): Promise<{ client: TestClient; userId: string }> {
    const client = h.client();
    await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    return { client, userId };
  }

  /** Runs a registration with a tampered response; it must be refused and store nothing. */
  async function refused(
    overrides: Parameters<SoftwareAuthenticator["register"]>[1],
    code = "WEBAUTHN_VERIFICATION_FAILED",
    authenticatorOptions: Partial<ConstructorParameters<typeof SoftwareAuthenticator>[0]> = {},
  ) {
    const { client, userId } = await signedIn();
    const before = await userSnapshot(h, userId);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin, ...authenticatorOptions });
    const result = await registerKey(
      client,
      authenticator,
      { name: "k", usage: "first" },
      overrides,
    );
    expectRefused(result, code);
    expect(await userSnapshot(h, userId)).toEqual(before);
  }

  it("refuses clientData of the wrong type", () => refused({ type: "webauthn.get" }));
  it("refuses a challenge mismatch", () =>
    refused({ challenge: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }));
  it("refuses another origin", () => refused({ origin: "https://evil.example" }));
  it("refuses a subdomain origin", () =>
    refused({ origin: h.origin.replace("localhost", "sub.localhost") }));
  it("refuses a different port", () => refused({ origin: "http://localhost:1" }));
  it("refuses a response made in a cross-origin iframe", () => refused({ crossOrigin: true }));
  it("refuses a response with topOrigin set", () => refused({ topOrigin: "https://evil.example" }));
  it("refuses an rpIdHash for another RP", () => refused({ rpId: "evil.example" }));
  it("refuses a response without user presence", () => refused({ flags: { up: false } }));
  it("refuses BS set without BE", () => refused({ flags: { be: false, bs: true } }));
  it("refuses a credential id over 1023 bytes", () =>
    refused({ credentialId: Buffer.alloc(1024, 7).toString("base64url") }));

  it("refuses a key algorithm the RP did not offer", async () => {
    const { client, userId } = await signedIn();
    const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
    // A client that ignores pubKeyCredParams and answers with an EdDSA key.
    const rogue = await new SoftwareAuthenticator({
      origin: h.origin,
      algorithm: "EdDSA",
    }).register({
      ...options,
      pubKeyCredParams: [{ type: "public-key", alg: -8 }],
    });
    const result = await client.post("/wan-register-response", { state, credential: rogue });
    expectRefused(result, "WEBAUTHN_VERIFICATION_FAILED");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });

  it("refuses a credential id already registered to another user", async () => {
    const alice = await signedIn();
    const aliceKey = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(alice.client, aliceKey, { name: "k", usage: "first" })).status).toBe(
      201,
    );
    const bob = await signedIn();
    const result = await registerKey(
      bob.client,
      new SoftwareAuthenticator({ origin: h.origin }),
      { name: "k", usage: "first" },
      {
        credentialId: aliceKey.credentials[0]!.id,
      },
    );
    expectRefused(result, "WEBAUTHN_CREDENTIAL_EXISTS");
    expect(await h.store.credentials.listForUser(bob.userId)).toEqual([]);
    expect((await h.store.credentials.byCredentialId(aliceKey.credentials[0]!.id))?.userId).toBe(
      alice.userId,
    );
  });

  it("lists existing keys in excludeCredentials, and refuses the same key again if a client ignores it", async () => {
    const { client, userId } = await signedIn();
    const key = new SoftwareAuthenticator({ origin: h.origin });
    // Signed in with it (AAL2), the session may start another registration.
    await registerFirstKeyAndSignIn(client, key, { name: "one" });
    const { options } = await startKeyRegistration(client, { name: "two", usage: "first" });
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([key.credentials[0]!.id]);
    await expect(key.register(options)).rejects.toMatchObject({ name: "InvalidStateError" });
    const forced = await registerKey(
      client,
      key,
      { name: "two", usage: "first" },
      {
        ignoreExcludeCredentials: true,
        credentialId: key.credentials[0]!.id,
      },
    );
    expectRefused(forced, "WEBAUTHN_CREDENTIAL_EXISTS");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("refuses malformed base64 and CBOR in every field", async () => {
    const { client, userId } = await signedIn();
    const email = (await client.get<{ user: { email: string } }>("/me")).body.user.email;
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const fields = [
      "id",
      "rawId",
      "response.clientDataJSON",
      "response.attestationObject",
      "response.authenticatorData",
      "response.publicKey",
    ];
    const garbage = [
      "!!not base64!!",
      "",
      Buffer.from("not cbor at all").toString("base64url"),
      // Valid JSON, but not the object clientDataJSON must be.
      Buffer.from("null").toString("base64url"),
      "A",
      12,
      null,
      { a: 1 },
    ];
    for (const field of fields) {
      for (const value of garbage) {
        const { options, state } = await startKeyRegistration(client, {
          name: "k",
          usage: "first",
        });
        const credential = await authenticator.register(options, {
          ignoreExcludeCredentials: true,
        });
        const result = await client.post("/wan-register-response", {
          state,
          credential: withField(credential, field, value),
        });
        if (result.status === 201) {
          // Only the optional hints the verifier does not read (the attestation object is
          // authoritative) may be ignored, and only with well-formed values or null (which
          // clients send for "absent").
          expect(
            ["response.publicKey", "response.authenticatorData"],
            `${field}=${JSON.stringify(value)} was accepted`,
          ).toContain(field);
          expect(typeof value === "string" || value === null).toBe(true);
          await client.post("/verify", { password: PASSWORD });
          const list = await h.store.credentials.listForUser(userId);
          // The account now has a first key: deleting it needs an AAL2 session, so sign in with it.
          const aal2 = await signInWithKey(
            client,
            authenticator,
            {},
            {
              credentialId: list[0]!.credentialId,
            },
          );
          expect(aal2.status, JSON.stringify(aal2.body)).toBe(200);
          const deleted = await client.post("/wan-delete", { id: list[0]!.id });
          expect(deleted.status, JSON.stringify(deleted.body)).toBe(200);
          // Deleting the key that earned the session ends it: sign in again with the password
          // (the account has no key left, so AAL1 may add the next first key).
          const again = await client.post("/login", { identity: email, password: PASSWORD });
          expect(again.status, JSON.stringify(again.body)).toBe(200);
          continue;
        }
        expectRefused(result);
      }
    }
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });
});

describe.each(targets)("registration policy on $name", (target) => {
  it("refuses a key without user verification when the policy requires it", async () => {
    const h = await startHarness(target, { webauthnUtil: UvRequiredUtil });
    try {
      const client = h.client();
      await signUp(client);
      const result = await registerKey(
        client,
        new SoftwareAuthenticator({ origin: h.origin, userVerification: false }),
        {
          name: "k",
          usage: "first",
        },
      );
      expectRefused(result, "WEBAUTHN_VERIFICATION_FAILED");
    } finally {
      await h.close();
    }
  });

  it("refuses an attestation format the policy does not accept", async () => {
    const h = await startHarness(target, { webauthn: { attestationFormats: ["none"] } });
    try {
      const client = h.client();
      await signUp(client);
      const packed = await registerKey(
        client,
        new SoftwareAuthenticator({ origin: h.origin, attestation: "packed" }),
        {
          name: "k",
          usage: "first",
        },
      );
      expectRefused(packed, "WEBAUTHN_VERIFICATION_FAILED");
      const none = await registerKey(client, new SoftwareAuthenticator({ origin: h.origin }), {
        name: "k",
        usage: "first",
      });
      expect(none.status).toBe(201);
    } finally {
      await h.close();
    }
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import type { KeywardConfig } from "../../src/index.js";
import { WebauthnUtil } from "../../src/webauthn/util.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { applyRootCertificates, type Fixture, fixtures } from "../helpers/interop-fixtures.js";

// Recorded responses from real authenticators run through Keyward's own HTTP flow: the only
// change is a WebauthnUtil whose challenge is the recorded one (and, where the vector needs
// it, an algorithm list that includes its key type).
const [sqlite] = await databaseTargets();

function utilFor(fx: Fixture) {
  return class RecordedChallengeUtil extends WebauthnUtil {
    constructor(config: KeywardConfig) {
      super(config);
    }
    override generateChallenge(): string {
      return fx.expectedChallenge;
    }
    override supportedAlgorithmIds(): number[] {
      return fx.supportedAlgorithmIDs ?? super.supportedAlgorithmIds();
    }
  };
}

async function harnessFor(fx: Fixture): Promise<Harness> {
  return startHarness(sqlite!, {
    rp: { id: fx.rpId, name: "Interop", origins: [fx.origin] },
    webauthnUtil: utilFor(fx),
  });
}

async function registersThroughKeyward(fx: Extract<Fixture, { kind: "registration" }>) {
  const h = await harnessFor(fx);
  const restoreRoots = applyRootCertificates(fx);
  try {
    const client = h.client();
    const signup = await client.post<{ user: { id: string } }>("/register", {
      email: "interop@example.com",
      password: "correct horse battery",
    });
    const start = await client.post<{
      options: { challenge: string; pubKeyCredParams: { alg: number }[] };
      state: string;
    }>("/wan-register", {
      name: fx.format,
      usage: "secondary",
    });
    expect(start.body.options.challenge).toBe(fx.expectedChallenge);
    // The algorithms offered are the ones the policy accepts.
    if (fx.supportedAlgorithmIDs) {
      expect(start.body.options.pubKeyCredParams.map((p) => p.alg)).toEqual(
        fx.supportedAlgorithmIDs,
      );
    }
    if (fx.atTime) {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(new Date(fx.atTime));
    }
    const done = await client.post("/wan-register-response", {
      state: start.body.state,
      credential: fx.response,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    const [stored] = await h.store.credentials.listForUser(signup.body.user.id);
    expect(stored).toMatchObject({
      credentialId: fx.expect.credentialId,
      publicKey: fx.expect.credentialPublicKey,
      attestationFormat: fx.expect.fmt,
      aaguid: fx.expect.aaguid,
      signCount: fx.expect.counter,
    });
  } finally {
    vi.useRealTimers();
    restoreRoots();
    await h.close();
  }
}

async function signsInThroughKeyward(fx: Extract<Fixture, { kind: "authentication" }>) {
  const h = await harnessFor(fx);
  try {
    const email = "holder@example.com";
    // The key was registered elsewhere: seed its owner (with the recorded user handle) and key.
    const user = await h.store.users.create({
      email,
      username: null,
      passwordHash: null,
      webauthnUserHandle:
        fx.response.response.userHandle ?? Buffer.from("recorded-user").toString("base64url"),
    });
    await h.store.credentials.create({
      userId: user.id,
      credentialId: fx.credential.id,
      publicKey: fx.credential.publicKey,
      signCount: fx.credential.counter,
      transports: [],
      backupEligible: false,
      backupState: false,
      deviceType: "singleDevice",
      aaguid: "00000000-0000-0000-0000-000000000000",
      attestationFormat: "none",
      name: "Recorded key",
      usage: "first",
    });
    const client = h.client();
    const start = await client.post<{ options: { challenge: string }; state: string }>(
      "/wan-signin",
      {
        identity: email,
      },
    );
    expect(start.body.options.challenge).toBe(fx.expectedChallenge);
    const done = await client.post("/wan-signin-response", {
      state: start.body.state,
      credential: fx.response,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.user).toMatchObject({ id: user.id });
    expect(done.body.session).toMatchObject({ uv: fx.expect.userVerified });
    const [stored] = await h.store.credentials.listForUser(user.id);
    expect(stored!.signCount).toBe(fx.expect.newCounter);
    // No clone warning; a key seen verifying its user is recorded as such.
    expect(stored!.flags).toEqual(fx.expect.userVerified ? ["user-verifying"] : []);
  } finally {
    await h.close();
  }
}

describe("recorded authenticator responses through Keyward's HTTP flow", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("covers at least a dozen recorded responses", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  for (const { file, fx } of fixtures) {
    it(`${fx.kind === "registration" ? "registers" : "signs in with"} ${file}`, async () => {
      if (fx.kind === "registration") await registersThroughKeyward(fx);
      else await signsInThroughKeyward(fx);
    });
  }
});

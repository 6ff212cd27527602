import { randomBytes } from "node:crypto";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { describe, expect, it } from "vitest";
import {
  SoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
} from "../../src/testing/index.js";
import { expectRefused, startedSession, userSnapshot, withField } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signUp,
  startKeyRegistration,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";
import { eventTypes } from "../helpers/two-factor.js";

const targets = await databaseTargets();

const BE_CHANGED = "WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED";
const id = (bytes: number) => randomBytes(bytes).toString("base64url");

type Session = { aal: number; amr: string[]; fresh: boolean };

describe.each(targets)("credential binding on $name: backup eligibility", (target) => {
  const h = useHarness(target);

  /** A signed-up user holding one key of `usage`, registered with the authenticator's flags. */
  async function holder(
    options: Partial<SoftwareAuthenticatorOptions> = {},
    usage: "first" | "secondary" = "first",
  ) {
    const client = h.client();
    const email = await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    const authenticator = new SoftwareAuthenticator({ origin: h.origin, ...options });
    const registered = await registerKey(client, authenticator, { name: "k", usage });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    return { client, email, userId, authenticator };
  }

  async function expectChangeRecorded(userId: string, stored: boolean, received: boolean) {
    const events = await h.store.events.list({
      userId,
      type: "webauthn.backup-eligibility-changed",
    });
    expect(events.map((e) => e.detail)).toEqual([expect.objectContaining({ stored, received })]);
  }

  it("refuses a sign-in by a device-bound key that now claims BE=1, BS=1, and changes nothing", async () => {
    const { userId, authenticator } = await holder();
    const before = await userSnapshot(h, userId);
    expect(before.credentials[0]).toMatchObject({
      backupEligible: false,
      backupState: false,
      deviceType: "singleDevice",
    });

    const result = await signInWithKey(
      h.client(),
      authenticator,
      {},
      {
        flags: { be: true, bs: true },
      },
    );
    expectRefused(result, BE_CHANGED);
    expect(startedSession(result)).toBe(false);
    expect(await userSnapshot(h, userId)).toEqual(before);
    expect(await eventTypes(h, userId)).not.toContain("webauthn.signin");
    await expectChangeRecorded(userId, false, true);
  });

  it("refuses step-up verify by a device-bound key that now claims BE=1, and the session stays stale", async () => {
    const { client, userId, authenticator } = await holder();
    h.clock.advance(11 * 60_000);
    expect((await client.get<{ session: Session }>("/me")).body.session.fresh).toBe(false);
    const before = await userSnapshot(h, userId);

    const start = await client.post<{
      options: PublicKeyCredentialRequestOptionsJSON;
      state: string;
    }>("/wan-verify", {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const credential = await authenticator.authenticate(start.body.options, {
      flags: { be: true, bs: true },
    });
    const result = await client.post("/wan-verify-response", {
      state: start.body.state,
      credential,
    });
    expectRefused(result, BE_CHANGED);
    expect((await client.get<{ session: Session }>("/me")).body.session.fresh).toBe(false);
    expect(await userSnapshot(h, userId)).toEqual(before);
    expect(await eventTypes(h, userId)).not.toContain("webauthn.verify");
    await expectChangeRecorded(userId, false, true);
  });

  it("refuses a second-factor key that now claims BE=1, and issues no session", async () => {
    const { email, userId, authenticator } = await holder(
      { userVerification: false, transports: ["usb"], attachment: "cross-platform" },
      "secondary",
    );
    const before = await userSnapshot(h, userId);
    const visitor = h.client();
    const login = await visitor.post<{ twoFactorRequired?: boolean; state: string }>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(login.body.twoFactorRequired, JSON.stringify(login.body)).toBe(true);

    const result = await signInWithKey(
      visitor,
      authenticator,
      { secondFactorState: login.body.state },
      { flags: { be: true, bs: true } },
    );
    expectRefused(result, BE_CHANGED);
    expect(startedSession(result)).toBe(false);
    expect((await visitor.get("/me")).status).toBe(401);
    expect(await userSnapshot(h, userId)).toEqual(before);
    expect(await eventTypes(h, userId)).not.toContain("two-factor.succeeded");
    await expectChangeRecorded(userId, false, true);
  });

  it("refuses a synced key (BE=1) that now claims BE=0, and changes nothing", async () => {
    const { userId, authenticator } = await holder({ backupEligible: true, backupState: true });
    const before = await userSnapshot(h, userId);
    expect(before.credentials[0]).toMatchObject({
      backupEligible: true,
      deviceType: "multiDevice",
    });

    const result = await signInWithKey(
      h.client(),
      authenticator,
      {},
      {
        flags: { be: false, bs: false },
      },
    );
    expectRefused(result, BE_CHANGED);
    expect(startedSession(result)).toBe(false);
    expect(await userSnapshot(h, userId)).toEqual(before);
    await expectChangeRecorded(userId, true, false);
  });

  it("accepts and stores backup-state flips of a synced key; its sessions claim swk", async () => {
    const { userId, authenticator } = await holder({ backupEligible: true, backupState: false });
    const stored = async () => (await h.store.credentials.listForUser(userId))[0]!;
    expect(await stored()).toMatchObject({ backupEligible: true, backupState: false });

    const backedUp = await signInWithKey(
      h.client(),
      authenticator,
      {},
      {
        flags: { be: true, bs: true },
      },
    );
    expect(backedUp.status, JSON.stringify(backedUp.body)).toBe(200);
    expect((backedUp.body.session as Session).amr).toEqual(["swk", "mfa"]);
    expect(await stored()).toMatchObject({ backupEligible: true, backupState: true });

    const notBackedUp = await signInWithKey(
      h.client(),
      authenticator,
      {},
      {
        flags: { be: true, bs: false },
      },
    );
    expect(notBackedUp.status, JSON.stringify(notBackedUp.body)).toBe(200);
    expect((notBackedUp.body.session as Session).amr).toEqual(["swk", "mfa"]);
    expect(await stored()).toMatchObject({ backupEligible: true, backupState: false });
    const changes = await h.store.events.list({
      userId,
      type: "webauthn.backup-eligibility-changed",
    });
    expect(changes).toEqual([]);
  });

  it("gives a device-bound key's session hwk, as its stored eligibility says", async () => {
    const { authenticator } = await holder();
    const result = await signInWithKey(h.client(), authenticator);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect((result.body.session as Session).amr).toEqual(["hwk", "mfa"]);
  });
});

describe.each(targets)("credential binding on $name: registered id", (target) => {
  const h = useHarness(target);

  async function signedUp(): Promise<{ client: TestClient; userId: string }> {
    const client = h.client();
    await signUp(client);
    const userId = (await client.get<{ user: { id: string } }>("/me")).body.user.id;
    return { client, userId };
  }

  /** The registration is refused with a 4xx, and no key (nor its event) is stored. */
  async function expectNothingStored(userId: string, before: unknown) {
    expect(await userSnapshot(h, userId)).toEqual(before);
    expect((await userSnapshot(h, userId)).credentials).toEqual([]);
    expect(await eventTypes(h, userId)).not.toContain("webauthn.registered");
  }

  it("refuses a 16-byte id and rawId over a 1024-byte attested credential id", async () => {
    const { client, userId } = await signedUp();
    const before = await userSnapshot(h, userId);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const result = await registerKey(
      client,
      authenticator,
      { name: "k", usage: "first" },
      { credentialId: id(1024), responseCredentialId: id(16) },
    );
    expectRefused(result, "WEBAUTHN_VERIFICATION_FAILED");
    await expectNothingStored(userId, before);
  });

  it("refuses an id and rawId of the attested length that are not the attested id", async () => {
    const { client, userId } = await signedUp();
    const before = await userSnapshot(h, userId);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const result = await registerKey(
      client,
      authenticator,
      { name: "k", usage: "first" },
      { credentialId: id(32), responseCredentialId: id(32) },
    );
    expectRefused(result, "WEBAUTHN_VERIFICATION_FAILED");
    await expectNothingStored(userId, before);
  });

  it("refuses a response whose id and rawId differ", async () => {
    const { client, userId } = await signedUp();
    const before = await userSnapshot(h, userId);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    for (const field of ["id", "rawId"]) {
      const { options, state } = await startKeyRegistration(client, { name: "k", usage: "first" });
      const credential = await authenticator.register(options);
      const result = await client.post("/wan-register-response", {
        state,
        credential: withField(credential, field, id(32)),
      });
      expectRefused(result, "WEBAUTHN_VERIFICATION_FAILED");
    }
    await expectNothingStored(userId, before);
  });

  it("stores the attested id, which signs in afterwards", async () => {
    const { client, userId } = await signedUp();
    const authenticator = new SoftwareAuthenticator({ origin: h.origin });
    const result = await registerKey(client, authenticator, { name: "k", usage: "first" });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    const keys = await h.store.credentials.listForUser(userId);
    expect(keys.map((k) => k.credentialId)).toEqual([authenticator.credentials[0]!.id]);
    expect((await signInWithKey(h.client(), authenticator)).status).toBe(200);
  });
});

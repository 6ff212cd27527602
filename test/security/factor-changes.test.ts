import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import { PASSWORD, registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type TestClient, useHarness } from "../helpers/harness.js";
import { newUser, passwordStep } from "../helpers/two-factor.js";

const targets = await databaseTargets();

/** Everything that decides how this account can be signed into, to compare before and after. */
async function authenticators(h: Harness, userId: string) {
  const store = h.store;
  return {
    user: await store.users.byId(userId),
    credentials: await store.credentials.listForUser(userId),
    secondFactors: await store.secondFactors.get(userId),
    recoveryCodes: await store.recoveryCodes.countUnused(userId),
  };
}

/** Every change of authenticator or of what controls recovery, as a signed-in client asks it. */
function factorChanges(keyName: string): [string, Record<string, unknown>][] {
  return [
    ["/wan-register", { name: "attacker key", usage: "first" }],
    ["/wan-register", { name: "attacker 2fa", usage: "secondary" }],
    ["/wan-delete", { name: keyName }],
    ["/wan-rename", { name: keyName, newName: "renamed" }],
    ["/tf-setup", { method: "totp" }],
    ["/tf-setup", { method: "email" }],
    ["/tf-setup", { method: "sms", phone: "+14155550123" }],
    ["/tf-setup", { method: "disable" }],
    ["/mf-recovery-codes", {}],
    ["/change-password", { currentPassword: PASSWORD, newPassword: "a new long password 1" }],
    ["/change-password", { newPassword: "a new long password 2" }],
    ["/change-email", { newEmail: "attacker@example.net" }],
  ];
}

describe.each(targets)(
  "authenticator changes need the account's highest AAL on $name",
  (target) => {
    const h = useHarness(target);

    async function expectAllRefused(client: TestClient, userId: string, keyName: string) {
      // Fresh, so that only the assurance level can refuse.
      expect((await client.post("/verify", { password: PASSWORD })).status).toBe(200);
      const before = await authenticators(h, userId);
      for (const [path, body] of factorChanges(keyName)) {
        const result = await client.post(path, body);
        expectRefused(result, "AAL_REQUIRED");
        expect(result.status, `${path} ${JSON.stringify(body)}`).toBe(403);
      }
      expect(await authenticators(h, userId)).toEqual(before);
    }

    it("refuses every factor change from an AAL1 session once the account has a second factor", async () => {
      // The session that enrolled the first second factor stays at AAL1 (it proved only a password).
      const { client, userId } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      expect((await registerKey(client, key, { name: "2fa key", usage: "secondary" })).status).toBe(
        201,
      );
      expect((await client.get<{ session: { aal: number } }>("/me")).body.session.aal).toBe(1);
      await expectAllRefused(client, userId, "2fa key");
    });

    it("refuses a password-only session adding a passkey that would sign in at AAL2", async () => {
      const owner = await newUser(h);
      const passkey = new SoftwareAuthenticator({ origin: h.origin });
      expect(
        (await registerKey(owner.client, passkey, { name: "passkey", usage: "first" })).status,
      ).toBe(201);
      // Someone with the password alone: no second factor is owed, so they get AAL1.
      const thief = h.client();
      const login = await thief.post<{ session: { aal: number } }>("/login", {
        identity: owner.email,
        password: PASSWORD,
      });
      expect(login.status).toBe(200);
      expect(login.body.session.aal).toBe(1);
      await expectAllRefused(thief, owner.userId, "passkey");
      // The owner, with the passkey (UV), reaches AAL2 and may change factors.
      const ownerAgain = h.client();
      const signin = await signInWithKey(ownerAgain, passkey);
      expect(signin.status).toBe(200);
      const more = await registerKey(ownerAgain, new SoftwareAuthenticator({ origin: h.origin }), {
        name: "second passkey",
        usage: "first",
      });
      expect(more.status, JSON.stringify(more.body)).toBe(201);
    });

    it("lets a password-only account add its first passkey and its first second factor at AAL1", async () => {
      const { client, userId } = await newUser(h);
      expect(
        (
          await registerKey(client, new SoftwareAuthenticator({ origin: h.origin }), {
            name: "first 2fa",
            usage: "secondary",
          })
        ).status,
      ).toBe(201);
      const other = await newUser(h);
      expect(
        (
          await registerKey(other.client, new SoftwareAuthenticator({ origin: h.origin }), {
            name: "first passkey",
            usage: "first",
          })
        ).status,
      ).toBe(201);
      expect((await h.store.credentials.listForUser(userId)).length).toBe(1);
      expect((await h.store.credentials.listForUser(other.userId)).length).toBe(1);
    });

    it("lets an AAL2 session change factors", async () => {
      const { client, email } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: h.origin });
      await registerKey(client, key, { name: "2fa key", usage: "secondary" });
      const { client: signedIn, pending } = await passwordStep(h, email);
      const second = await signInWithKey(signedIn, key, { secondFactorState: pending.state });
      expect(second.status, JSON.stringify(second.body)).toBe(200);
      const codes = await signedIn.post<{ codes: string[] }>("/mf-recovery-codes");
      expect(codes.status, JSON.stringify(codes.body)).toBe(200);
      const renamed = await signedIn.post("/wan-rename", { name: "2fa key", newName: "yubikey" });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    });

    it("counts a passkey toward AAL2 only once it has verified the user, so a key without UV strands no one", async () => {
      const { client, userId } = await newUser(h);
      // A security key without a PIN: it signs in at AAL1 and cannot reach AAL2 by itself.
      const noPin = new SoftwareAuthenticator({ origin: h.origin, userVerification: false });
      expect((await registerKey(client, noPin, { name: "no pin", usage: "first" })).status).toBe(
        201,
      );
      const second = await registerKey(client, new SoftwareAuthenticator({ origin: h.origin }), {
        name: "2fa key",
        usage: "secondary",
      });
      expect(second.status, JSON.stringify(second.body)).toBe(201);
      expect((await h.store.credentials.listForUser(userId)).length).toBe(2);
      // Once it verifies the user at a sign-in, it counts, and AAL1 may change nothing.
      const owner = await newUser(h);
      const later = new SoftwareAuthenticator({ origin: h.origin, userVerification: false });
      await registerKey(owner.client, later, { name: "pin later", usage: "first" });
      const withPin = h.client();
      expect((await signInWithKey(withPin, later, {}, { flags: { uv: true } })).status).toBe(200);
      const refused = await owner.client.post("/wan-register", { name: "x", usage: "first" });
      expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    });
  },
);

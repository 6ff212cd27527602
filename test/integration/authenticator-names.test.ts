import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { signInWithPasswordAndKey, signUp } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, type TestClient, useHarness } from "../helpers/harness.js";

const YUBIKEY_5 = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const IN_HOUSE = "12345678-1234-1234-1234-123456789abc";

const targets = await databaseTargets();

describe.each(targets)("authenticator names on $name", (target) => {
  const h = useHarness(target, { authenticatorNames: { [IN_HOUSE]: "Acme token" } });

  const unnamedKey = (aaguid?: string) =>
    new SoftwareAuthenticator({
      origin: h.origin,
      ...(aaguid ? { aaguid } : {}),
      backupEligible: false,
    });

  /** Registers a key with no name given; returns the credential the server answered with. */
  async function registerUnnamed(
    client: TestClient,
    usage: "first" | "secondary",
    aaguid?: string,
    authenticator = unnamedKey(aaguid),
  ) {
    const start = await client.post<{ options: never; state: string }>("/wan-register", { usage });
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const credential = await authenticator.register(start.body.options);
    const result = await client.post<{
      credential: { name: string; authenticatorName: string | null };
    }>("/wan-register-response", { state: start.body.state, credential });
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    return result.body.credential;
  }

  it("names a key registered without a name after its model, numbered to stay unique", async () => {
    const client = h.client();
    const email = await signUp(client);
    const yubikey = unnamedKey(YUBIKEY_5);
    expect(await registerUnnamed(client, "secondary", YUBIKEY_5, yubikey)).toMatchObject({
      name: "YubiKey 5 Series",
      authenticatorName: "YubiKey 5 Series",
    });
    // The other keys need an AAL2 session: password and the key just added.
    await signInWithPasswordAndKey(client, email, yubikey);
    expect((await registerUnnamed(client, "secondary", YUBIKEY_5)).name).toBe("YubiKey 5 Series 2");
    expect(await registerUnnamed(client, "first")).toMatchObject({
      name: "Passkey",
      authenticatorName: null,
    });
    expect((await registerUnnamed(client, "secondary")).name).toBe("Security key");
    expect((await registerUnnamed(client, "secondary")).name).toBe("Security key 2");
    expect((await registerUnnamed(client, "first", IN_HOUSE)).name).toBe("Acme token");

    const list = await client.get<{
      credentials: Array<{ name: string; authenticatorName: string | null }>;
    }>("/wan-credentials");
    expect(list.body.credentials.map((k) => [k.name, k.authenticatorName])).toEqual([
      ["YubiKey 5 Series", "YubiKey 5 Series"],
      ["YubiKey 5 Series 2", "YubiKey 5 Series"],
      ["Passkey", null],
      ["Security key", null],
      ["Security key 2", null],
      ["Acme token", "Acme token"],
    ]);
    const user = (await h.store.users.byEmail(email))!;
    const events = await h.auth.api.events({ userId: user.id, type: "webauthn.registered" });
    expect(events.map((e) => e.detail.name)).toContain("YubiKey 5 Series 2");
  });

  it("still uses the name the user gave", async () => {
    const client = h.client();
    await signUp(client);
    const authenticator = new SoftwareAuthenticator({ origin: h.origin, aaguid: YUBIKEY_5 });
    const start = await client.post<{ options: never; state: string }>("/wan-register", {
      name: "Work key",
      usage: "secondary",
    });
    const credential = await authenticator.register(start.body.options);
    const result = await client.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(result.body.credential).toMatchObject({
      name: "Work key",
      authenticatorName: "YubiKey 5 Series",
    });
  });
});

describe("GET /.well-known/webauthn", () => {
  it("lists the web origins of rp.origins at the site root, not under the prefix", async () => {
    const [sqlite] = targets;
    const h = await startHarness(sqlite!, {
      rp: {
        id: "localhost",
        name: "Related",
        // Another domain is a related origin (an rp.origins entry must be under rp.id).
        origins: ["http://localhost:3000", "android:apk-key-hash:abc123"],
        relatedOrigins: ["https://shop.example"],
      },
    });
    try {
      const root = await fetch(`${h.baseUrl}/.well-known/webauthn`);
      expect(root.status).toBe(200);
      expect(root.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await root.json()).toEqual({
        origins: ["http://localhost:3000", "https://shop.example"],
      });
      expect((await fetch(`${h.baseUrl}/auth/.well-known/webauthn`)).status).toBe(404);
      expect((await fetch(`${h.baseUrl}/.well-known/webauthn`, { method: "POST" })).status).toBe(
        404,
      );
    } finally {
      await h.close();
    }
  });
});

import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signInWithKey, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

type KeyList = { credentials: { name: string; synced: boolean; backup: string }[] };

/**
 * Whether each key survives losing its device, in words (issue #20 item 8): the key list and
 * the account page say synced / not backed up / bound to one device, BS follows every
 * assertion, and an account whose only way in is one key that is not backed up is warned.
 */
describe.each(targets)("key backup state on $name", (target) => {
  const h = useHarness(target, { accounts: { allowPasswordless: true } });

  const keysOf = async (client: TestClient) =>
    (await client.get<KeyList>("/wan-credentials")).body.credentials;

  async function accountPage(client: TestClient) {
    const page = await client.get<string>("/account", { accept: "text/html" });
    expect(page.status).toBe(200);
    return page.body;
  }

  /** A passwordless account whose only way in is a passkey with these backup flags. */
  async function passkeyOnly(flags: { backupEligible: boolean; backupState: boolean }) {
    const client = h.client();
    const created = await client.post("/register", { email: uniqueEmail("backup") });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const key = new SoftwareAuthenticator({ origin: h.origin, counter: "zero", ...flags });
    const added = await registerKey(client, key, { name: "Phone", usage: "first" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    return { client, key };
  }

  it("names each key's backup state in the key list", async () => {
    const client = h.client();
    await signUp(client);
    const kinds = [
      ["Synced", { backupEligible: true, backupState: true }],
      ["Unsynced", { backupEligible: true, backupState: false }],
      ["Bound", { backupEligible: false, backupState: false }],
    ] as const;
    for (const [name, flags] of kinds) {
      // No UV: the account stays at AAL1, so its password session may add the next key.
      const key = new SoftwareAuthenticator({
        origin: h.origin,
        userVerification: false,
        ...flags,
      });
      const added = await registerKey(client, key, { name, usage: "first" });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body.credential).toMatchObject({ name });
    }
    expect(await keysOf(client)).toEqual([
      expect.objectContaining({ name: "Synced", synced: true, backup: "synced" }),
      expect.objectContaining({ name: "Unsynced", synced: false, backup: "not-backed-up" }),
      expect.objectContaining({ name: "Bound", synced: false, backup: "device-bound" }),
    ]);
    // A password account has another way in: no warning, whatever its keys.
    const page = await accountPage(client);
    expect(page).toContain('data-kw-backup="not-backed-up"');
    expect(page).toContain('data-kw-backup="device-bound"');
    expect(page).not.toContain('data-kw-warn="unbacked-key"');
  });

  it("refreshes the backup state from each sign-in, and the page follows it", async () => {
    const { client, key } = await passkeyOnly({ backupEligible: true, backupState: false });
    expect((await keysOf(client))[0]).toMatchObject({ backup: "not-backed-up" });
    let page = await accountPage(client);
    expect(page).toContain('data-kw-warn="unbacked-key"');
    expect(page).toMatch(/Not backed up/);

    // The provider has backed it up since: the next assertion says BS=1.
    const synced = await signInWithKey(client, key, {}, { flags: { bs: true } });
    expect(synced.status, JSON.stringify(synced.body)).toBe(200);
    expect((await keysOf(client))[0]).toMatchObject({ synced: true, backup: "synced" });
    page = await accountPage(client);
    expect(page).not.toContain('data-kw-warn="unbacked-key"');
    expect(page).toContain('data-kw-backup="synced"');

    // And back: sync was turned off on that device.
    const unsynced = await signInWithKey(client, key, {}, { flags: { bs: false } });
    expect(unsynced.status, JSON.stringify(unsynced.body)).toBe(200);
    expect((await keysOf(client))[0]).toMatchObject({ backup: "not-backed-up" });
    expect(await accountPage(client)).toContain('data-kw-warn="unbacked-key"');
  });

  it("warns an account that signs in only with a device-bound key, and not one with a synced passkey", async () => {
    const bound = await passkeyOnly({ backupEligible: false, backupState: false });
    const boundPage = await accountPage(bound.client);
    expect(boundPage).toContain('data-kw-warn="unbacked-key"');
    expect(boundPage).toMatch(/not backed up\. If you lose that device/);
    expect(boundPage).toContain('data-kw-backup="device-bound"');

    const synced = await passkeyOnly({ backupEligible: true, backupState: true });
    expect(await accountPage(synced.client)).not.toContain('data-kw-warn="unbacked-key"');
  });
});

import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signInWithPasswordAndKey,
  signUp,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();
type Json = Record<string, unknown>;
type Start = { options: Json & { challenge: string }; state: string };

/**
 * Automatic passkey upgrades (issue #20 item 6): right after a password sign-in the browser
 * may create a passkey without a prompt (conditional create, UP=0). The server accepts UP=0
 * only from a state POST /wan-upgrade issued to a session a password earned just now.
 */
describe.each(targets)("automatic passkey upgrades on $name", (target) => {
  const h = useHarness(target, { webauthn: { passkeyUpgrade: true } });

  /** What a password manager's conditional create answers: no user presence, no UV. */
  const passwordManager = () =>
    new SoftwareAuthenticator({ origin: h.origin, backupEligible: true, backupState: true });
  const silently = { flags: { up: false, uv: false } };

  async function passwordUser(): Promise<{ client: TestClient; email: string; userId: string }> {
    const email = await signUp(h.client());
    const client = h.client();
    const login = await client.post("/login", { identity: email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await client.get<{ user: { id: string } }>("/me");
    return { client, email, userId: me.body.user.id };
  }

  async function upgrade(client: TestClient, authenticator = passwordManager()) {
    const start = await client.post<Start>("/wan-upgrade", {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const credential = await authenticator.register(start.body.options as never, silently);
    return client.post<Json>("/wan-register-response", { state: start.body.state, credential });
  }

  const clientConfigOf = async (client: TestClient) => {
    const page = await client.get<string>("/account", { accept: "text/html" });
    const json = /<script[^>]*id="keyward-config"[^>]*>([^<]*)<\/script>/.exec(page.body)?.[1];
    return { page: page.body, config: JSON.parse(json ?? "{}") as Json };
  };

  it("stores a passkey made without user presence right after a password sign-in, as an upgrade", async () => {
    const { client, userId } = await passwordUser();
    expect((await clientConfigOf(client)).config.passkeyUpgrade).toBe(true);

    const start = await client.post<Start>("/wan-upgrade", {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    // A passkey wherever the password manager keeps it: discoverable, no attachment, no hint.
    expect(start.body.options.authenticatorSelection).toEqual({
      residentKey: "required",
      requireResidentKey: true,
      userVerification: "preferred",
    });
    expect(start.body.options.hints).toBeUndefined();
    const credential = await passwordManager().register(start.body.options as never, silently);
    const done = await client.post<Json>("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.credential).toMatchObject({
      usage: "first",
      createdBy: "upgrade",
      backup: "synced",
      name: "Passkey",
    });

    const [stored] = await h.store.credentials.listForUser(userId);
    // Made without UV, it does not sign in at AAL2 on its own until it verifies its user.
    expect(stored?.flags).toEqual(["passkey-upgrade"]);
    const [event] = await h.store.events.list({ userId, type: "webauthn.registered" });
    expect(event?.detail).toMatchObject({ usage: "first", createdBy: "upgrade" });

    // The account page says how it was made, and offers no second upgrade.
    const after = await clientConfigOf(client);
    expect(after.page).toContain('data-kw-created-by="upgrade"');
    expect(after.config.passkeyUpgrade).toBe(false);
    expectRefused(await client.post("/wan-upgrade", {}), "PASSKEY_UPGRADE_UNAVAILABLE");
  });

  it("refuses a key made without user presence on an ordinary registration", async () => {
    const { client, userId } = await passwordUser();
    const refused = await registerKey(
      client,
      passwordManager(),
      { name: "Silent", usage: "first" },
      silently,
    );
    expectRefused(refused, "WEBAUTHN_VERIFICATION_FAILED");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });

  it("is closed to a session no password earned, and after passkeyUpgradeWithin", async () => {
    // Earned by a passkey: no upgrade (it is for password users).
    const keyUser = h.client();
    await signUp(keyUser);
    const key = new SoftwareAuthenticator({ origin: h.origin, userVerification: false });
    const added = await registerKey(keyUser, key, { name: "Key", usage: "first" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const byKey = h.client();
    const signedIn = await signInWithKey(byKey, key);
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expectRefused(await byKey.post("/wan-upgrade", {}), "PASSKEY_UPGRADE_UNAVAILABLE");

    // A password sign-in of six minutes ago (still fresh, but past the five-minute window).
    const { client } = await passwordUser();
    h.clock.advance(6 * 60_000);
    expect((await clientConfigOf(client)).config.passkeyUpgrade).toBe(false);
    expectRefused(await client.post("/wan-upgrade", {}), "PASSKEY_UPGRADE_UNAVAILABLE");
  });

  it("binds the upgrade's state to its session", async () => {
    const { client, email } = await passwordUser();
    const start = await client.post<Start>("/wan-upgrade", {});
    expect(start.status).toBe(200);
    const other = h.client();
    await other.post("/login", { identity: email, password: PASSWORD });
    const credential = await passwordManager().register(start.body.options as never, silently);
    const stolen = await other.post("/wan-register-response", {
      state: start.body.state,
      credential,
    });
    expectRefused(stolen, "STATE_INVALID");
  });

  it("keeps the factor-change rule: a password alone adds nothing to an account that reaches AAL2", async () => {
    // A second factor (a security key) makes the account reach AAL2: the password's session
    // is pending, and after the key it may upgrade (its first factor was the password).
    const { client, email } = await passwordUser();
    const securityKey = new SoftwareAuthenticator({
      origin: h.origin,
      transports: ["usb"],
      userVerification: false,
    });
    const second = await registerKey(client, securityKey, { name: "USB", usage: "secondary" });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    const pending = h.client();
    const login = await pending.post("/login", { identity: email, password: PASSWORD });
    expect(login.body).toMatchObject({ twoFactorRequired: true });
    expectRefused(await pending.post("/wan-upgrade", {}), "UNAUTHENTICATED");

    const full = h.client();
    await signInWithPasswordAndKey(full, email, securityKey);
    const done = await upgrade(full);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.credential).toMatchObject({ createdBy: "upgrade" });
  });

  it("refuses a password session of an account whose passkey verifies its user (AAL2 reachable)", async () => {
    const { client, email } = await passwordUser();
    const passkey = new SoftwareAuthenticator({ origin: h.origin });
    const added = await registerKey(client, passkey, { name: "Passkey", usage: "first" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const again = h.client();
    const login = await again.post("/login", { identity: email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expectRefused(await again.post("/wan-upgrade", {}), "AAL_REQUIRED");
  });
});

describe("automatic passkey upgrades, switched off (the default)", () => {
  const h = useHarness(targets[0]!);

  it("offers none and refuses the route", async () => {
    const client = h.client();
    await signUp(client);
    const page = await client.get<string>("/account", { accept: "text/html" });
    expect(page.body).toContain('"passkeyUpgrade":false');
    expectRefused(await client.post("/wan-upgrade", {}), "PASSKEY_UPGRADE_UNAVAILABLE");
  });
});

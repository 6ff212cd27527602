import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerKey, signInWithPasswordAndKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  endSessions,
  enrolTotp,
  errorCode,
  newUser,
  type PendingSignIn,
  passwordStep,
  secretOf,
  signInWithTotp,
  type TotpSetup,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

interface SessionBody {
  session: { aal: number; amr: string[] };
}

describe.each(targets)("second factors on $name: twoFactor.required", (target) => {
  const h = useHarness(target, { twoFactor: { required: true } });

  it("makes an account without a second factor enrol one before it gets a session", async () => {
    const { client: first, email, userId } = await newUser(h);
    await first.post("/logout");
    const client = h.client();
    const login = await client.post<PendingSignIn>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ twoFactorRequired: true, methods: [], setupRequired: true });
    expect(client.cookies.has("keyward_session")).toBe(false);
    expect((await client.get("/me")).status).toBe(401);
    const select = await client.post("/tf-select", { state: login.body.state, method: "totp" });
    expect(select.status).toBe(409);
    expect(errorCode(select)).toBe("TWO_FACTOR_NOT_ENROLLED");

    // Enrol with the pending state instead of a session.
    const setup = await client.post<TotpSetup>("/tf-setup", {
      state: login.body.state,
      method: "totp",
    });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    const wrong = await client.post("/tf-setup-validate", {
      state: setup.body.state,
      code: "000000",
    });
    expect(errorCode(wrong)).toBe("TWO_FACTOR_CODE_INVALID");
    expect(client.cookies.has("keyward_session")).toBe(false);
    const done = await client.post<SessionBody>("/tf-setup-validate", {
      state: setup.body.state,
      code: await totpAt(secretOf(setup.body.otpauthUri), h.clock.now()),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "otp"] });
    expect((await client.get<SessionBody>("/me")).body.session.aal).toBe(2);
    expect((await h.store.secondFactors.get(userId))?.totpSecret).not.toBeNull();

    // The held-back sign-in was spent with it.
    const again = await h.client().post("/tf-setup", { state: login.body.state, method: "totp" });
    expect(errorCode(again)).toBe("STATE_INVALID");
  });

  it("never lets the pending sign-in of an enrolled account enrol another factor", async () => {
    const { client: first, email, userId } = await newUser(h);
    await enrolTotp(h, first);
    await first.post("/logout");
    const before = await h.store.secondFactors.get(userId);
    const { client, pending } = await passwordStep(h, email);
    for (const method of ["totp", "email"]) {
      const hijack = await client.post("/tf-setup", { state: pending.state, method });
      expect(hijack.status, method).toBe(400);
      expect(errorCode(hijack)).toBe("STATE_INVALID");
    }
    expect(await h.store.secondFactors.get(userId)).toEqual(before);
    expect(await endSessions(h, userId)).toBe(0);
  });

  it("refuses to remove the last second factor", async () => {
    const { client: first, email, userId } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    const client = await signInWithTotp(h, email, secret);
    const off = await client.post("/tf-setup", { method: "disable" });
    expect(off.status).toBe(409);
    expect(errorCode(off)).toBe("TWO_FACTOR_REQUIRED");
    expect((await h.store.secondFactors.get(userId))?.totpSecret).not.toBeNull();
  });

  it("sets no remember-device cookie while the feature is off", async () => {
    const { client: first, email } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    const { client, pending } = await passwordStep(h, email);
    const done = await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
      rememberDevice: true,
    });
    expect(done.status).toBe(200);
    expect(client.cookies.has("keyward_tf_device")).toBe(false);
  });
});

describe.each(targets)("second factors on $name: roaming factors, remembered devices", (target) => {
  const h = useHarness(target, {
    twoFactor: { requireRoamingFactor: true, rememberDevice: true },
  });

  const platformKey = () => new SoftwareAuthenticator({ origin: h.origin });
  const usbKey = () =>
    new SoftwareAuthenticator({
      origin: h.origin,
      transports: ["usb", "nfc"],
      attachment: "cross-platform",
    });
  type Status = { twoFactor: { warnings: { code: string }[]; keys: { roaming: boolean }[] } };

  it("warns when the only second factor is a platform-bound key", async () => {
    const { client, email, userId } = await newUser(h);
    const laptop = platformKey();
    await registerKey(client, laptop, { name: "This laptop", usage: "secondary" });
    // The key came with recovery codes (#18); without them, both warnings apply.
    await h.store.recoveryCodes.deleteForUser(userId);
    const only = await client.get<Status>("/tf-status");
    expect(only.body.twoFactor.keys).toEqual([expect.objectContaining({ roaming: false })]);
    expect(only.body.twoFactor.warnings.map((w) => w.code)).toEqual([
      "ONLY_PLATFORM_FACTOR",
      "NO_RECOVERY_CODES",
    ]);
    // A second key needs an AAL2 session: password and the laptop's key.
    await signInWithPasswordAndKey(client, email, laptop);
    await registerKey(client, usbKey(), { name: "YubiKey", usage: "secondary" });
    await h.store.recoveryCodes.deleteForUser(userId);
    const both = await client.get<Status>("/tf-status");
    expect(both.body.twoFactor.warnings.map((w) => w.code)).toEqual(["NO_RECOVERY_CODES"]);
  });

  it("refuses to delete the last roaming key while a platform key remains", async () => {
    const { client, email, userId } = await newUser(h);
    const laptop = platformKey();
    await registerKey(client, laptop, { name: "This laptop", usage: "secondary" });
    await signInWithPasswordAndKey(client, email, laptop);
    const yubiKey = usbKey();
    await registerKey(client, yubiKey, { name: "YubiKey", usage: "secondary" });
    const refused = await client.post("/wan-delete", { name: "YubiKey" });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("ROAMING_FACTOR_REQUIRED");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(2);
    // The laptop's key earned this session, and deleting it would end it: sign in with the
    // YubiKey instead, so the session outlives the laptop key's removal.
    await signInWithPasswordAndKey(client, email, yubiKey);
    const platform = await client.post("/wan-delete", { name: "This laptop" });
    expect(platform.status).toBe(200);
    // With no platform key left, the last key may go: nothing would be stranded.
    const last = await client.post("/wan-delete", { name: "YubiKey" });
    expect(last.status).toBe(200);
  });

  it("refuses to disable TOTP when only a platform key would remain", async () => {
    const { client: first, email, userId } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    const client = await signInWithTotp(h, email, secret);
    await registerKey(client, platformKey(), { name: "This laptop", usage: "secondary" });
    const off = await client.post("/tf-setup", { method: "disable", only: "totp" });
    expect(off.status).toBe(409);
    expect(errorCode(off)).toBe("ROAMING_FACTOR_REQUIRED");
    expect((await h.store.secondFactors.get(userId))?.totpSecret).not.toBeNull();
  });

  it("remembers a device until the second factors change", async () => {
    const { client: first, email, userId } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    await first.post("/logout");
    const { client, pending } = await passwordStep(h, email);
    const done = await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
      rememberDevice: true,
    });
    expect(done.status).toBe(200);
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith("keyward_tf_device="));
    expect(cookie).toMatch(/HttpOnly; SameSite=Lax; Max-Age=2592000/);
    await client.post("/logout");

    // Next time, the cookie stands in for the second factor.
    const next = await client.post<PendingSignIn>("/login", {
      identity: email,
      password: PASSWORD,
    });
    const remembered = await client.post<SessionBody>("/tf-remembered", { state: next.body.state });
    expect(remembered.status, JSON.stringify(remembered.body)).toBe(200);
    expect(remembered.body.session).toMatchObject({ aal: 2, amr: ["pwd", "remembered"] });

    // Another browser is not remembered; its pending sign-in stays usable.
    const other = await passwordStep(h, email);
    const refused = await other.client.post("/tf-remembered", { state: other.pending.state });
    expect(refused.status).toBe(401);
    expect(errorCode(refused)).toBe("TWO_FACTOR_DEVICE_NOT_REMEMBERED");
    h.clock.advance(30_000);
    const byCode = await other.client.post("/tf-validate", {
      state: other.pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(byCode.status).toBe(200);

    // A remembered device is bound to its user.
    const mallory = await newUser(h);
    const malloryTotp = await enrolTotp(h, mallory.client);
    const malloryStep = await passwordStep(h, mallory.email);
    malloryStep.client.cookies.set("keyward_tf_device", client.cookies.get("keyward_tf_device")!);
    const foreign = await malloryStep.client.post("/tf-remembered", {
      state: malloryStep.pending.state,
    });
    expect(errorCode(foreign)).toBe("TWO_FACTOR_DEVICE_NOT_REMEMBERED");
    expect(malloryTotp.secret).toBeTruthy();

    // A change to the second factors (here: new recovery codes) revokes it.
    const fresh = await client.post("/mf-recovery-codes");
    expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
    await client.post("/logout");
    const revoked = await passwordStep(h, email);
    revoked.client.cookies.set("keyward_tf_device", client.cookies.get("keyward_tf_device")!);
    const afterChange = await revoked.client.post("/tf-remembered", {
      state: revoked.pending.state,
    });
    expect(errorCode(afterChange)).toBe("TWO_FACTOR_DEVICE_NOT_REMEMBERED");
    // The only session left is the one `other` earned with a code.
    expect(await endSessions(h, userId)).toBe(1);
  });

  it("forgets a remembered device when its time is up", async () => {
    const { client: first, email } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    const { client, pending } = await passwordStep(h, email);
    await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
      rememberDevice: true,
    });
    h.clock.advance(30 * 24 * 3_600_000 + 1);
    const next = await client.post<PendingSignIn>("/login", {
      identity: email,
      password: PASSWORD,
    });
    const expired = await client.post("/tf-remembered", { state: next.body.state });
    expect(errorCode(expired)).toBe("TWO_FACTOR_DEVICE_NOT_REMEMBERED");
  });
});

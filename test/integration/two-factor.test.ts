import { describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { open, seal } from "../../src/factors/secret-box.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { useHarness } from "../helpers/harness.js";
import {
  enrolTotp,
  errorCode,
  eventTypes,
  newUser,
  passwordStep,
  secretOf,
  signInWithTotp,
  TestMailer,
  TestSms,
  type TotpSetup,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

describe("TOTP secrets at rest", () => {
  const secret = "x".repeat(40);
  it("decrypt only for the user they were sealed for, and only untouched", () => {
    const sealed = seal(secret, "alice", "JBSWY3DPEHPK3PXP");
    expect(sealed).not.toContain("JBSWY3DPEHPK3PXP");
    expect(seal(secret, "alice", "JBSWY3DPEHPK3PXP")).not.toBe(sealed); // a fresh IV each time
    expect(open(secret, "alice", sealed)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => open(secret, "mallory", sealed)).toThrow();
    expect(() => open("y".repeat(40), "alice", sealed)).toThrow();
    const bytes = Buffer.from(sealed.slice(3), "base64url");
    bytes[20] = bytes[20]! ^ 1;
    expect(() => open(secret, "alice", `v1.${bytes.toString("base64url")}`)).toThrow();
  });
});

interface SessionBody {
  user: { id: string };
  session: { aal: number; amr: string[] };
}

describe.each(targets)("second factors on $name: setup and sign-in", (target) => {
  const sms = new TestSms();
  const mailer = new TestMailer();
  const h = useHarness(target, {
    sms,
    mailer,
    // Every test signs in from 127.0.0.1: per-IP limits are tested on their own harness.
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  describe("setup", () => {
    it("enrols an authenticator app only after a valid code, keeping the secret encrypted", async () => {
      const { client, userId, email } = await newUser(h);
      const setup = await client.post<TotpSetup>("/tf-setup", { method: "totp" });
      expect(setup.status).toBe(200);
      const uri = new URL(setup.body.otpauthUri);
      expect(uri.protocol).toBe("otpauth:");
      expect(uri.host).toBe("totp");
      expect(decodeURIComponent(uri.pathname)).toBe(`/Keyward Test:${email}`);
      expect(uri.searchParams.get("issuer")).toBe("Keyward Test");
      expect(setup.body.secret).toBe(secretOf(setup.body.otpauthUri));
      expect(setup.body.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.body.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);

      // Not enrolled until a code proves the app has the secret.
      expect((await h.store.secondFactors.get(userId))?.totpSecret).toBeNull();
      const wrong = await client.post("/tf-setup-validate", {
        state: setup.body.state,
        code: "000000",
      });
      expect(wrong.status).toBe(400);
      expect(errorCode(wrong)).toBe("TWO_FACTOR_CODE_INVALID");
      expect((await h.store.secondFactors.get(userId))?.totpSecret).toBeNull();

      const ok = await client.post<{
        twoFactor: { methods: string[]; totp: boolean };
        recoveryCodes: string[];
      }>("/tf-setup-validate", {
        state: setup.body.state,
        code: await totpAt(setup.body.secret, h.clock.now()),
      });
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body.twoFactor).toMatchObject({ methods: ["totp", "recovery"], totp: true });
      // The first factor comes with recovery codes, shown this once.
      expect(ok.body.recoveryCodes).toHaveLength(10);

      const stored = await h.store.secondFactors.get(userId);
      expect(stored?.totpSecret).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
      expect(stored?.totpSecret).not.toContain(setup.body.secret);
      expect(stored?.primaryMethod).toBe("totp");
      expect(await eventTypes(h, userId)).toEqual(
        expect.arrayContaining([
          "two-factor.setup-started",
          "two-factor.setup-failed",
          "two-factor.enabled",
          "two-factor.recovery-codes-generated",
        ]),
      );
      // The setup state is spent: gone from the store, and refused even to an AAL2 session of
      // the same user (the enrolling session is AAL1, which the account can no longer use to
      // change factors).
      expect(
        await h.store.ceremonies.find(hashToken(setup.body.state), "tf-setup"),
      ).toBeUndefined();
      const owner = (await h.store.users.byId(userId))!;
      h.clock.advance(30_000); // the confirming code's step is spent
      const aal2 = await signInWithTotp(h, owner.email, setup.body.secret);
      const again = await aal2.post("/tf-setup-validate", {
        state: setup.body.state,
        code: await totpAt(setup.body.secret, h.clock.now()),
      });
      expect(errorCode(again)).toBe("STATE_INVALID");
    });

    it("enrols SMS with the code texted to the number, and shows the number masked", async () => {
      const { client, userId } = await newUser(h);
      const start = await client.post<{ state: string; destination: string }>("/tf-setup", {
        method: "sms",
        phone: "+1 (415) 555-0123",
      });
      expect(start.status, JSON.stringify(start.body)).toBe(200);
      expect(start.body.destination).toBe("+1••••••••23");
      expect(sms.sent.at(-1)?.text).toMatch(/@localhost #\d{6}$/);
      const done = await client.post<{ twoFactor: { sms: { phone: string } } }>(
        "/tf-setup-validate",
        { state: start.body.state, code: sms.lastCode("+14155550123") },
      );
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.twoFactor.sms).toEqual({ phone: "+1••••••••23" });
      expect((await h.store.secondFactors.get(userId))?.phone).toBe("+14155550123");
    });

    it("enrols email codes sent to the account's address", async () => {
      const { client, email, userId } = await newUser(h);
      const start = await client.post<{ state: string }>("/tf-setup", { method: "email" });
      expect(start.status).toBe(200);
      const done = await client.post("/tf-setup-validate", {
        state: start.body.state,
        code: mailer.lastCode(email),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect((await h.store.secondFactors.get(userId))?.emailEnabled).toBe(true);
    });

    it("refuses bad setup input with a stable code and sends nothing", async () => {
      const { client } = await newUser(h);
      const before = sms.sent.length;
      for (const body of [
        { method: "sms", phone: "0415 555 0123" },
        { method: "sms" },
        { method: "carrier-pigeon" },
        { method: "sms", phone: "+1".padEnd(40, "5") },
      ]) {
        const result = await client.post("/tf-setup", body);
        expect(result.status, JSON.stringify(body)).toBe(400);
        expect(errorCode(result)).toBe("INVALID_INPUT");
      }
      const letters = await client.post("/tf-setup-validate", { state: "x", code: "12ab56" });
      expect(errorCode(letters)).toBe("INVALID_INPUT");
      expect(sms.sent.length).toBe(before);
    });

    it("needs a fresh session to set up, and AAL2 once a factor exists", async () => {
      const { client } = await newUser(h);
      await enrolTotp(h, client);
      // The session that enrolled is AAL1: it may not add or remove factors any more.
      const add = await client.post("/tf-setup", { method: "email" });
      expect(add.status).toBe(403);
      expect(errorCode(add)).toBe("AAL_REQUIRED");

      const other = await newUser(h);
      h.clock.advance(11 * 60_000);
      const stale = await other.client.post("/tf-setup", { method: "totp" });
      expect(errorCode(stale)).toBe("FRESHNESS_REQUIRED");
    });

    it("refuses a setup state from another user's session", async () => {
      const alice = await newUser(h);
      const mallory = await newUser(h);
      const setup = await alice.client.post<TotpSetup>("/tf-setup", { method: "totp" });
      const stolen = await mallory.client.post("/tf-setup-validate", {
        state: setup.body.state,
        code: await totpAt(setup.body.secret, h.clock.now()),
      });
      expect(errorCode(stolen)).toBe("STATE_INVALID");
      expect((await h.store.secondFactors.get(mallory.userId))?.totpSecret).toBeNull();
      expect((await h.store.secondFactors.get(alice.userId))?.totpSecret).toBeNull();
    });

    it("disables two-factor in a fresh AAL2 session; the next sign-in needs one factor", async () => {
      const { email, userId, client: first } = await newUser(h);
      const { secret } = await enrolTotp(h, first);
      const client = await signInWithTotp(h, email, secret);
      const off = await client.post<{ twoFactor: { enabled: boolean } }>("/tf-setup", {
        method: "disable",
      });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      expect(off.body.twoFactor.enabled).toBe(false);
      const stored = await h.store.secondFactors.get(userId);
      expect(stored).toMatchObject({ totpSecret: null, phone: null, emailEnabled: false });
      // Recovery codes recover nothing without a factor: they go too.
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(0);
      expect(await eventTypes(h, userId)).toContain("two-factor.disabled");

      // The TOTP session ended with TOTP (invariant 12): the next call comes from a new one.
      const again = h.client();
      const login = await again.post<SessionBody>("/login", {
        identity: email,
        password: PASSWORD,
      });
      expect(login.body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
      const nothing = await again.post("/tf-setup", { method: "disable" });
      expect(errorCode(nothing)).toBe("TWO_FACTOR_NOT_ENROLLED");
    });

    it("reports its second factors without secrets", async () => {
      const { client, email } = await newUser(h);
      await enrolTotp(h, client);
      const status = await client.get<{ twoFactor: Record<string, unknown> }>("/tf-status");
      expect(status.status).toBe(200);
      expect(status.body.twoFactor).toMatchObject({
        enabled: true,
        methods: ["totp", "recovery"],
        primary: "totp",
        totp: true,
        sms: null,
        email: null,
        recoveryCodesLeft: 10,
        warnings: [],
      });
      expect(JSON.stringify(status.body)).not.toContain("v1.");
      expect(JSON.stringify(status.body)).not.toContain(email.slice(1, 5));
    });
  });

  describe("sign-in", () => {
    it("password then TOTP: an AAL2 session recording pwd and otp", async () => {
      const { email, userId, client: setupClient } = await newUser(h);
      const { secret } = await enrolTotp(h, setupClient);
      const { client, pending } = await passwordStep(h, email);
      expect(pending.methods).toEqual(["totp", "recovery"]);
      expect(pending.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // No session cookie until the second factor is done.
      expect(client.cookies.has("keyward_session")).toBe(false);

      const select = await client.post("/tf-select", { state: pending.state, method: "totp" });
      expect(select.body).toEqual({ method: "totp", prompt: "code" });
      const done = await client.post<SessionBody>("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "otp"] });
      expect((await client.get<SessionBody>("/me")).body.session).toMatchObject({ aal: 2 });
      expect(await eventTypes(h, userId)).toEqual(
        expect.arrayContaining(["two-factor.required", "two-factor.succeeded"]),
      );
      // The pending state was single use.
      h.clock.advance(30_000);
      const again = await client.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      });
      expect(errorCode(again)).toBe("STATE_INVALID");
    });

    it("accepts a TOTP code one step early or late, not two", async () => {
      const { email, client: setupClient } = await newUser(h);
      const { secret } = await enrolTotp(h, setupClient);
      // Far enough from the step spent at enrolment that the step before now is unused.
      h.clock.advance(60_000);
      const late = await passwordStep(h, email);
      const twoAhead = await late.client.post("/tf-validate", {
        state: late.pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now() + 60_000),
      });
      expect(errorCode(twoAhead)).toBe("TWO_FACTOR_CODE_INVALID");
      const oneBehind = await late.client.post("/tf-validate", {
        state: late.pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now() - 30_000),
      });
      expect(oneBehind.status, JSON.stringify(oneBehind.body)).toBe(200);

      const early = await passwordStep(h, email);
      const oneAhead = await early.client.post("/tf-validate", {
        state: early.pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now() + 30_000),
      });
      expect(oneAhead.status, JSON.stringify(oneAhead.body)).toBe(200);
    });

    it("password then SMS: the texted code completes the sign-in", async () => {
      const { client: setupClient, email } = await newUser(h);
      const start = await setupClient.post<{ state: string }>("/tf-setup", {
        method: "sms",
        phone: "+447700900123",
      });
      await setupClient.post("/tf-setup-validate", {
        state: start.body.state,
        code: sms.lastCode("+447700900123"),
      });

      const { client, pending } = await passwordStep(h, email);
      expect(pending.methods).toEqual(["sms", "recovery"]);
      const select = await client.post<{ destination: string; expiresAt: string }>("/tf-select", {
        state: pending.state,
        method: "sms",
      });
      expect(select.status, JSON.stringify(select.body)).toBe(200);
      expect(select.body.destination).toBe("+4•••••••••23");
      expect(Date.parse(select.body.expiresAt)).toBe(h.clock.now() + 5 * 60_000);
      const done = await client.post<SessionBody>("/tf-validate", {
        state: pending.state,
        method: "sms",
        code: sms.lastCode("+447700900123"),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "sms"] });
    });

    it("password then email code", async () => {
      const { client: setupClient, email } = await newUser(h);
      const start = await setupClient.post<{ state: string }>("/tf-setup", { method: "email" });
      await setupClient.post("/tf-setup-validate", {
        state: start.body.state,
        code: mailer.lastCode(email),
      });

      const { client, pending } = await passwordStep(h, email);
      expect(pending.methods).toEqual(["email", "recovery"]);
      await client.post("/tf-select", { state: pending.state, method: "email" });
      expect(mailer.sent.at(-1)).toMatchObject({
        to: email,
        subject: expect.stringMatching(/code/),
      });
      const done = await client.post<SessionBody>("/tf-validate", {
        state: pending.state,
        method: "email",
        code: mailer.lastCode(email),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "email"] });
    });

    it("password then a WebAuthn secondary key chosen through /tf-select", async () => {
      const { client: setupClient, email, userId } = await newUser(h);
      const key = new SoftwareAuthenticator({
        origin: h.origin,
        transports: ["usb"],
        attachment: "cross-platform",
      });
      const reg = await registerKey(setupClient, key, { name: "YubiKey", usage: "secondary" });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      // The key's first recovery codes (#18) are not what this test is about.
      await h.store.recoveryCodes.deleteForUser(userId);

      const { client, pending } = await passwordStep(h, email);
      expect(pending.methods).toEqual(["webauthn"]);
      const select = await client.post<{
        method: string;
        webauthn: { options: Parameters<SoftwareAuthenticator["authenticate"]>[0]; state: string };
      }>("/tf-select", { state: pending.state, method: "webauthn" });
      expect(select.status, JSON.stringify(select.body)).toBe(200);
      expect(select.body.webauthn.options.userVerification).toBe("discouraged");
      const credential = await key.authenticate(select.body.webauthn.options);
      const done = await client.post<SessionBody>("/wan-signin-response", {
        state: select.body.webauthn.state,
        credential,
        secondFactorState: pending.state,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "hwk"] });
      const succeeded = await h.store.events.list({ userId, type: "two-factor.succeeded" });
      expect(succeeded[0]?.detail).toEqual({ method: "webauthn", aal: 2 });
    });

    it("password then a recovery code, which is spent and announced", async () => {
      const { client: setupClient, email, userId } = await newUser(h);
      const { recoveryCodes } = await enrolTotp(h, setupClient);
      const [code] = recoveryCodes;
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);

      const { client, pending } = await passwordStep(h, email);
      // Typed sloppily: lower case, no dashes.
      const done = await client.post<SessionBody>("/mf-recovery", {
        state: pending.state,
        code: code!.toLowerCase().replace(/-/g, " "),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "rc"] });
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(9);
      const used = await h.store.events.list({
        userId,
        type: "two-factor.recovery-code-used",
      });
      expect(used[0]?.detail).toEqual({ remaining: 9 });
    });

    it("regenerating recovery codes in an AAL2 session invalidates the old set", async () => {
      const { client: setupClient, email, userId } = await newUser(h);
      const { secret, recoveryCodes: old } = await enrolTotp(h, setupClient);
      const early = await setupClient.post("/mf-recovery-codes");
      expect(errorCode(early)).toBe("AAL_REQUIRED");

      const client = await signInWithTotp(h, email, secret);
      const fresh = await client.post<{ codes: string[]; count: number }>("/mf-recovery-codes");
      expect(fresh.status, JSON.stringify(fresh.body)).toBe(200);
      expect(fresh.body.count).toBe(10);
      expect(new Set(fresh.body.codes).size).toBe(10);
      expect(fresh.body.codes.some((c) => old.includes(c))).toBe(false);

      const stale = await passwordStep(h, email);
      const refused = await stale.client.post("/mf-recovery", {
        state: stale.pending.state,
        code: old[0],
      });
      expect(errorCode(refused)).toBe("RECOVERY_CODE_INVALID");
      const accepted = await stale.client.post("/mf-recovery", {
        state: stale.pending.state,
        code: fresh.body.codes[0],
      });
      expect(accepted.status).toBe(200);
      expect(await h.store.recoveryCodes.countUnused(userId)).toBe(9);
    });

    it("a first key without UV still owes the second factor; with UV it does not", async () => {
      const { client: setupClient, email, userId } = await newUser(h);
      const passkey = new SoftwareAuthenticator({ origin: h.origin });
      // Signed in with the passkey (AAL2), the session may add the authenticator app.
      const reg = await registerFirstKeyAndSignIn(setupClient, passkey, { name: "Laptop" });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      const { secret } = await enrolTotp(h, setupClient);

      passkey.set({ userVerification: false });
      const noUv = h.client();
      const first = await signInWithKey(noUv, passkey, { identity: email });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ twoFactorRequired: true, methods: ["totp", "recovery"] });
      expect(noUv.cookies.has("keyward_session")).toBe(false);
      const done = await noUv.post<SessionBody>("/tf-validate", {
        state: first.body.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 2, amr: ["hwk", "otp"] });

      passkey.set({ userVerification: true });
      const withUv = h.client();
      const direct = await signInWithKey(withUv, passkey, { identity: email });
      expect(direct.status).toBe(200);
      expect(direct.body).not.toHaveProperty("twoFactorRequired");
      expect((direct.body as unknown as SessionBody).session).toMatchObject({
        aal: 2,
        amr: ["hwk", "mfa"],
      });
      expect((await withUv.get<SessionBody>("/me")).body.user.id).toBe(userId);
    });

    it("offers only the methods the configuration allows", async () => {
      const { client: setupClient, email } = await newUser(h);
      await enrolTotp(h, setupClient);
      const { client, pending } = await passwordStep(h, email);
      const sms = await client.post("/tf-select", { state: pending.state, method: "sms" });
      expect(sms.status).toBe(400);
      expect(errorCode(sms)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
    });
  });
});

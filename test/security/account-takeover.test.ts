import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerFirstKeyAndSignIn,
  registerKey,
  signInWithKey,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type TestClient, useHarness } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import {
  enrolTotp,
  errorCode,
  type PendingSignIn,
  passwordStep,
  signInWithTotp,
  type TotpSetup,
  totpAt,
} from "../helpers/two-factor.js";

/**
 * Pre-account takeover (issue #15) and remembered devices after a change of owner (#16).
 * An attacker signs up with the victim's address before the victim does ("grace" lets an
 * unconfirmed account sign in) and arms the account with keys and second factors; the
 * victim's mailbox then takes it over by a password reset or an account recovery. Nothing
 * the attacker added may survive that. And whatever re-establishes who owns an account
 * (reset, password change, recovery, sign out everywhere, a second-factor change) forgets
 * every remembered device, so a "remember this device" cookie from before skips nothing.
 */

const targets = await databaseTargets();

type SessionBody = {
  user: { id: string; email: string; emailConfirmed: boolean };
  session: { aal: number; amr: string[]; limited?: string };
};

const NEW_PASSWORD = "the owner's own passphrase";
const DEVICE_COOKIE = "keyward_tf_device";

describe.each(targets)("account takeover on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    accounts: { allowPasswordless: true },
    twoFactor: { rememberDevice: true },
    rateLimits: { accountMailsPerIp: 10_000, secondFactorPerIp: 10_000 },
  });

  const authenticator = () => new SoftwareAuthenticator({ origin: h.origin });

  /** Asks for a link of `kind` to `email` and returns the token the mail carries. */
  async function linkToken(email: string, kind: "reset-password" | "recover-account") {
    const mark = box.mark();
    const asked = await h.client().post(`/${kind}`, { email });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    return tokenOf(await box.next(email, kind, mark));
  }

  async function confirmAddress(email: string, mark: number) {
    const token = tokenOf(await box.next(email, "confirm-email", mark));
    const confirmed = await h.client().post("/confirm-email", { token });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  }

  /**
   * The attacker signs up with the victim's address (never confirmed), adds a passkey, an
   * authenticator app (with its recovery codes) and, for a password account, a sign-in left
   * waiting for its second factor.
   */
  async function armedByAttacker(options: { password: boolean }) {
    const attacker = h.client();
    const email = uniqueEmail("victim");
    const signup = await attacker.post<SessionBody>("/register", {
      email,
      ...(options.password ? { password: PASSWORD } : {}),
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body.user.emailConfirmed).toBe(false);
    const userId = signup.body.user.id;
    const key = authenticator();
    // The holder owns the unconfirmed account: their first key signs them in at AAL2, the
    // session the factor-change rule asks for before the authenticator app is added.
    const reg = await registerFirstKeyAndSignIn(attacker, key, { name: "Attacker's phone" });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const { secret, recoveryCodes } = await enrolTotp(h, attacker);
    expect(recoveryCodes.length).toBeGreaterThan(0);
    expect(await h.store.recoveryCodes.countUnused(userId)).toBe(recoveryCodes.length);
    return { attacker, email, userId, key, secret, recoveryCodes };
  }

  /** Everything the store holds that could let someone in. */
  async function holdings(userId: string) {
    const factors = await h.store.secondFactors.get(userId);
    return {
      keys: (await h.store.credentials.listForUser(userId)).length,
      totp: factors?.totpSecret !== null,
      phone: factors?.phone ?? null,
      emailCodes: factors?.emailEnabled ?? false,
      recoveryCodes: await h.store.recoveryCodes.countUnused(userId),
    };
  }

  const nothingLeft = { keys: 0, totp: false, phone: null, emailCodes: false, recoveryCodes: 0 };

  describe("pre-account takeover", () => {
    it("a password reset by the mailbox owner removes every key, second factor, code and session the unconfirmed holder added", async () => {
      const { attacker, email, userId, key, secret, recoveryCodes } = await armedByAttacker({
        password: true,
      });
      // A second attacker browser, stopped at the second factor, waiting.
      const waiting = await passwordStep(h, email);

      const token = await linkToken(email, "reset-password");
      const owner = h.client();
      const mark = box.mark();
      const done = await owner.post<SessionBody>("/reset-password/complete", {
        token,
        password: NEW_PASSWORD,
      });
      // The owner is in at once: the attacker's authenticator app no longer stands in the way.
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.session).toMatchObject({ aal: 1, amr: ["pwd"] });
      expect(done.body.user.emailConfirmed).toBe(true);
      expect(startedSession(done)).toBe(true);

      // The attacker's passkey signs nobody in.
      const byKey = await signInWithKey(h.client(), key);
      expectRefused(byKey, "WEBAUTHN_UNKNOWN_CREDENTIAL");
      expect(startedSession(byKey)).toBe(false);
      // Their session is dead.
      expect(errorCode(await attacker.get("/me"))).toBe("UNAUTHENTICATED");
      // Their waiting sign-in cannot be finished with their app or their recovery codes.
      const byTotp = await waiting.client.post("/tf-validate", {
        state: waiting.pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
      });
      expectRefused(byTotp);
      const byCode = await waiting.client.post("/mf-recovery", {
        state: waiting.pending.state,
        code: recoveryCodes[0],
      });
      expectRefused(byCode);
      expect(startedSession(byTotp) || startedSession(byCode)).toBe(false);
      // Nor does the old password work.
      const old = await h.client().post("/login", { identity: email, password: PASSWORD });
      expect(errorCode(old)).toBe("INVALID_CREDENTIALS");

      expect(await holdings(userId)).toEqual(nothingLeft);
      const sessions = await h.store.sessions.listForUser(userId);
      expect(sessions).toHaveLength(1);
      expect((await owner.get<SessionBody>("/me")).status).toBe(200);

      const events = await h.store.events.list({
        userId,
        type: "account.unconfirmed-holder-removed",
      });
      expect(events.map((e) => e.detail)).toEqual([
        {
          via: "reset-password",
          password: true,
          keys: 1,
          secondFactors: ["totp"],
          recoveryCodes: recoveryCodes.length,
          sessions: 1,
        },
      ]);
      // The owner is told what was removed.
      const notice = await box.next(email, "unconfirmed-holder-removed", mark);
      expect(notice.text).toMatch(/1 passkey/);
      expect(notice.text).toMatch(/authenticator app/);
      await box.next(email, "password-reset", mark);
    });

    it("an account recovery by the mailbox owner removes everything the unconfirmed holder added, sessions included, without asking for the holder's recovery code", async () => {
      const { attacker, email, userId, key } = await armedByAttacker({ password: false });
      expect((await attacker.get("/me")).status).toBe(200);

      const token = await linkToken(email, "recover-account");
      const owner = h.client();
      const mark = box.mark();
      // The holder's recovery codes are not the owner's: the mailbox alone recovers.
      const recovered = await owner.post<SessionBody>("/recover-account/complete", { token });
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);
      expect(recovered.body.session).toMatchObject({ limited: "recovery", amr: ["email"] });
      expect(recovered.body.user.emailConfirmed).toBe(true);

      expect(errorCode(await attacker.get("/me"))).toBe("UNAUTHENTICATED");
      expectRefused(await signInWithKey(h.client(), key), "WEBAUTHN_UNKNOWN_CREDENTIAL");
      expect(await holdings(userId)).toEqual(nothingLeft);
      const sessions = await h.store.sessions.listForUser(userId);
      expect(sessions.map((s) => s.limited)).toEqual(["recovery"]);

      // What the owner does next: a key of their own, which then signs in for real.
      const ownKey = authenticator();
      const reg = await registerKey(owner, ownKey, { name: "My phone", usage: "first" });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      const signin = await signInWithKey(h.client(), ownKey);
      expect(signin.status, JSON.stringify(signin.body)).toBe(200);
      expect(signin.body.session).toMatchObject({ aal: 2 });

      const events = await h.store.events.list({
        userId,
        type: "account.unconfirmed-holder-removed",
      });
      expect(events.map((e) => e.detail)).toEqual([
        {
          via: "recover-account",
          password: false,
          keys: 1,
          secondFactors: ["totp"],
          recoveryCodes: 10,
          sessions: 1,
        },
      ]);
      const notice = await box.next(email, "unconfirmed-holder-removed", mark);
      expect(notice.text).toMatch(/1 passkey/);
      await box.next(email, "account-recovered", mark);
    });

    it("a reset of a confirmed account keeps its keys and second factors", async () => {
      const client = h.client();
      const email = uniqueEmail("owner");
      const mark = box.mark();
      expect((await client.post("/register", { email, password: PASSWORD })).status).toBe(201);
      await confirmAddress(email, mark);
      const userId = (await client.get<SessionBody>("/me")).body.user.id;
      // The key signs in at AAL2, as adding the authenticator app next requires.
      expect(
        (await registerFirstKeyAndSignIn(client, authenticator(), { name: "Key" })).status,
      ).toBe(201);
      const { recoveryCodes } = await enrolTotp(h, client);

      const done = await h.client().post<PendingSignIn>("/reset-password/complete", {
        token: await linkToken(email, "reset-password"),
        password: NEW_PASSWORD,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.twoFactorRequired).toBe(true);
      expect(await holdings(userId)).toEqual({
        keys: 1,
        totp: true,
        phone: null,
        emailCodes: false,
        recoveryCodes: recoveryCodes.length,
      });
      expect(
        await h.store.events.list({ userId, type: "account.unconfirmed-holder-removed" }),
      ).toEqual([]);
    });
  });

  describe("remembered devices after a change of owner", () => {
    /**
     * A confirmed password account with an authenticator app, and a browser (`device`) that
     * passed the second factor and asked to be remembered; the cookie is shown to work once.
     */
    async function rememberedDevice() {
      const owner = h.client();
      const email = uniqueEmail("remembered");
      const mark = box.mark();
      expect((await owner.post("/register", { email, password: PASSWORD })).status).toBe(201);
      await confirmAddress(email, mark);
      const userId = (await owner.get<SessionBody>("/me")).body.user.id;
      const { secret } = await enrolTotp(h, owner);

      const { client: device, pending } = await passwordStep(h, email);
      const done = await device.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
        rememberDevice: true,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      h.clock.advance(30_000);
      const cookie = device.cookies.get(DEVICE_COOKIE);
      expect(cookie).toBeTruthy();
      await device.post("/logout");
      const again = await device.post<PendingSignIn>("/login", {
        identity: email,
        password: PASSWORD,
      });
      const skipped = await device.post<SessionBody>("/tf-remembered", { state: again.body.state });
      expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
      expect(skipped.body.session).toMatchObject({ aal: 2, amr: ["pwd", "remembered"] });
      await device.post("/logout");
      return { owner, device, email, userId, secret, cookie: cookie! };
    }

    /** A password sign-in on a browser carrying `cookie`: the cookie must not skip the factor. */
    async function expectForgotten(email: string, cookie: string, password = PASSWORD) {
      const browser = h.client();
      browser.cookies.set(DEVICE_COOKIE, cookie);
      const login = await browser.post<PendingSignIn>("/login", { identity: email, password });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      expect(login.body.twoFactorRequired).toBe(true);
      await expectStateForgotten(browser, login.body.state);
    }

    async function expectStateForgotten(browser: TestClient, state: string) {
      const skipped = await browser.post("/tf-remembered", { state });
      expectRefused(skipped, "TWO_FACTOR_DEVICE_NOT_REMEMBERED");
      expect(startedSession(skipped)).toBe(false);
    }

    it("forgets it when the password is reset", async () => {
      const { email, cookie } = await rememberedDevice();
      const browser = h.client();
      browser.cookies.set(DEVICE_COOKIE, cookie);
      const done = await browser.post<PendingSignIn>("/reset-password/complete", {
        token: await linkToken(email, "reset-password"),
        password: NEW_PASSWORD,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.twoFactorRequired).toBe(true);
      await expectStateForgotten(browser, done.body.state);
      await expectForgotten(email, cookie, NEW_PASSWORD);
    });

    it("forgets it when the password is changed", async () => {
      const { email, secret, cookie } = await rememberedDevice();
      // A password change needs AAL2 once the account has a second factor.
      const strong = await signInWithTotp(h, email, secret);
      const changed = await strong.post("/change-password", {
        currentPassword: PASSWORD,
        newPassword: NEW_PASSWORD,
      });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      await expectForgotten(email, cookie, NEW_PASSWORD);
    });

    it("forgets it when the owner signs out everywhere", async () => {
      const { owner, email, cookie } = await rememberedDevice();
      const out = await owner.post("/sign-out-everywhere", {});
      expect(out.status, JSON.stringify(out.body)).toBe(200);
      await expectForgotten(email, cookie);
    });

    it("forgets it when a second factor is added", async () => {
      const { email, secret, cookie } = await rememberedDevice();
      const strong = await signInWithTotp(h, email, secret);
      const reg = await registerKey(strong, authenticator(), {
        name: "Security key",
        usage: "secondary",
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
      await expectForgotten(email, cookie);
    });

    it("forgets it when a second factor is turned off", async () => {
      const { email, secret, cookie } = await rememberedDevice();
      const strong = await signInWithTotp(h, email, secret);
      // Email codes as well, so turning them off leaves a factor to ask for.
      const setup = await strong.post<TotpSetup>("/tf-setup", { method: "email" });
      expect(setup.status, JSON.stringify(setup.body)).toBe(200);
      const code = /\b(\d{6,10})\b/.exec(box.sent.filter((m) => m.to === email).at(-1)!.text)?.[1];
      const enrolled = await strong.post("/tf-setup-validate", { state: setup.body.state, code });
      expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
      // Re-remember after that change, so only the removal below is tested.
      const { client: device, pending } = await passwordStep(h, email);
      const remembered = await device.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
        rememberDevice: true,
      });
      expect(remembered.status, JSON.stringify(remembered.body)).toBe(200);
      h.clock.advance(30_000);
      const fresh = device.cookies.get(DEVICE_COOKIE)!;
      expect(fresh).not.toBe(cookie);

      const off = await strong.post("/tf-setup", { method: "disable", only: "email" });
      expect(off.status, JSON.stringify(off.body)).toBe(200);
      await expectForgotten(email, fresh);
    });

    it("forgets it when the account is recovered", async () => {
      // A passkey-only account whose key, used without user verification, owes a second factor.
      const owner = h.client();
      const email = uniqueEmail("recovered");
      const mark = box.mark();
      expect((await owner.post("/register", { email })).status).toBe(201);
      await confirmAddress(email, mark);
      const key = authenticator();
      // The key signs in at AAL2 (user verified), as adding the authenticator app next requires.
      expect((await registerFirstKeyAndSignIn(owner, key, { name: "Phone" })).status).toBe(201);
      const { secret, recoveryCodes } = await enrolTotp(h, owner);

      const device = h.client();
      const first = await signInWithKey(device, key, {}, { flags: { uv: false } });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      const pending = first.body as unknown as PendingSignIn;
      expect(pending.twoFactorRequired).toBe(true);
      const done = await device.post("/tf-validate", {
        state: pending.state,
        method: "totp",
        code: await totpAt(secret, h.clock.now()),
        rememberDevice: true,
      });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      h.clock.advance(30_000);
      await device.post("/logout");

      const recovered = await h.client().post("/recover-account/complete", {
        token: await linkToken(email, "recover-account"),
        recoveryCode: recoveryCodes[0],
      });
      expect(recovered.status, JSON.stringify(recovered.body)).toBe(200);

      const next = await signInWithKey(device, key, {}, { flags: { uv: false } });
      expect(next.status, JSON.stringify(next.body)).toBe(200);
      await expectStateForgotten(device, (next.body as unknown as PendingSignIn).state);
    });
  });
});

describe.each(targets)("sign-ins waiting for enrolment on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    twoFactor: { required: true },
    rateLimits: { accountMailsPerIp: 10_000 },
  });

  it("a sign-in held back for enrolment before a reset cannot enrol the attacker's app after it", async () => {
    // The attacker knows the old password; the account has no second factor yet.
    const email = uniqueEmail("enrol");
    const signup = await h.client().post<SessionBody>("/register", { email, password: PASSWORD });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const userId = signup.body.user.id;
    const confirm = tokenOf(await box.next(email, "confirm-email"));
    expect((await h.client().post("/confirm-email", { token: confirm })).status).toBe(200);
    const attacker = h.client();
    const held = await attacker.post<PendingSignIn>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(held.body).toMatchObject({ twoFactorRequired: true, methods: [] });

    const mark = box.mark();
    expect((await h.client().post("/reset-password", { email })).status).toBe(200);
    const token = tokenOf(await box.next(email, "reset-password", mark));
    const reset = await h.client().post("/reset-password/complete", {
      token,
      password: NEW_PASSWORD,
    });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);

    const setup = await attacker.post("/tf-setup", {
      method: "totp",
      state: held.body.state,
    });
    expectRefused(setup, "STATE_INVALID");
    expect((await h.store.secondFactors.get(userId))?.totpSecret).toBeNull();
    expect(await h.store.sessions.listForUser(userId)).toEqual([]);
  });
});

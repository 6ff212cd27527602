import { describe, expect, it } from "vitest";
import type { RefusedSignIn } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signUp,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type TestClient, useHarness } from "../helpers/harness.js";
import { Mailbox, tokenOf } from "../helpers/mailbox.js";
import { enrolTotp, errorCode, newUser, TestMailer, TestSms } from "../helpers/two-factor.js";
import { waitFor } from "../helpers/wait.js";

/**
 * Attacks on the features of the week of 30 November (code sign-in, automatic passkey
 * upgrades, lockout, admin access resets), each a real ceremony against the declared rules
 * (docs/security.md). A test here that failed on the code before its fix names the fix in
 * its commit.
 */

const targets = await databaseTargets();

type Json = Record<string, unknown>;
type SessionBody = {
  user: { id: string; email: string; emailConfirmed: boolean };
  session: { aal: number; amr: string[] };
};
type UpgradeStart = { options: Json & { challenge: string }; state: string };

const carriesCode = (m: { to: string; text: string }, to: string) =>
  m.to === to && /\bcode is \d{6,10}\b/.test(m.text);

/** Waits until `count` sign-in codes have gone to `to` (codes leave after the answer). */
async function codeTo(mailer: TestMailer, to: string, count = 1): Promise<string> {
  for (let tries = 0; mailer.sent.filter((m) => carriesCode(m, to)).length < count; tries += 1) {
    if (tries > 500) throw new Error(`no code #${count} to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return mailer.lastCode(to);
}

/** A code sign-in by email on a fresh client, up to the code arriving. */
async function codeSignIn(h: Harness, mailer: TestMailer, email: string) {
  const client = h.client();
  const sent = mailer.sent.filter((m) => carriesCode(m, email)).length;
  const started = await client.post<{ state: string }>("/code-signin", {
    identity: email,
    channel: "email",
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const code = await codeTo(mailer, email, sent + 1);
  return { client, state: started.body.state, code };
}

describe.each(targets)("attacks on the code sign-in on $name", (target) => {
  const mailer = new TestMailer();
  const h = useHarness(target, {
    mailer,
    signIn: { codes: ["email"] },
    webauthn: { passkeyUpgrade: true },
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000, accountMailsPerIp: 10_000 },
  });

  it("an emailed code proves the mailbox: an unconfirmed holder's password, passkey and sessions do not survive it", async () => {
    // The attacker signs up first with the victim's address ("grace" lets them in) and adds
    // a passkey; the owner later signs in with a code sent to their own mailbox.
    const attacker = h.client();
    const email = uniqueEmail("victim");
    await signUp(attacker, email);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    const added = await registerKey(attacker, key, { name: "Attacker", usage: "first" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const userId = (await attacker.get<SessionBody>("/me")).body.user.id;

    const { client: owner, state, code } = await codeSignIn(h, mailer, email);
    const done = await owner.post<SessionBody>("/code-signin-validate", { state, code });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.user.emailConfirmed).toBe(true);

    expectRefused(await signInWithKey(h.client(), key), "WEBAUTHN_UNKNOWN_CREDENTIAL");
    expect(errorCode(await attacker.get("/me"))).toBe("UNAUTHENTICATED");
    const byPassword = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(errorCode(byPassword)).toBe("INVALID_CREDENTIALS");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
    expect((await h.store.users.byId(userId))?.passwordHash).toBeNull();
    const [removed] = await h.store.events.list({
      userId,
      type: "account.unconfirmed-holder-removed",
    });
    expect(removed?.detail).toMatchObject({
      via: "code-signin",
      password: true,
      keys: 1,
      sessions: 1,
    });
    expect((await owner.get("/me")).status).toBe(200);
  });

  it("a confirmed account's code sign-in keeps its password and keys", async () => {
    const { client, email, userId } = await newUser(h);
    await h.store.users.confirmEmail(userId, email, h.clock.now());
    const key = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, key, { name: "Mine", usage: "first" })).status).toBe(201);
    const { client: again, state, code } = await codeSignIn(h, mailer, email);
    expect((await again.post("/code-signin-validate", { state, code })).status).toBe(200);
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
    const login = await h.client().post("/login", { identity: email, password: PASSWORD });
    expect(login.status).toBe(200);
  });

  it("a code mailed to an address the account has since left signs nobody in", async () => {
    const { email, userId } = await newUser(h);
    const { client, state, code } = await codeSignIn(h, mailer, email);
    const moved = uniqueEmail("moved");
    expect(await h.store.users.changeEmail(userId, email, moved, h.clock.now())).toBe(true);
    const refused = await client.post("/code-signin-validate", { state, code });
    expectRefused(refused, "CODE_SIGNIN_INVALID");
    expect(startedSession(refused)).toBe(false);
  });

  it("a code and its state sign in only the identity they were sent for", async () => {
    const victim = await newUser(h);
    const attacker = await newUser(h);
    const forAttacker = await codeSignIn(h, mailer, attacker.email);
    // The attacker's own code, on a state started for the victim.
    const onVictim = h.client();
    const started = await onVictim.post<{ state: string }>("/code-signin", {
      identity: victim.email,
      channel: "email",
    });
    const crossed = await onVictim.post("/code-signin-validate", {
      state: started.body.state,
      code: forAttacker.code,
    });
    expectRefused(crossed, "CODE_SIGNIN_INVALID");
    expect(startedSession(crossed)).toBe(false);
    // And the attacker's state still signs in only the attacker.
    const own = await forAttacker.client.post<SessionBody>("/code-signin-validate", {
      state: forAttacker.state,
      code: forAttacker.code,
    });
    expect(own.body.user.id).toBe(attacker.userId);
  });

  it("a code sign-in's state is no second-factor state, and the reverse", async () => {
    const { client: owner, email, userId } = await newUser(h);
    await h.store.users.confirmEmail(userId, email, h.clock.now());
    await enrolTotp(h, owner);
    const { client, state, code } = await codeSignIn(h, mailer, email);
    // The code state offered where a pending second factor is expected.
    for (const [path, body] of [
      ["/tf-validate", { state, method: "email", code }],
      ["/tf-select", { state, method: "email" }],
      ["/mf-recovery", { state, code }],
      ["/wan-signin", { secondFactorState: state }],
    ] as const) {
      const crossed = await client.post(path, body);
      expectRefused(crossed);
      expect(startedSession(crossed)).toBe(false);
    }
    // The code still works where it belongs, and leads to the second factor it owes.
    const pending = await client.post<{ state: string; twoFactorRequired?: boolean }>(
      "/code-signin-validate",
      { state, code },
    );
    expect(pending.body.twoFactorRequired, JSON.stringify(pending.body)).toBe(true);
    // The pending second-factor state offered to the code route.
    const reverse = await client.post("/code-signin-validate", { state: pending.body.state, code });
    expectRefused(reverse);
    expect(startedSession(reverse)).toBe(false);
  });

  it("a right code sent twice at once signs in once", async () => {
    const { email, userId } = await newUser(h);
    await h.store.users.confirmEmail(userId, email, h.clock.now());
    const { client, state, code } = await codeSignIn(h, mailer, email);
    const before = (await h.store.sessions.listForUser(userId)).length;
    const answers = await Promise.all(
      [0, 1, 2].map(() => client.post("/code-signin-validate", { state, code })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    for (const refused of answers.filter((a) => a.status !== 200)) expectRefused(refused);
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(before + 1);
  });

  it("a locked account gets no session from a right code, and no new code", async () => {
    const { email, userId } = await newUser(h);
    const { client, state, code } = await codeSignIn(h, mailer, email);
    await h.auth.api.admin.lock(email, { reason: "stolen laptop" });
    // Asked again while locked: the same answer as ever, and nothing is sent (it could not be used).
    const mailsBefore = mailer.sent.length;
    const again = await h.client().post("/code-signin", { identity: email, channel: "email" });
    expect(again.status).toBe(200);
    // A code asked for an unlocked account after it, which does more work, marks when the
    // locked one's send would have happened.
    const other = await newUser(h);
    await codeSignIn(h, mailer, other.email);
    expect(mailer.sent.slice(mailsBefore).filter((m) => m.to === email)).toEqual([]);
    const refused = await client.post("/code-signin-validate", { state, code });
    expectRefused(refused, "ACCOUNT_LOCKED");
    expect(startedSession(refused)).toBe(false);
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(1); // sign-up's only
  });

  it("a session a code earned cannot start an automatic passkey upgrade", async () => {
    const { email } = await newUser(h);
    const { client, state, code } = await codeSignIn(h, mailer, email);
    expect((await client.post("/code-signin-validate", { state, code })).status).toBe(200);
    expectRefused(await client.post("/wan-upgrade", {}), "PASSKEY_UPGRADE_UNAVAILABLE");
  });
});

describe.each(targets)("attacks on automatic passkey upgrades on $name", (target) => {
  const h = useHarness(target, { webauthn: { passkeyUpgrade: true } });
  const silently = { flags: { up: false, uv: false } };
  const passwordManager = () =>
    new SoftwareAuthenticator({ origin: h.origin, backupEligible: true, backupState: true });

  async function passwordSession(): Promise<{ client: TestClient; userId: string }> {
    const email = await signUp(h.client());
    const client = h.client();
    const login = await client.post("/login", { identity: email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const me = await client.get<SessionBody>("/me");
    return { client, userId: me.body.user.id };
  }

  async function startUpgrade(client: TestClient): Promise<UpgradeStart> {
    const start = await client.post<UpgradeStart>("/wan-upgrade", {});
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    return start.body;
  }

  const finish = async (client: TestClient, start: UpgradeStart) =>
    client.post("/wan-register-response", {
      state: start.state,
      credential: await passwordManager().register(start.options as never, silently),
    });

  it("refuses a second UP=0 key from an upgrade state started before the first one landed", async () => {
    const { client, userId } = await passwordSession();
    const first = await startUpgrade(client);
    const second = await startUpgrade(client);
    expect((await finish(client, first)).status).toBe(201);
    expectRefused(await finish(client, second), "PASSKEY_UPGRADE_UNAVAILABLE");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("refuses a UP=0 key once the account has a passkey it registered meanwhile", async () => {
    const { client, userId } = await passwordSession();
    const start = await startUpgrade(client);
    // A passkey that does not verify its user: the account still reaches only AAL1, so the
    // password's session may still change factors; the upgrade is over all the same.
    const passkey = new SoftwareAuthenticator({ origin: h.origin, userVerification: false });
    const own = await registerKey(client, passkey, { name: "Own", usage: "first" });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    expectRefused(await finish(client, start), "PASSKEY_UPGRADE_UNAVAILABLE");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("refuses a UP=0 key finished after passkeyUpgradeWithin, though its state still lives", async () => {
    const { client, userId } = await passwordSession();
    h.clock.advance(4 * 60_000);
    const start = await startUpgrade(client);
    // Six minutes after the password: past the five-minute window, inside registerWithin.
    h.clock.advance(2 * 60_000);
    expectRefused(await finish(client, start), "PASSKEY_UPGRADE_UNAVAILABLE");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });

  it("refuses a cross-site upgrade start and a cross-site code form (CSRF on cookie requests)", async () => {
    const { client, userId } = await passwordSession();
    const crossSite = { origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    expectRefused(await client.post("/wan-upgrade", {}, crossSite), "CSRF_FAILED");
    const form = await client.request("POST", "/code-signin-validate", "state=x&code=123456", {
      "content-type": "application/x-www-form-urlencoded",
      ...crossSite,
    });
    expectRefused(form, "CSRF_FAILED");
    expect(await h.store.credentials.listForUser(userId)).toEqual([]);
  });

  it("stores one UP=0 key when two upgrade states finish at once", async () => {
    const { client, userId } = await passwordSession();
    const starts = [await startUpgrade(client), await startUpgrade(client)];
    const answers = await Promise.all(starts.map((start) => finish(client, start)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });

  it("spends an upgrade state once", async () => {
    const { client, userId } = await passwordSession();
    const start = await startUpgrade(client);
    const credential = await passwordManager().register(start.options as never, silently);
    const body = { state: start.state, credential };
    expect((await client.post("/wan-register-response", body)).status).toBe(201);
    expectRefused(await client.post("/wan-register-response", body), "STATE_INVALID");
    expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
  });
});

describe.each(targets)("attacks on reset links and request bodies on $name", (target) => {
  const box = new Mailbox();
  const h = useHarness(target, {
    mailer: box,
    rateLimits: { accountMailsPerIp: 10_000 },
  });

  it("an access-reset link dies when an administrator sets the password afterwards", async () => {
    const { email, userId } = await newUser(h);
    const mark = box.mark();
    await h.auth.api.admin.resetAccess(email);
    const token = tokenOf(await box.next(email, "access-reset", mark));
    await h.auth.api.admin.setPassword(email, "the administrator's choice");
    const late = await h.client().post("/reset-password/complete", {
      token,
      password: "whoever holds the old mail",
    });
    expectRefused(late, "TOKEN_INVALID");
    expect(startedSession(late)).toBe(false);
    const login = await h.client().post("/login", {
      identity: email,
      password: "the administrator's choice",
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(1);
  });

  it("a reset link the user asked for dies when an administrator sets the password", async () => {
    const { email } = await newUser(h);
    const mark = box.mark();
    expect((await h.client().post("/reset-password", { email })).status).toBe(200);
    const token = tokenOf(await box.next(email, "reset-password", mark));
    await h.auth.api.admin.setPassword(email, "the administrator's choice");
    const late = await h.client().post("/reset-password/complete", {
      token,
      password: "whoever holds the old mail",
    });
    expectRefused(late, "TOKEN_INVALID");
  });

  it("ignores fields a body does not declare (mass assignment)", async () => {
    const client = h.client();
    const email = uniqueEmail("mass");
    const signup = await client.post<SessionBody>("/register", {
      email,
      password: PASSWORD,
      emailConfirmed: true,
      emailConfirmedAt: 1,
      active: false,
      id: "00000000-0000-0000-0000-000000000000",
      webauthnUserHandle: "AAAA",
      aal: 2,
      amr: ["hwk"],
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const user = await h.store.users.byEmail(email);
    expect(user?.emailConfirmedAt).toBeNull();
    expect(user?.active).toBe(true);
    expect(user?.id).not.toBe("00000000-0000-0000-0000-000000000000");
    expect(user?.webauthnUserHandle).not.toBe("AAAA");
    expect(signup.body.session).toMatchObject({ aal: 1, amr: ["pwd"] });

    // An ordinary registration cannot ask for the upgrade's UP=0 allowance.
    const start = await client.post<UpgradeStart>("/wan-register", {
      name: "Smuggled",
      usage: "first",
      upgrade: true,
      data: { upgrade: true },
    });
    expect(start.status, JSON.stringify(start.body)).toBe(200);
    const silent = new SoftwareAuthenticator({ origin: h.origin });
    const credential = await silent.register(start.body.options as never, {
      flags: { up: false, uv: false },
    });
    const refused = await client.post("/wan-register-response", {
      state: start.body.state,
      credential,
      upgrade: true,
    });
    expectRefused(refused, "WEBAUTHN_VERIFICATION_FAILED");
    expect(await h.store.credentials.listForUser(user!.id)).toEqual([]);
  });

  it("pollutes no prototype through __proto__ or constructor keys, in JSON or a form", async () => {
    const email = await signUp(h.client());
    const json = await h
      .client()
      .post(
        "/login",
        `{"identity":${JSON.stringify(email)},"password":"${PASSWORD}","__proto__":{"polluted":"yes","aal":2},"constructor":{"prototype":{"polluted":"yes"}}}`,
      );
    expect(json.status, JSON.stringify(json.body)).toBe(200);
    expect((json.body as { session: { aal: number } }).session.aal).toBe(1);
    const form = await fetch(`${h.baseUrl}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: `identity=${encodeURIComponent(email)}&password=${encodeURIComponent(PASSWORD)}&__proto__[polluted]=yes&__proto__=x&constructor[prototype][polluted]=yes`,
    });
    expect(form.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect(Object.prototype).not.toHaveProperty("aal");
  });

  it("refuses oversized and malformed identities with a 4xx, and keeps confusables apart", async () => {
    const huge = `${"a".repeat(5000)}@example.com`;
    for (const identity of [huge, "a\u0000b@example.com", { $ne: null }, ["x"], 42]) {
      const result = await h.client().post("/login", { identity, password: PASSWORD });
      expectRefused(result);
    }
    // A Cyrillic "а" is not a Latin "a": the look-alike address is another account, and its
    // password does not open the original.
    const latin = uniqueEmail("alice");
    await signUp(h.client(), latin);
    const lookalike = latin.replace("a", "\u0430");
    const other = await h
      .client()
      .post("/register", { email: lookalike, password: "other one's pass" });
    if (other.status === 201) {
      const wrong = await h.client().post("/login", {
        identity: latin,
        password: "other one's pass",
      });
      expect(errorCode(wrong)).toBe("INVALID_CREDENTIALS");
    } else expectRefused(other);
  });
});

describe.each(targets)("attacks on bearer clients on $name", (target) => {
  const mailer = new TestMailer();
  const h = useHarness(target, {
    mailer,
    signIn: { codes: ["email"] },
    session: { bearer: true },
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  it("a bearer header does not lift a browser's code sign-in off its pending cookie", async () => {
    const { email } = await newUser(h);
    const { state, code } = await codeSignIn(h, mailer, email);
    // Whoever learns the state and the code, from another client that holds no pending cookie.
    const thief = h.client();
    const stolen = await thief.post(
      "/code-signin-validate",
      { state, code },
      { authorization: `Bearer ${"x".repeat(43)}` },
    );
    expectRefused(stolen, "STATE_INVALID");
    expect((stolen.body as { token?: string }).token).toBeUndefined();
    const plain = await thief.post("/code-signin-validate", { state, code });
    expectRefused(plain, "STATE_INVALID");
  });

  it("a pending token is no session, and a session token continues no sign-in", async () => {
    const { client, email } = await newUser(h);
    await enrolTotp(h, client);
    const login = await h.client().post<{ pendingToken?: string; state: string }>("/login", {
      identity: email,
      password: PASSWORD,
      session: "token",
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const pendingToken = login.body.pendingToken!;
    expect(pendingToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await h.client().get("/me", { authorization: `Bearer ${pendingToken}` });
    expectRefused(me, "BEARER_TOKEN_INVALID");
    // Another user's session token does not hold this sign-in.
    const other = await newUser(h);
    const token = await h.client().post<{ token: string }>("/login", {
      identity: other.email,
      password: PASSWORD,
      session: "token",
    });
    const crossed = await h
      .client()
      .post(
        "/tf-validate",
        { state: login.body.state, method: "totp", code: "000000" },
        { authorization: `Bearer ${token.body.token}` },
      );
    expectRefused(crossed, "STATE_INVALID");
  });
});

describe.each(targets)("the lockout policy sees code sign-ins on $name", (target) => {
  const mailer = new TestMailer();
  const seen: RefusedSignIn[] = [];
  const h = useHarness(target, {
    mailer,
    signIn: { codes: ["email"] },
    twoFactor: { codeAttempts: 10 },
    rateLimits: { secondFactorPerUser: 2, secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
    policy: {
      onSignInFailed(attempt) {
        seen.push(attempt);
        return undefined;
      },
    },
  });

  it("shows the hook every refused code sign-in, rate-limited ones too, once each", async () => {
    const { email, userId } = await newUser(h);
    const { client, state, code } = await codeSignIn(h, mailer, email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (const expected of ["CODE_SIGNIN_INVALID", "CODE_SIGNIN_INVALID", "RATE_LIMITED"]) {
      expectRefused(await client.post("/code-signin-validate", { state, code: wrong }), expected);
    }
    const mine = seen.filter((s) => s.method === "email-code");
    expect(mine.map((s) => s.reason)).toEqual(["code-invalid", "code-invalid", "rate-limited"]);
    const events = await h.store.events.list({ type: "user.login-failed", limit: 1000 });
    expect(events.filter((e) => e.detail.method === "email-code")).toHaveLength(3);
    // A wrong code names the account its code was sent to; the rate limit is counted against
    // the identity before any account is looked up, so it names none (enumeration safety).
    expect(mine.map((s) => s.userId)).toEqual([userId, userId, null]);
  });
});

describe.each(targets)("attacks on keys, remember me and imports on $name", (target) => {
  const h = useHarness(target);

  it("refuses a sign-in assertion made without user presence (UP=0 is for the upgrade's registration only)", async () => {
    const { client } = await newUser(h);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, key, { name: "Key", usage: "first" })).status).toBe(201);
    const silent = await signInWithKey(h.client(), key, {}, { flags: { up: false } });
    expectRefused(silent, "WEBAUTHN_VERIFICATION_FAILED");
    expect(startedSession(silent)).toBe(false);
  });

  it("remember: false stays a browser session through a reauthentication's new id", async () => {
    const { client, userId } = await newUser(h);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, key, { name: "Key", usage: "first" })).status).toBe(201);
    const browser = h.client();
    const start = await browser.post<{ options: never; state: string }>("/wan-signin", {});
    const signedIn = await browser.post("/wan-signin-response", {
      state: start.body.state,
      credential: await key.authenticate(start.body.options),
      remember: false,
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    const first = signedIn.headers.getSetCookie().find((l) => l.startsWith("keyward_session="));
    expect(first).not.toMatch(/Max-Age/);
    const verify = await browser.post<{ options: never; state: string }>("/wan-verify", {});
    expect(verify.status, JSON.stringify(verify.body)).toBe(200);
    const done = await browser.post("/wan-verify-response", {
      state: verify.body.state,
      credential: await key.authenticate(verify.body.options),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const renewed = done.headers.getSetCookie().find((line) => line.startsWith("keyward_session="));
    expect(renewed, "a reauthentication gives the session a new id").toBeDefined();
    expect(renewed).not.toMatch(/Max-Age/);
    const sessions = await h.store.sessions.listForUser(userId);
    const browserSession = sessions.find((s) => !s.persistent);
    expect(browserSession?.expiresAt).toBeLessThanOrEqual(h.clock.now() + 12 * 3_600_000);
  });

  it("imports no user onto another account's user handle or credential", async () => {
    const { client, userId } = await newUser(h);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    const added = await registerKey(client, key, { name: "Key", usage: "first" });
    expect(added.status).toBe(201);
    const victim = (await h.store.users.byId(userId))!;
    const [victimKey] = await h.store.credentials.listForUser(userId);
    const report = await h.auth.api.importUsers({
      format: "keyward-import",
      version: 1,
      users: [
        { email: uniqueEmail("twin"), webauthnUserHandle: victim.webauthnUserHandle },
        {
          email: uniqueEmail("thief"),
          keys: [
            {
              credentialId: victimKey!.credentialId,
              publicKey: victimKey!.publicKey,
              usage: "first",
              backupEligible: false,
              backupState: false,
            },
          ],
        },
        { email: victim.email.toUpperCase(), webauthnUserHandle: "AAAA" },
      ],
    });
    // The twin and the upper-cased address are refused whole; the thief comes in without the key.
    expect(report.entries.map((e) => e.outcome)).toEqual(["skipped", "imported", "skipped"]);
    expect(report.entries[1]?.keys).toMatchObject({ imported: 0 });
    expect(report.entries[1]?.keys.skipped).toHaveLength(1);
    const [stillMine] = await h.store.credentials.listForUser(userId);
    expect(stillMine?.credentialId).toBe(victimKey!.credentialId);
    // The victim's key still signs in the victim alone.
    const signedIn = await signInWithKey(h.client(), key);
    expect((signedIn.body as SessionBody).user.id).toBe(userId);
  });
});

describe.each(targets)("attacks on texted sign-in codes on $name", (target) => {
  const sms = new TestSms();
  const h = useHarness(target, {
    sms,
    signIn: { codes: ["sms"] },
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  it("a code texted to a phone the account has since dropped signs nobody in", async () => {
    const { client, email, userId } = await newUser(h);
    await h.store.users.confirmEmail(userId, email, h.clock.now());
    const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
    const setup = await client.post<{ state: string }>("/tf-setup", { method: "sms", phone });
    expect(setup.status, JSON.stringify(setup.body)).toBe(200);
    await waitFor(() => sms.sent.some((m) => m.to === phone), { tries: 500 });
    const enrolled = await client.post("/tf-setup-validate", {
      state: setup.body.state,
      code: sms.lastCode(phone),
    });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    // An authenticator app too, so a texted code may sign in (SMS is not the only factor).
    const fresh = await signInWithSmsSecondFactor(h, sms, email, phone);
    await enrolTotp(h, fresh);

    // Whoever holds the phone asks for a code; then the owner's administrator drops the phone.
    const thief = h.client();
    const sent = sms.sent.filter((m) => m.to === phone).length;
    const started = await thief.post<{ state: string }>("/code-signin", {
      identity: email,
      channel: "sms",
    });
    expect(started.status).toBe(200);
    await waitFor(() => sms.sent.filter((m) => m.to === phone).length > sent, { tries: 500 });
    const code = sms.lastCode(phone);
    await h.auth.api.admin.resetSecondFactors(email);
    const late = await thief.post("/code-signin-validate", { state: started.body.state, code });
    expectRefused(late, "CODE_SIGNIN_INVALID");
    expect(startedSession(late)).toBe(false);
  });
});

/** Password, then a texted second-factor code: an AAL2 session on a fresh client. */
async function signInWithSmsSecondFactor(h: Harness, sms: TestSms, email: string, phone: string) {
  const client = h.client();
  const login = await client.post<{ state: string }>("/login", {
    identity: email,
    password: PASSWORD,
  });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  const before = sms.sent.filter((m) => m.to === phone).length;
  const selected = await client.post("/tf-select", { state: login.body.state, method: "sms" });
  expect(selected.status, JSON.stringify(selected.body)).toBe(200);
  await waitFor(() => sms.sent.filter((m) => m.to === phone).length > before, { tries: 500 });
  const done = await client.post("/tf-validate", {
    state: login.body.state,
    method: "sms",
    code: sms.lastCode(phone),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  return client;
}

describe.each(targets)("code sign-in where a second factor is required on $name", (target) => {
  const mailer = new TestMailer();
  const h = useHarness(target, {
    mailer,
    signIn: { codes: ["email"] },
    twoFactor: { required: true, methods: ["webauthn", "totp", "email"] },
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  it("one mailbox cannot enrol itself as the second factor of a sign-in it began", async () => {
    const email = uniqueEmail("mailbox");
    const signup = await h.client().post<SessionBody>("/register", {
      email,
      password: PASSWORD,
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    await h.store.users.confirmEmail(signup.body.user.id, email, h.clock.now());
    const { client, state, code } = await codeSignIn(h, mailer, email);
    const pending = await client.post<{ state: string; methods: string[] }>(
      "/code-signin-validate",
      { state, code },
    );
    expect(pending.status, JSON.stringify(pending.body)).toBe(200);
    expect(pending.body).toMatchObject({ twoFactorRequired: true, methods: [] });
    const sameMailbox = await client.post("/tf-setup", {
      state: pending.body.state,
      method: "email",
    });
    expectRefused(sameMailbox, "TWO_FACTOR_METHOD_NOT_AVAILABLE");
    expect(startedSession(sameMailbox)).toBe(false);
    // Another factor may be enrolled with the same state: an authenticator app.
    const app = await client.post("/tf-setup", { state: pending.body.state, method: "totp" });
    expect(app.status, JSON.stringify(app.body)).toBe(200);
  });
});

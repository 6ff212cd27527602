import { describe, expect, it } from "vitest";
import { type AppSecondFactor, ConfigError, createKeyward } from "../../src/index.js";
import { CompanyToken, PushApproval } from "../helpers/app-factors.js";
import { PASSWORD, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type Harness, TEST_SECRET, type TestClient, useHarness } from "../helpers/harness.js";
import { errorCode, newUser, passwordStep } from "../helpers/two-factor.js";

/**
 * Issue #20 item 1: an app plugs in its own second factor (`secondFactors`), and Keyward runs
 * the sign-in around it: offers, the pending state, attempt limits, sessions, events, resets.
 */

const targets = await databaseTargets();

type Json = Record<string, unknown>;

const ATTEMPTS = 3;

/** A new account whose address starts with `prefix-` (the policy above reads it). */
async function newUserAs(h: Harness, prefix: string) {
  const client = h.client();
  const email = await signUp(client, uniqueEmail(prefix));
  const me = await client.get<{ user: { id: string } }>("/me");
  return { client, email, userId: me.body.user.id };
}

async function eventsOf(h: Harness, userId: string, type: string): Promise<Json[]> {
  const events = await h.store.events.list({ userId, limit: 1000 });
  return events.filter((e) => e.type === type).map((e) => e.detail as Json);
}

describe.each(targets)("app-defined second factors on $name", (target) => {
  const push = new PushApproval();
  const token = new CompanyToken();
  const h = useHarness(target, {
    secondFactors: [push, token],
    rateLimits: { secondFactorPerUser: ATTEMPTS, secondFactorPerIp: 10_000 },
    // Admins owe a second factor even with none enrolled: they enrol one at sign-in.
    policy: {
      secondFactorRequired: ({ user }) => (user.email.startsWith("admin-") ? true : undefined),
    },
  });

  /** A user whose phone is enrolled with the app's push service. */
  async function pushUser() {
    const user = await newUser(h);
    push.phones.add(user.userId);
    return user;
  }

  async function pendingPush(email: string): Promise<{ client: TestClient; state: string }> {
    const { client, pending } = await passwordStep(h, email);
    expect(pending.methods).toContain("push");
    const select = await client.post("/tf-select", { state: pending.state, method: "push" });
    expect(select.status, JSON.stringify(select.body)).toBe(200);
    expect(select.body).toEqual({
      method: "push",
      prompt: "approval",
      destination: "phone ending 42",
    });
    return { client, state: pending.state };
  }

  it("offers the app's factor by its name, and an approval completes an AAL2 sign-in", async () => {
    const { email, userId } = await pushUser();
    const { client, state } = await pendingPush(email);
    const sent = push.pushed.at(-1)!;
    expect(sent.userId).toBe(userId);
    // The attempt id names this sign-in without being its secret state.
    expect(sent.attemptId).not.toBe(state);

    // Not approved yet: a stable 409 as often as the client asks, more often than the attempt
    // limit, for a poll guesses nothing and is neither counted nor recorded as a refusal.
    for (let poll = 0; poll <= ATTEMPTS + 1; poll++) {
      const waiting = await client.post("/tf-validate", { state, method: "push" });
      expect(waiting.status).toBe(409);
      expect(errorCode(waiting)).toBe("TWO_FACTOR_APPROVAL_PENDING");
    }
    expect(await eventsOf(h, userId, "user.login-failed")).toEqual([]);

    push.answer(userId, "approved");
    const done = await client.post<Json>("/tf-validate", { state, method: "push" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "mca"] });
    const me = await client.get<{ session: { aal: number } }>("/me");
    expect(me.body.session.aal).toBe(2);
    // The sign-up's session, and the one the approval earned.
    const sessions = await h.store.sessions.listForUser(userId);
    expect(sessions.map((s) => s.earnedBy)).toContainEqual({ first: "pwd", second: "app:push" });

    expect(await eventsOf(h, userId, "two-factor.succeeded")).toEqual([{ method: "push", aal: 2 }]);
    expect(await eventsOf(h, userId, "user.login")).toContainEqual({
      method: "password",
      secondFactor: "push",
      aal: 2,
      factors: ["pwd", "mca"],
    });
    // The pending state was spent: the same approval completes nothing twice.
    const again = await h.client().post("/tf-validate", { state, method: "push" });
    expect(errorCode(again)).toBe("STATE_INVALID");
  });

  it("binds an approval to its own sign-in: approving one attempt completes no other", async () => {
    const { email, userId } = await pushUser();
    const first = await pendingPush(email);
    push.answer(userId, "approved");
    const second = await pendingPush(email);
    const waiting = await second.client.post("/tf-validate", {
      state: second.state,
      method: "push",
    });
    expect(errorCode(waiting)).toBe("TWO_FACTOR_APPROVAL_PENDING");
    const done = await first.client.post("/tf-validate", { state: first.state, method: "push" });
    expect(done.status).toBe(200);
  });

  it("refuses a denied approval: counted, recorded, and no session", async () => {
    const { email, userId } = await pushUser();
    const { client, state } = await pendingPush(email);
    push.answer(userId, "rejected");
    const denied = await client.post("/tf-validate", { state, method: "push" });
    expect(denied.status).toBe(401);
    expect(errorCode(denied)).toBe("TWO_FACTOR_DENIED");
    expect(await eventsOf(h, userId, "two-factor.failed")).toEqual([
      { method: "push", reason: "TWO_FACTOR_DENIED" },
    ]);
    expect(await eventsOf(h, userId, "user.login-failed")).toMatchObject([
      { method: "push", stage: "second-factor", reason: "two-factor-denied" },
    ]);
    expect((await client.get("/me")).status).toBe(401);
  });

  it("lets an approval that never comes run out with the pending sign-in", async () => {
    const { email } = await pushUser();
    const { client, state } = await pendingPush(email);
    h.clock.advance(h.auth.config.twoFactor.pendingWithin + 1000);
    const late = await client.post("/tf-validate", { state, method: "push" });
    expect(errorCode(late)).toBe("STATE_EXPIRED");
    expect((await client.get("/me")).status).toBe(401);
  });

  it("honours a lock taken while the approval is awaited", async () => {
    const { email, userId } = await pushUser();
    const { client, state } = await pendingPush(email);
    await h.auth.api.admin.lock(email, { reason: "suspicious", by: "test" });
    push.answer(userId, "approved");
    const refused = await client.post("/tf-validate", { state, method: "push" });
    expect(errorCode(refused)).toBe("ACCOUNT_LOCKED");
    expect((await client.get("/me")).status).toBe(401);
  });

  it("counts each push sent as a code sent: a password alone cannot flood the phone", async () => {
    const { email, userId } = await pushUser();
    const { client, pending } = await passwordStep(h, email);
    const { codeSendsPerUser } = h.auth.config.rateLimits;
    for (let sent = 0; sent < codeSendsPerUser; sent++) {
      const select = await client.post("/tf-select", { state: pending.state, method: "push" });
      expect(select.status).toBe(200);
    }
    const flood = await client.post("/tf-select", { state: pending.state, method: "push" });
    expect(flood.status).toBe(429);
    expect(push.pushed.filter((p) => p.userId === userId)).toHaveLength(codeSendsPerUser);
  });

  it("takes a code factor's own codes, and counts wrong ones to the attempt limit", async () => {
    const { email, userId } = await newUser(h);
    token.codes.set(userId, "TKN-7Q2X");
    const { client, pending } = await passwordStep(h, email);
    expect(pending.methods).toEqual(["company-token"]);
    const select = await client.post("/tf-select", {
      state: pending.state,
      method: "company-token",
    });
    expect(select.body).toEqual({ method: "company-token", prompt: "code" });
    const missing = await client.post("/tf-validate", {
      state: pending.state,
      method: "company-token",
    });
    expect(errorCode(missing)).toBe("INVALID_INPUT");
    for (let wrong = 0; wrong < ATTEMPTS; wrong++) {
      const refused = await client.post("/tf-validate", {
        state: pending.state,
        method: "company-token",
        code: `WRONG-${wrong}`,
      });
      expect(refused.status).toBe(400);
      expect(errorCode(refused)).toBe("TWO_FACTOR_CODE_INVALID");
    }
    // Past the limit even the right code is refused before the app is asked.
    const limited = await client.post("/tf-validate", {
      state: pending.state,
      method: "company-token",
      code: "TKN-7Q2X",
    });
    expect(limited.status).toBe(429);
    expect(errorCode(limited)).toBe("RATE_LIMITED");
    expect(await eventsOf(h, userId, "two-factor.failed")).toHaveLength(ATTEMPTS);
  });

  it("signs in with the right code, recording the factor (otp) and app:<name>", async () => {
    const { email, userId } = await newUser(h);
    token.codes.set(userId, "TKN-5K1M");
    const { client, pending } = await passwordStep(h, email);
    const done = await client.post<Json>("/tf-validate", {
      state: pending.state,
      method: "company-token",
      code: "TKN-5K1M",
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "otp"] });
    const sessions = await h.store.sessions.listForUser(userId);
    expect(sessions.map((s) => s.earnedBy)).toContainEqual({
      first: "pwd",
      second: "app:company-token",
    });
  });

  it("counts an app's factor toward the highest AAL: changing factors then needs AAL2", async () => {
    const { client, userId } = await newUser(h);
    const before = await client.post("/tf-setup", { method: "totp" });
    expect(before.status).toBe(200);
    push.phones.add(userId);
    const after = await client.post("/tf-setup", { method: "totp" });
    expect(after.status).toBe(403);
    expect(errorCode(after)).toBe("AAL_REQUIRED");
    const status = await client.get<{ twoFactor: Json }>("/tf-status");
    expect(status.body.twoFactor).toMatchObject({
      enabled: true,
      methods: ["push"],
      app: [{ method: "push", label: "Approve on your phone" }],
    });
  });

  it("pairs the app's factor through /tf-setup, under the factor-change rule", async () => {
    const { client, userId } = await newUser(h);
    const started = await client.post<Json>("/tf-setup", { method: "push" });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toMatchObject({ method: "push", pairingCode: "PAIR-4821" });
    const state = started.body.state as string;
    expect(push.pairings.at(-1)?.userId).toBe(userId);
    // The phone has not confirmed yet: asked again and again, never counted.
    for (let poll = 0; poll <= ATTEMPTS; poll++) {
      const waiting = await client.post("/tf-setup-validate", { state });
      expect(errorCode(waiting)).toBe("TWO_FACTOR_APPROVAL_PENDING");
    }
    push.pair(userId);
    const done = await client.post<Json>("/tf-setup-validate", { state });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({
      method: "push",
      twoFactor: { methods: ["push", "recovery"] },
    });
    expect(done.body.recoveryCodes).toHaveLength(h.auth.config.twoFactor.recoveryCodes);
    expect(push.phones.has(userId)).toBe(true);
    expect(await eventsOf(h, userId, "two-factor.enabled")).toEqual([
      { method: "push", sessionsRevoked: 0 },
    ]);
    // With a factor, the account reaches AAL2: this AAL1 session may pair nothing more.
    const more = await client.post("/tf-setup", { method: "push" });
    expect(errorCode(more)).toBe("AAL_REQUIRED");
  });

  it("enrols the app's factor at sign-in when the sign-in is held back for one", async () => {
    const { client: signUpClient, email, userId } = await newUserAs(h, "admin");
    await signUpClient.post("/logout", {});
    const { client, pending } = await passwordStep(h, email);
    expect(pending.methods).toEqual([]);
    const started = await client.post<Json>("/tf-setup", { state: pending.state, method: "push" });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    push.pair(userId);
    const done = await client.post<Json>("/tf-setup-validate", {
      state: started.body.state as string,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2, amr: ["pwd", "mca"] });
    const sessions = await h.store.sessions.listForUser(userId);
    expect(sessions.map((s) => s.earnedBy)).toContainEqual({ first: "pwd", second: "app:push" });
  });

  it("removes the app's factor on an administrator's reset, with what it earned", async () => {
    const { email, userId } = await pushUser();
    const { client, state } = await pendingPush(email);
    push.answer(userId, "approved");
    expect((await client.post("/tf-validate", { state, method: "push" })).status).toBe(200);

    const reset = await h.auth.api.admin.resetSecondFactors(email, { by: "test" });
    expect(reset.methods).toEqual(["push"]);
    expect(reset.sessionsRevoked).toBe(1);
    expect(push.disabled).toContain(userId);
    expect(push.phones.has(userId)).toBe(false);
    expect((await client.get("/me")).status).toBe(401);
    const login = await h.client().post<Json>("/login", { identity: email, password: PASSWORD });
    expect(login.body.session).toMatchObject({ aal: 1 });
  });

  it("runs the approval through the pages without JavaScript", async () => {
    const { email, userId } = await pushUser();
    const b = new FormBrowser(h);
    const login = await b.submit("/auth/login", "/auth/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(login.status, login.text.slice(0, 300)).toBe(303);
    const choose = await b.get("/auth/tf-select");
    expect(choose.text).toContain("Approve on your phone");
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(choose.text)![1]!;
    const state = b.cookies.get("keyward_tf")!;
    const selected = await b.post("/auth/tf-select", { csrfToken, state, method: "push" });
    expect(selected.status).toBe(303);
    expect(selected.headers.get("location")).toBe("/auth/tf-validate?method=push");

    const waiting = await b.get("/auth/tf-validate?method=push");
    expect(waiting.text).toContain("I approved it, continue");
    expect(waiting.text).not.toContain('name="code"');
    const early = await b.post("/auth/tf-validate", { csrfToken, state, method: "push" });
    expect(early.status).toBe(409);
    expect(early.text).toContain("We haven&#39;t seen your approval yet");

    push.answer(userId, "approved");
    const done = await b.post("/auth/tf-validate", { csrfToken, state, method: "push" });
    expect(done.status, done.text.slice(0, 300)).toBe(303);
    expect(b.cookies.has("keyward_session")).toBe(true);
    // The account page says how this session signed in, naming the app's factor.
    const account = await b.get("/auth/account");
    expect(account.text).toContain("password and Approve on your phone");
  });
});

describe("app-defined second factors and senders at start", () => {
  const start = (options: Partial<Parameters<typeof createKeyward>[0]>) =>
    createKeyward({
      rp: { id: "localhost", name: "Test", origins: ["http://localhost"] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      env: {},
      ...options,
    });
  const named = (name: string): AppSecondFactor => ({
    name,
    label: name,
    roaming: true,
    prompt: "code",
    isEnrolled: () => false,
    verify: () => "rejected",
  });

  it("refuses a factor named like a built-in method", async () => {
    const refused = await start({ secondFactors: [named("totp")] }).catch((error) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues).toEqual([
      { key: "secondFactors", reason: `"totp" is a built-in method's name; choose another` },
    ]);
  });

  it("refuses an sms sender or mailer without a send method, before anything opens", async () => {
    const refused = await start({
      sms: {} as never,
      mailer: { deliver: async () => {} } as never,
    }).catch((error) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues.map((issue) => issue.key)).toEqual(["sms", "mailer"]);
  });

  it("refuses a name listed in twoFactor.methods that no method has", async () => {
    const refused = await start({
      secondFactors: [named("push")],
      twoFactor: { methods: ["totp", "pushh"] },
    }).catch((error) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).issues[0]?.key).toBe("twoFactor.methods");
  });
});

import { describe, expect, it } from "vitest";
import { uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type HttpResult, type TestClient, useHarness } from "../helpers/harness.js";
import {
  enrolTotp,
  errorCode,
  eventTypes,
  newUser,
  TestMailer,
  TestSms,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

type Json = Record<string, unknown>;

interface SessionBody {
  user: { id: string };
  session: { aal: number; amr: string[] };
}

interface Started {
  state: string;
  channel: string;
  expiresAt: string;
}

const carriesCode = (m: { to: string; text: string }, to: string) =>
  m.to === to && /\bcode is \d{6,10}\b/.test(m.text);

/** Waits until `count` codes have gone to `to` (codes leave after the answer). */
async function codeTo(
  outbox: { sent: readonly { to: string; text: string }[]; lastCode(to: string): string },
  to: string,
  count = 1,
): Promise<string> {
  for (let tries = 0; outbox.sent.filter((m) => carriesCode(m, to)).length < count; tries += 1) {
    if (tries > 500) throw new Error(`no code #${count} to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return outbox.lastCode(to);
}

/** Starts a code sign-in on a fresh client. */
async function start(
  h: Harness,
  identity: string,
  channel: "email" | "sms" = "email",
): Promise<{ client: TestClient; started: HttpResult<Started> }> {
  const client = h.client();
  const started = await client.post<Started>("/code-signin", { identity, channel });
  return { client, started };
}

/** Enrols SMS as a second factor in the client's session (an AAL1 session may add the first). */
async function enrolSms(client: TestClient, sms: TestSms, phone: string): Promise<void> {
  const setup = await client.post<{ state: string }>("/tf-setup", { method: "sms", phone });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const done = await client.post("/tf-setup-validate", {
    state: setup.body.state,
    code: await codeTo(sms, phone),
  });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
}

describe.each(targets)("sign-in with a one-time code on $name", (target) => {
  const sms = new TestSms();
  const mailer = new TestMailer();
  const h = useHarness(target, {
    sms,
    mailer,
    signIn: { codes: ["email", "sms"] },
    // Every test signs in from 127.0.0.1: per-IP limits are tested on their own harness.
    rateLimits: { secondFactorPerIp: 10_000, codeSendsPerIp: 10_000 },
  });

  it("an emailed code signs in at AAL1 (amr email), once", async () => {
    const { email, userId } = await newUser(h);
    const { client, started } = await start(h, email);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body).toEqual({
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      channel: "email",
      expiresAt: new Date(h.clock.now() + 5 * 60_000).toISOString(),
    });
    const code = await codeTo(mailer, email);
    const done = await client.post<SessionBody>("/code-signin-validate", {
      state: started.body.state,
      code,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 1, amr: ["email"] });
    expect(done.body.user.id).toBe(userId);
    expect((await client.get<SessionBody>("/me")).body.session).toMatchObject({ amr: ["email"] });
    const session = (await h.store.sessions.listForUser(userId)).find((s) =>
      s.amr.includes("email"),
    );
    expect(session?.earnedBy).toEqual({ first: "email", second: null });
    const events = await h.store.events.list({ userId, type: "user.login" });
    // Sign-up's own session is a user.login too (method "sign-up").
    expect(events.find((e) => e.detail.method === "email")?.detail).toEqual({
      method: "email",
      factors: ["email"],
      aal: 1,
      secondFactor: null,
    });
    expect(await eventTypes(h, userId)).toContain("two-factor.code-sent");

    // Single use: the same state and code complete nothing a second time.
    const again = await client.post("/code-signin-validate", { state: started.body.state, code });
    expect(errorCode(again)).toBe("STATE_INVALID");
  });

  it("answers an unknown identity exactly like a known one, and sends it nothing", async () => {
    const { email } = await newUser(h);
    const ghost = uniqueEmail("ghost");
    const known = await start(h, email);
    const unknown = await start(h, ghost);
    // An account without a phone answers an SMS request like one with a phone.
    const noPhone = await start(h, email, "sms");
    for (const other of [unknown, noPhone]) {
      expect(other.started.status).toBe(known.started.status);
      expect(Object.keys(other.started.body).sort()).toEqual(
        Object.keys(known.started.body).sort(),
      );
      expect(other.started.body.expiresAt).toBe(known.started.body.expiresAt);
      expect(other.started.headers.getSetCookie().map((c) => c.split("=")[0])).toEqual(
        known.started.headers.getSetCookie().map((c) => c.split("=")[0]),
      );
    }
    // A wrong code for an account and any code for no account: the same refusal.
    const code = await codeTo(mailer, email);
    const wrong = code === "000000" ? "111111" : "000000";
    const refusals = await Promise.all([
      known.client.post("/code-signin-validate", { state: known.started.body.state, code: wrong }),
      unknown.client.post("/code-signin-validate", {
        state: unknown.started.body.state,
        code: wrong,
      }),
      noPhone.client.post("/code-signin-validate", {
        state: noPhone.started.body.state,
        code: wrong,
      }),
    ]);
    for (const refusal of refusals) {
      expect(refusal.status).toBe(400);
      expect(refusal.body).toEqual(refusals[0]!.body);
    }
    expect(errorCode(refusals[0]!)).toBe("CODE_SIGNIN_INVALID");
    expect(mailer.sent.filter((m) => m.to === ghost)).toEqual([]);
  });

  it("a code survives codeAttempts wrong tries, then is spent", async () => {
    const { email } = await newUser(h);
    const { client, started } = await start(h, email);
    const code = await codeTo(mailer, email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i += 1) {
      const tried = await client.post("/code-signin-validate", {
        state: started.body.state,
        code: wrong,
      });
      expect(errorCode(tried)).toBe("CODE_SIGNIN_INVALID");
    }
    const right = await client.post("/code-signin-validate", { state: started.body.state, code });
    expect(errorCode(right)).toBe("CODE_SIGNIN_INVALID");
  });

  it("is bound to the browser that asked for it", async () => {
    const { email } = await newUser(h);
    const { started } = await start(h, email);
    const code = await codeTo(mailer, email);
    const elsewhere = await h
      .client()
      .post("/code-signin-validate", { state: started.body.state, code });
    expect(errorCode(elsewhere)).toBe("STATE_INVALID");
  });

  it("a configured second factor still follows, never by the channel the code came by", async () => {
    const { email, userId, client: setupClient } = await newUser(h);
    // A confirmed address: an emailed code on an unconfirmed one removes what its holder
    // added (test/security/attacks-dec7.test.ts), the phone included.
    await h.store.users.confirmEmail(userId, email, h.clock.now());
    const phone = `+4477009${String(Math.floor(Math.random() * 1e5)).padStart(5, "0")}`;
    await enrolSms(setupClient, sms, phone);

    // SMS is the account's only second factor: a texted code cannot be both factors.
    const bySms = await start(h, email, "sms");
    const texted = await codeTo(sms, phone, 2);
    const refused = await bySms.client.post("/code-signin-validate", {
      state: bySms.started.body.state,
      code: texted,
    });
    expect(errorCode(refused)).toBe("CODE_SIGNIN_NOT_ALLOWED");

    // By email, the phone is the second factor.
    const byEmail = await start(h, email);
    const emailed = await codeTo(mailer, email);
    const pending = await byEmail.client.post<{ methods: string[]; state: string }>(
      "/code-signin-validate",
      { state: byEmail.started.body.state, code: emailed },
    );
    expect(pending.body).toMatchObject({ twoFactorRequired: true, methods: ["sms", "recovery"] });
    expect(byEmail.client.cookies.has("keyward_session")).toBe(false);
    await byEmail.client.post("/tf-select", { state: pending.body.state, method: "sms" });
    const done = await byEmail.client.post<SessionBody>("/tf-validate", {
      state: pending.body.state,
      method: "sms",
      code: await codeTo(sms, phone, 3),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session).toMatchObject({ aal: 2, amr: ["email", "sms"] });

    // With an authenticator app too, a texted code signs in and the app is the second step.
    const { secret } = await enrolTotp(h, byEmail.client);
    const bySmsAgain = await start(h, email, "sms");
    const textedAgain = await codeTo(sms, phone, 4);
    const owed = await bySmsAgain.client.post<{ methods: string[]; state: string }>(
      "/code-signin-validate",
      { state: bySmsAgain.started.body.state, code: textedAgain },
    );
    expect(owed.body).toMatchObject({ twoFactorRequired: true, methods: ["totp", "recovery"] });
    const sameChannel = await bySmsAgain.client.post("/tf-select", {
      state: owed.body.state,
      method: "sms",
    });
    expect(errorCode(sameChannel)).toBe("TWO_FACTOR_METHOD_NOT_AVAILABLE");
    const signedIn = await bySmsAgain.client.post<SessionBody>("/tf-validate", {
      state: owed.body.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.session).toMatchObject({ aal: 2, amr: ["sms", "otp"] });
  });

  it("a deactivated account gets no code, and a code sent before cannot sign in", async () => {
    const { email, userId } = await newUser(h);
    const sent = await start(h, email);
    const code = await codeTo(mailer, email);
    await h.store.users.setActive(userId, false);
    const late = await sent.client.post("/code-signin-validate", {
      state: sent.started.body.state,
      code,
    });
    expect(errorCode(late)).toBe("CODE_SIGNIN_INVALID");

    const before = mailer.sent.filter((m) => carriesCode(m, email)).length;
    const asked = await start(h, email);
    expect(asked.started.status).toBe(200);
    // A request started after it reaches the mailer after it: by then it would have sent.
    const { email: other } = await newUser(h);
    await start(h, other);
    await codeTo(mailer, other);
    expect(mailer.sent.filter((m) => carriesCode(m, email)).length).toBe(before);
  });

  it("refuses a channel signIn.codes does not name", async () => {
    const refused = await h.client().post("/code-signin", { identity: "a@b.c", channel: "fax" });
    expect(errorCode(refused)).toBe("INVALID_INPUT");
  });

  it("remember: false gives a browser session", async () => {
    const { email, userId } = await newUser(h);
    const short = await start(h, email);
    const done = await short.client.post<SessionBody>("/code-signin-validate", {
      state: short.started.body.state,
      code: await codeTo(mailer, email),
      remember: false,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const cookie = done.headers.getSetCookie().find((c) => c.startsWith("keyward_session="));
    expect(cookie).toBeDefined();
    expect(cookie).not.toMatch(/Max-Age/);
    const sessions = await h.store.sessions.listForUser(userId);
    const browserSession = sessions.find((s) => !s.persistent && s.amr.includes("email"));
    expect(browserSession!.expiresAt - browserSession!.createdAt).toBe(12 * 3_600_000);
  });
});

describe.each(targets)("code sign-in limits on $name", (target) => {
  const mailer = new TestMailer();
  const h = useHarness(target, {
    mailer,
    signIn: { codes: ["email"] },
    rateLimits: { codeSendsPerUser: 2, codeSendsPerIp: 1000, secondFactorPerUser: 3 },
  });

  it("counts sends per identity, known or not, refusing both alike", async () => {
    const { email } = await newUser(h);
    const ghost = uniqueEmail("ghost");
    const answers: Record<string, number[]> = { known: [], unknown: [] };
    for (let i = 0; i < 3; i += 1) {
      answers.known!.push((await start(h, email)).started.status);
      answers.unknown!.push((await start(h, ghost)).started.status);
    }
    expect(answers.known).toEqual([200, 200, 429]);
    expect(answers.unknown).toEqual(answers.known);
    const refused = await start(h, email.toUpperCase());
    expect(errorCode(refused.started as unknown as HttpResult<Json>)).toBe("RATE_LIMITED");
  });

  it("counts code attempts per identity before comparing", async () => {
    const { email } = await newUser(h);
    const first = await start(h, email);
    const code = await codeTo(mailer, email);
    const wrong = code === "000000" ? "111111" : "000000";
    const tries: (string | undefined)[] = [];
    for (let i = 0; i < 3; i += 1) {
      tries.push(
        errorCode(
          await first.client.post("/code-signin-validate", {
            state: first.started.body.state,
            code: wrong,
          }),
        ),
      );
    }
    expect(tries).toEqual(["CODE_SIGNIN_INVALID", "CODE_SIGNIN_INVALID", "CODE_SIGNIN_INVALID"]);
    // The limit holds even for the right code: it is refused before it is compared.
    const right = await first.client.post("/code-signin-validate", {
      state: first.started.body.state,
      code,
    });
    expect(errorCode(right)).toBe("RATE_LIMITED");
  });
});

describe.each(targets)("code sign-in switched off on $name", (target) => {
  const h = useHarness(target, {});
  it("refuses with CODE_SIGNIN_DISABLED by default", async () => {
    const client = h.client();
    const refused = await client.post("/code-signin", { identity: "a@b.c", channel: "email" });
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe("CODE_SIGNIN_DISABLED");
  });
});

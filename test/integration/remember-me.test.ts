import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { PASSWORD, registerKey, startKeySignin } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type HttpResult, useHarness } from "../helpers/harness.js";
import {
  enrolTotp,
  errorCode,
  eventTypes,
  newUser,
  passwordStep,
  totpAt,
} from "../helpers/two-factor.js";

const targets = await databaseTargets();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface SessionBody {
  user: { id: string };
  session: { aal: number; amr: string[]; expiresAt: string };
}

/** The Set-Cookie line that sets `name`. */
function setCookie(result: HttpResult<unknown>, name: string): string | undefined {
  return result.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

describe.each(targets)("remember me on $name", (target) => {
  const h = useHarness(target, {
    twoFactor: { rememberDevice: true },
    rateLimits: { secondFactorPerIp: 10_000 },
  });

  it("without `remember`, a sign-in gets the long session: a cookie with Max-Age, 30 days", async () => {
    const { email, userId } = await newUser(h);
    const client = h.client();
    const login = await client.post<SessionBody>("/login", { identity: email, password: PASSWORD });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    expect(setCookie(login, "keyward_session")).toMatch(/Max-Age=2592000(;|$)/);
    expect(Date.parse(login.body.session.expiresAt)).toBe(h.clock.now() + 30 * DAY);
    const stored = await h.store.sessions.listForUser(userId);
    expect(stored.some((s) => s.persistent && s.expiresAt === h.clock.now() + 30 * DAY)).toBe(true);
    // A long session survives an afternoon away.
    h.clock.advance(3 * HOUR);
    expect((await client.get("/me")).status).toBe(200);
  });

  it("remember: false gives a browser session: no Max-Age, 12 hours, 2 hours idle", async () => {
    const { email, userId } = await newUser(h);
    const client = h.client();
    const login = await client.post<SessionBody>("/login", {
      identity: email,
      password: PASSWORD,
      remember: false,
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const cookie = setCookie(login, "keyward_session");
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toMatch(/Max-Age/);
    expect(Date.parse(login.body.session.expiresAt)).toBe(h.clock.now() + 12 * HOUR);
    const [browserSession] = (await h.store.sessions.listForUser(userId)).filter(
      (s) => !s.persistent,
    );
    expect(browserSession!.expiresAt).toBe(h.clock.now() + 12 * HOUR);

    // Used within the idle bound it lives on; unused past it, it ends.
    h.clock.advance(HOUR);
    expect((await client.get("/me")).status).toBe(200);
    h.clock.advance(2 * HOUR + 1000);
    const idle = await client.get("/me");
    expect(errorCode(idle as HttpResult<Record<string, unknown>>)).toBe("UNAUTHENTICATED");
  });

  it("a browser session ends at its absolute lifetime however active", async () => {
    const { email } = await newUser(h);
    const client = h.client();
    const login = await client.post("/login", {
      identity: email,
      password: PASSWORD,
      remember: false,
    });
    expect(login.status).toBe(200);
    for (let hours = 0; hours < 11; hours += 1) {
      h.clock.advance(HOUR);
      expect((await client.get("/me")).status).toBe(200);
    }
    h.clock.advance(HOUR);
    expect((await client.get("/me")).status).toBe(401);
  });

  it("the choice made with the password holds through the second factor", async () => {
    const { email, userId, client: setupClient } = await newUser(h);
    const { secret } = await enrolTotp(h, setupClient);
    const client = h.client();
    const login = await client.post<{ state: string }>("/login", {
      identity: email,
      password: PASSWORD,
      remember: false,
    });
    expect(login.body).toMatchObject({ twoFactorRequired: true });
    const done = await client.post<SessionBody>("/tf-validate", {
      state: login.body.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session.aal).toBe(2);
    expect(setCookie(done, "keyward_session")).not.toMatch(/Max-Age/);
    const sessions = await h.store.sessions.listForUser(userId);
    expect(sessions.filter((s) => s.aal === 2 && !s.persistent)).toHaveLength(1);
  });

  it("offers remember-this-device after a key as the second factor", async () => {
    const { email, userId, client: setupClient } = await newUser(h);
    const key = new SoftwareAuthenticator({ origin: h.origin });
    const added = await registerKey(setupClient, key, { name: "2fa key", usage: "secondary" });
    expect(added.status, JSON.stringify(added.body)).toBe(201);

    const { client, pending } = await passwordStep(h, email);
    expect(pending.methods).toContain("webauthn");
    const signin = await startKeySignin(client, { secondFactorState: pending.state });
    const credential = await key.authenticate(signin.options);
    const done = await client.post<SessionBody>("/wan-signin-response", {
      state: signin.state,
      credential,
      secondFactorState: pending.state,
      rememberDevice: true,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.session.aal).toBe(2);
    expect(setCookie(done, "keyward_tf_device")).toMatch(/Max-Age=2592000(;|$)/);
    expect(await eventTypes(h, userId)).toContain("two-factor.device-remembered");

    // The next sign-in on this browser skips the second factor.
    const again = await client.post<{ state: string }>("/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(again.body).toMatchObject({ twoFactorRequired: true });
    const remembered = await client.post<SessionBody>("/tf-remembered", {
      state: again.body.state,
    });
    expect(remembered.status, JSON.stringify(remembered.body)).toBe(200);
    expect(remembered.body.session).toMatchObject({ aal: 2, amr: ["pwd", "remembered"] });

    // Another browser is not remembered, and without asking none is.
    const other = await passwordStep(h, email);
    const refused = await other.client.post("/tf-remembered", { state: other.pending.state });
    expect(errorCode(refused)).toBe("TWO_FACTOR_DEVICE_NOT_REMEMBERED");
    const withoutAsking = await startKeySignin(other.client, {
      secondFactorState: other.pending.state,
    });
    const plain = await other.client.post("/wan-signin-response", {
      state: withoutAsking.state,
      credential: await key.authenticate(withoutAsking.options),
      secondFactorState: other.pending.state,
    });
    expect(plain.status).toBe(200);
    expect(setCookie(plain, "keyward_tf_device")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused, startedSession } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  startKeySignin,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { type DatabaseTarget, databaseTargets } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import { type HttpResult, type TestClient, useHarness } from "../helpers/harness.js";
import { sharedRedis } from "../helpers/redis.js";
import { endSessions } from "../helpers/two-factor.js";

// Design invariant 10: a limit is enforced before the work it limits. Every password check and
// every key signature check reserves its attempt atomically first, so N parallel guesses are
// checked at most `limit` times, on every store that can hold the counters.

const PER_ACCOUNT = 10;
const PER_IP = 20;
const WINDOW = 15 * 60_000;
const PARALLEL = 30;

interface Target {
  name: string;
  database: DatabaseTarget;
  redis: boolean;
}

const databases = await databaseTargets();
const redisReachable = (await sharedRedis()) !== undefined;
const postgres = databases.find((d) => d.name === "postgres");
const targets: Target[] = [
  ...databases.map((database) => ({ name: database.name, database, redis: false })),
  ...(postgres && redisReachable
    ? [{ name: "postgres+redis", database: postgres, redis: true }]
    : []),
];

let ipCounter = 0;
/** A client address of its own for each test (trustProxy is on), so per-IP counters never meet. */
function freshIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

const from = (ip: string) => ({ "x-forwarded-for": ip });

const codesOf = (results: HttpResult[]) =>
  results.map((r) => (r.body as { error?: { code?: string } }).error?.code ?? String(r.status));

const countOf = (codes: string[], code: string) => codes.filter((c) => c === code).length;

describe.each(targets)("attempt limits on $name", (target) => {
  const h = useHarness(target.database, async () => {
    // A Redis key prefix of this harness's own: IP counters of other runs never meet these.
    const redis = target.redis ? await sharedRedis() : undefined;
    return {
      trustProxy: true,
      ...(redis ? { redis } : {}),
      rateLimits: {
        signinFailuresPerAccount: PER_ACCOUNT,
        signinFailuresPerIp: PER_IP,
        window: "15m",
      },
    };
  });

  /** A password account (with a username), signed in on the returned client. */
  async function account(ip = freshIp()) {
    const client = h.client();
    const email = uniqueEmail("target");
    const username = `u${Math.random().toString(36).slice(2, 12)}`;
    const created = await client.post(
      "/register",
      { email, username, password: PASSWORD },
      from(ip),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const me = await client.get<{ user: { id: string } }>("/me");
    return { client, email, username, userId: me.body.user.id };
  }

  /**
   * How many `type` events the user has, leaving out what no password check made: sign-up's
   * own session (`user.login` "sign-up") and refusals before the check ("rate-limited").
   */
  async function eventsOf(userId: string, type: string) {
    const events = await h.store.events.list({ userId, type, limit: 1000 });
    return events.filter((e) => e.detail.method !== "sign-up" && e.detail.reason !== "rate-limited")
      .length;
  }

  async function rateLimitedRefusals(userId: string) {
    const events = await h.store.events.list({ userId, type: "user.login-failed" });
    return events.filter((e) => e.detail.reason === "rate-limited").length;
  }

  function login(identity: string, password: string, ip: string, client: TestClient = h.client()) {
    return client.post("/login", { identity, password }, from(ip));
  }

  it("checks at most the per-account limit of parallel wrong passwords, and the right one among them is refused past it", async () => {
    const { email, userId } = await account();
    const ip = freshIp();
    // 29 wrong guesses and the right password last, all at once.
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        login(email, i === PARALLEL - 1 ? PASSWORD : `wrong guess ${i}`, ip),
      ),
    );
    const codes = codesOf(results);
    // Only failures keep their reservation: at most the limit of wrong passwords is checked.
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBeLessThanOrEqual(PER_ACCOUNT);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBeGreaterThanOrEqual(
      PARALLEL - PER_ACCOUNT - 1,
    );
    expect(await eventsOf(userId, "user.login-failed")).toBeLessThanOrEqual(PER_ACCOUNT);
    // The right password either landed within the limit (a session) or was refused unchecked.
    const right = results[PARALLEL - 1]!;
    if (right.status === 200) expect(startedSession(right)).toBe(true);
    else expectRefused(right, "RATE_LIMITED");
    // Now the budget is spent: the right password is refused too, and no session starts.
    const after = await login(email, PASSWORD, freshIp());
    expectRefused(after, "RATE_LIMITED");
    expect(startedSession(after)).toBe(false);
  });

  it("checks exactly the limit of parallel wrong passwords and refuses the rest before hashing", async () => {
    const { email, userId } = await account();
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => login(email, `wrong guess ${i}`, ip)),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBe(PER_ACCOUNT);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_ACCOUNT);
    expect(await eventsOf(userId, "user.login-failed")).toBe(PER_ACCOUNT);
    // Refusals before the check are recorded too, one each (issue #18: every refusal).
    expect(await rateLimitedRefusals(userId)).toBe(PARALLEL - PER_ACCOUNT);
    // One audit event per counter for its first refusal in the window, not one per refusal:
    // the account's (past 10) and this address's (past 20).
    const refusals = await h.store.events.list({ userId, type: "account.rate-limited" });
    expect(refusals.map((e) => e.detail.scope).sort()).toEqual(["account", "ip"]);
    expect(refusals.every((e) => e.detail.action === "signin")).toBe(true);
    for (const refused of results.filter((r) => r.status === 429)) {
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("checks at most the per-IP limit of parallel wrong passwords from one client", async () => {
    const ip = freshIp();
    // Different identities (unknown ones: the per-account limit never binds), one address.
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, () => login(uniqueEmail("spray"), "wrong password", ip)),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBe(PER_IP);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_IP);
    // A real account from that address is refused before its password is checked.
    const { email, userId } = await account();
    expectRefused(await login(email, PASSWORD, ip), "RATE_LIMITED");
    expect(await eventsOf(userId, "user.login")).toBe(0);
  });

  it("limits parallel wrong passwords posted from the HTML sign-in form alike", async () => {
    const { email, userId } = await account();
    const ip = freshIp();
    const browser = new FormBrowser(h);
    const page = await browser.get(`${h.auth.config.prefix}/login`);
    const csrfToken = /name="csrfToken" value="([^"]+)"/.exec(page.text)?.[1] ?? "";
    expect(csrfToken).not.toBe("");
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        browser.request("POST", `${h.auth.config.prefix}/login`, {
          body: new URLSearchParams({
            csrfToken,
            identity: email,
            password: `wrong ${i}`,
          }).toString(),
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            accept: "text/html",
            ...from(ip),
          },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 401),
      statuses.join(),
    ).toHaveLength(PER_ACCOUNT);
    expect(
      statuses.filter((s) => s === 429),
      statuses.join(),
    ).toHaveLength(PARALLEL - PER_ACCOUNT);
    expect(await eventsOf(userId, "user.login-failed")).toBe(PER_ACCOUNT);
  });

  it("counts wrong passwords by email and by username against one budget", async () => {
    const { email, username, userId } = await account();
    for (let i = 0; i < PER_ACCOUNT / 2; i += 1) {
      expectRefused(await login(email, `wrong ${i}`, freshIp()), "INVALID_CREDENTIALS");
    }
    for (let i = 0; i < PER_ACCOUNT / 2; i += 1) {
      expectRefused(await login(username, `wrong ${i}`, freshIp()), "INVALID_CREDENTIALS");
    }
    expectRefused(await login(username.toUpperCase(), "wrong again", freshIp()), "RATE_LIMITED");
    expectRefused(await login(email, PASSWORD, freshIp()), "RATE_LIMITED");
    expectRefused(await login(username, PASSWORD, freshIp()), "RATE_LIMITED");
    expect(await eventsOf(userId, "user.login-failed")).toBe(PER_ACCOUNT);
    expect(await eventsOf(userId, "user.login")).toBe(0);
  });

  it("locks an unknown identity after the same number of wrong passwords, with the same answers", async () => {
    const { email } = await account();
    const ghost = uniqueEmail("ghost");
    const knownCodes: string[] = [];
    const ghostCodes: string[] = [];
    for (let i = 0; i <= PER_ACCOUNT; i += 1) {
      const known = await login(email, "wrong password", freshIp());
      const unknown = await login(ghost, "wrong password", freshIp());
      expect(known.status).toBe(unknown.status);
      expect(known.body).toEqual(unknown.body);
      knownCodes.push(...codesOf([known]));
      ghostCodes.push(...codesOf([unknown]));
    }
    expect(knownCodes.at(-1)).toBe("RATE_LIMITED");
    expect(ghostCodes).toEqual(knownCodes);
  });

  it("refunds a right password, so successes never lock anyone out", async () => {
    const { email, userId } = await account();
    const ip = freshIp();
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < PER_ACCOUNT - 1; i += 1) {
        expect((await login(email, PASSWORD, ip)).status).toBe(200);
      }
    }
    for (let i = 0; i < PER_ACCOUNT; i += 1) {
      expectRefused(await login(email, "wrong password", ip), "INVALID_CREDENTIALS");
    }
    expectRefused(await login(email, PASSWORD, ip), "RATE_LIMITED");
    expect(await eventsOf(userId, "user.login")).toBe(3 * (PER_ACCOUNT - 1));
  });

  it("answers a disabled account alike for the right and a wrong password, and counts both", async () => {
    const { client, email, userId } = await account();
    await client.post("/logout");
    await h.store.users.setActive(userId, false);
    const right = await login(email, PASSWORD, freshIp());
    const wrong = await login(email, "wrong password", freshIp());
    expectRefused(right, "INVALID_CREDENTIALS");
    expect(right.status).toBe(wrong.status);
    expect(right.body).toEqual(wrong.body);
    expect(startedSession(right)).toBe(false);
    for (let i = 2; i < PER_ACCOUNT; i += 1) {
      expectRefused(await login(email, PASSWORD, freshIp()), "INVALID_CREDENTIALS");
    }
    expectRefused(await login(email, PASSWORD, freshIp()), "RATE_LIMITED");
    // The audit trail knows why; the client does not.
    const failed = await h.store.events.list({ userId, type: "user.login-failed" });
    expect(failed.filter((e) => e.detail.reason === "account-inactive")).toHaveLength(
      PER_ACCOUNT - 1,
    );
    expect(failed.filter((e) => e.detail.reason === "rate-limited")).toHaveLength(1);
    expect(failed).toHaveLength(PER_ACCOUNT + 1);
    expect(await endSessions(h, userId)).toBe(0);
  });

  it("limits parallel wrong passwords at /verify with a session cookie", async () => {
    const { client, userId } = await account();
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        client.post("/verify", { password: `wrong guess ${i}` }, from(ip)),
      ),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBe(PER_ACCOUNT);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_ACCOUNT);
    // The right password is not checked either until the window ends.
    expectRefused(await client.post("/verify", { password: PASSWORD }, from(ip)), "RATE_LIMITED");
    expect(await eventsOf(userId, "session.verified")).toBe(0);
  });

  it("limits parallel wrong current passwords at /change-password, and the password stays", async () => {
    const { client, email, userId } = await account();
    const before = (await h.store.users.byId(userId))!.passwordHash;
    const ip = freshIp();
    const results = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        client.post(
          "/change-password",
          { currentPassword: `wrong guess ${i}`, newPassword: "attacker password 1" },
          from(ip),
        ),
      ),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBe(PER_ACCOUNT);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_ACCOUNT);
    expectRefused(
      await client.post(
        "/change-password",
        { currentPassword: PASSWORD, newPassword: "attacker password 1" },
        from(ip),
      ),
      "RATE_LIMITED",
    );
    expect((await h.store.users.byId(userId))!.passwordHash).toBe(before);
    expect(await eventsOf(userId, "account.password-changed")).toBe(0);
    // The budget is the account's, whichever door the guesses came through.
    expectRefused(await login(email, PASSWORD, freshIp()), "RATE_LIMITED");
  });

  it("counts password checks while signed in per client IP too", async () => {
    const ip = freshIp();
    const users = await Promise.all(Array.from({ length: 3 }, () => account()));
    // 3 accounts × 10 wrong /verify from one address: the IP's 20 are reached first.
    const results = await Promise.all(
      users.flatMap(({ client }) =>
        Array.from({ length: PER_ACCOUNT }, (_, i) =>
          client.post("/verify", { password: `wrong ${i}` }, from(ip)),
        ),
      ),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "INVALID_CREDENTIALS"), codes.join()).toBe(PER_IP);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_IP);
  });

  it("checks at most the per-IP limit of parallel forged key sign-ins", async () => {
    const { client } = await account();
    const key = new SoftwareAuthenticator({ origin: h.origin });
    expect((await registerKey(client, key, { name: "k", usage: "first" })).status).toBe(201);
    const ip = freshIp();
    const visitor = h.client();
    const forged = await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        const { options, state } = await startKeySignin(visitor);
        return { state, credential: await key.authenticate(options, { tamperSignature: true }) };
      }),
    );
    const results = await Promise.all(
      forged.map((body) => visitor.post("/wan-signin-response", body, from(ip))),
    );
    const codes = codesOf(results);
    expect(countOf(codes, "WEBAUTHN_VERIFICATION_FAILED"), codes.join()).toBe(PER_IP);
    expect(countOf(codes, "RATE_LIMITED"), codes.join()).toBe(PARALLEL - PER_IP);
    // The genuine key from that address waits for the window too; elsewhere it signs in.
    const { options, state } = await startKeySignin(visitor);
    const genuine = await key.authenticate(options);
    expectRefused(
      await visitor.post("/wan-signin-response", { state, credential: genuine }, from(ip)),
      "RATE_LIMITED",
    );
    expect((await signInWithKey(h.client(), key)).status).toBe(200);
  });

  it("lets the right password in again once the window ends", async () => {
    const { email } = await account();
    for (let i = 0; i < PER_ACCOUNT; i += 1) await login(email, "wrong password", freshIp());
    expectRefused(await login(email, PASSWORD, freshIp()), "RATE_LIMITED");
    h.clock.advance(WINDOW);
    expect((await login(email, PASSWORD, freshIp())).status).toBe(200);
  });
  it("refunds a reservation only in its own window and never below zero", async () => {
    const limiter = h.store.rateLimits;
    const key = `test:${uniqueEmail("refund")}`;
    const first = await limiter.hit(key, WINDOW);
    expect(first.count).toBe(1);
    await limiter.refund(key, first.resetAt);
    await limiter.refund(key, first.resetAt);
    expect((await limiter.peek(key, WINDOW)).count).toBe(0);
    expect((await limiter.hit(key, WINDOW)).count).toBe(1);
    // A refund that arrives after the window rolled over leaves the next window's count alone.
    h.clock.advance(WINDOW);
    const next = await limiter.hit(key, WINDOW);
    expect(next).toEqual({ count: 1, resetAt: first.resetAt + WINDOW });
    await limiter.refund(key, first.resetAt);
    expect((await limiter.peek(key, WINDOW)).count).toBe(1);
  });
});

import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ConfigError, createKeyward, loadConfig } from "../../src/index.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import { PASSWORD, registerKey, signUp, uniqueEmail } from "../helpers/ceremonies.js";
import { databaseTargets, sqlite } from "../helpers/databases.js";
import { FormBrowser } from "../helpers/form-browser.js";
import {
  type HttpResult,
  startHarness,
  TEST_SECRET,
  TestClient,
  useHarness,
} from "../helpers/harness.js";
import { enrolTotp, newUser, passwordStep, totpAt } from "../helpers/two-factor.js";

const targets = await databaseTargets();

const HTTPS_RP = { id: "example.com", name: "Example", origins: ["https://app.example.com"] };

/** The Set-Cookie line that sets `name` (not one that deletes it). */
function setCookie(headers: Headers, name: string): string | undefined {
  return headers
    .getSetCookie()
    .find((line) => line.startsWith(`${name}=`) && !/Max-Age=0(;|$)/.test(line));
}

/** What a `__Host-` cookie must carry for a browser to keep it (RFC 6265bis §4.1.3.2). */
function expectHostCookie(line: string | undefined): void {
  expect(line, "no such cookie was set").toBeDefined();
  expect(line).toMatch(/; Secure(;|$)/);
  expect(line).toMatch(/; Path=\/(;|$)/);
  expect(line).not.toMatch(/; Domain=/i);
  expect(line).toMatch(/; HttpOnly(;|$)/);
  expect(line).toMatch(/; SameSite=Lax(;|$)/);
}

function jsonRequest(url: string, body: unknown, cookie?: string): Request {
  return new Request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

describe.each(targets)("cookies with https origins on $name", (target) => {
  const h = useHarness(target, {
    rp: HTTPS_RP,
    twoFactor: { rememberDevice: true },
  });

  it("sets a Secure __Host- session cookie even when the request arrives as http://localhost", async () => {
    // What a proxy forwarding the wrong Host (or none) hands to the app.
    const email = uniqueEmail();
    const response = await h.auth.fetch(
      jsonRequest("http://localhost:3000/auth/register", { email, password: PASSWORD }),
    );
    expect(response.status).toBe(201);
    const line = setCookie(response.headers, "__Host-keyward_session");
    expectHostCookie(line);
    // No cookie under the bare name that a sibling subdomain could shadow.
    expect(setCookie(response.headers, "keyward_session")).toBeUndefined();

    const token = /^__Host-keyward_session=([^;]+)/.exec(line!)![1]!;
    const me = await h.auth.fetch(
      new Request("http://localhost:3000/auth/me", {
        headers: { cookie: `__Host-keyward_session=${token}` },
      }),
    );
    expect(me.status).toBe(200);
    const { user } = (await me.json()) as { user: { id: string } };
    expect(await h.store.sessions.listForUser(user.id)).toHaveLength(1);
    expect(
      await h.auth.api.getSession(new Headers({ cookie: `__Host-keyward_session=${token}` })),
    ).toBeDefined();
  });

  it("sets the CSRF cookie Secure and __Host- named, from the JSON route and from a page", async () => {
    const json = await h.auth.fetch(new Request("http://localhost:3000/auth/csrf"));
    expect(json.status).toBe(200);
    expectHostCookie(setCookie(json.headers, "__Host-keyward_csrf"));
    expect(setCookie(json.headers, "keyward_csrf")).toBeUndefined();

    const page = await h.auth.fetch(
      new Request("http://localhost:3000/auth/login", { headers: { accept: "text/html" } }),
    );
    expect(page.status).toBe(200);
    expectHostCookie(setCookie(page.headers, "__Host-keyward_csrf"));
  });

  it("sets the pending second-factor and remember-device cookies Secure and __Host- named", async () => {
    const { client: first, email, userId } = await newUser(h);
    const { secret } = await enrolTotp(h, first);
    await first.post("/logout");

    // A form sign-in carries its pending state in a cookie; served over http to 127.0.0.1.
    const browser = new FormBrowser(h);
    const login = await browser.submit("/auth/login", "/auth/login", {
      identity: email,
      password: PASSWORD,
    });
    expect(login.status, login.text.slice(0, 200)).toBe(303);
    expectHostCookie(setCookie(login.headers, "__Host-keyward_tf"));
    expect(setCookie(login.headers, "keyward_tf")).toBeUndefined();
    expect(browser.cookies.has("__Host-keyward_csrf")).toBe(true);

    const { client, pending } = await passwordStep(h, email);
    const done = await client.post("/tf-validate", {
      state: pending.state,
      method: "totp",
      code: await totpAt(secret, h.clock.now()),
      rememberDevice: true,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expectHostCookie(setCookie(done.headers, "__Host-keyward_tf_device"));
    expectHostCookie(setCookie(done.headers, "__Host-keyward_session"));
    expect(await h.store.sessions.listForUser(userId)).toHaveLength(1);
    h.clock.advance(30_000);
  });

  it("ignores a session cookie under the bare name, which a sibling subdomain could have set", async () => {
    const mallory = h.client();
    await signUp(mallory);
    const malloryToken = mallory.cookies.get("__Host-keyward_session")!;
    expect(malloryToken).toBeDefined();
    const tossed = new TestClient(h.baseUrl);
    tossed.cookies.set("keyward_session", malloryToken);
    expectRefused(await tossed.get("/me"), "UNAUTHENTICATED");
  });
});

describe.each(targets)("related origins on $name", (target) => {
  it("serves rp.relatedOrigins at /.well-known/webauthn and accepts a key registered from one", async () => {
    const h = await startHarness(target, {
      rp: { ...HTTPS_RP, relatedOrigins: ["https://example.co.uk"] },
    });
    try {
      const wellKnown = await h.auth.fetch(new Request("https://example.com/.well-known/webauthn"));
      expect(await wellKnown.json()).toEqual({
        origins: ["https://app.example.com", "https://example.co.uk"],
      });
      const { client, userId } = await newUser(h);
      const key = new SoftwareAuthenticator({ origin: "https://example.co.uk" });
      const done = await registerKey(client, key, { name: "related", usage: "first" });
      expect(done.status, JSON.stringify(done.body)).toBe(201);
      expect(await h.store.credentials.listForUser(userId)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe.each(targets)("duplicate cookies on $name", (target) => {
  const h = useHarness(target);

  async function sessionOf(): Promise<{ token: string; userId: string }> {
    const client = h.client();
    await signUp(client);
    const me = await client.get<{ user: { id: string } }>("/me");
    return { token: client.cookies.get("keyward_session")!, userId: me.body.user.id };
  }

  function meWith(cookie: string): Promise<HttpResult> {
    const client = new TestClient(h.baseUrl);
    return client.get("/me", { cookie });
  }

  it("treats two different session cookies as no session, whichever comes first", async () => {
    const victim = await sessionOf();
    const attacker = await sessionOf();
    for (const cookie of [
      `keyward_session=${attacker.token}; keyward_session=${victim.token}`,
      `keyward_session=${victim.token}; keyward_session=${attacker.token}`,
    ]) {
      expectRefused(await meWith(cookie), "UNAUTHENTICATED");
      expect(await h.auth.api.getSession(new Headers({ cookie }))).toBeUndefined();
    }
    // Neither session was touched: each alone still works.
    expect((await meWith(`keyward_session=${victim.token}`)).status).toBe(200);
    expect((await meWith(`keyward_session=${attacker.token}`)).status).toBe(200);
    expect(await h.store.sessions.listForUser(victim.userId)).toHaveLength(1);
    expect(await h.store.sessions.listForUser(attacker.userId)).toHaveLength(1);
  });

  it("does not sign a request out by a second session cookie: logout with two refuses and revokes neither", async () => {
    const victim = await sessionOf();
    const attacker = await sessionOf();
    const response = await new TestClient(h.baseUrl).post(
      "/logout",
      {},
      { cookie: `keyward_session=${attacker.token}; keyward_session=${victim.token}` },
    );
    expect(response.status).toBeLessThan(500);
    expect(await h.store.sessions.listForUser(victim.userId)).toHaveLength(1);
    expect(await h.store.sessions.listForUser(attacker.userId)).toHaveLength(1);
  });

  it("accepts the same session cookie sent twice (one value, no ambiguity)", async () => {
    const { token } = await sessionOf();
    expect((await meWith(`keyward_session=${token}; keyward_session=${token}`)).status).toBe(200);
  });

  it("refuses a form post whose two CSRF cookies differ, even with a token valid for one", async () => {
    const client = h.client();
    const first = await client.get<{ csrfToken: string }>("/csrf");
    const cookieA = client.cookies.get("keyward_csrf")!;
    const other = h.client();
    await other.get("/csrf");
    const cookieB = other.cookies.get("keyward_csrf")!;
    const form = new URLSearchParams({
      identity: "nobody@example.com",
      password: "x",
      csrfToken: first.body.csrfToken,
    }).toString();
    for (const cookie of [
      `keyward_csrf=${cookieA}; keyward_csrf=${cookieB}`,
      `keyward_csrf=${cookieB}; keyward_csrf=${cookieA}`,
    ]) {
      const refused = await new TestClient(h.baseUrl).request("POST", "/login", form, {
        "content-type": "application/x-www-form-urlencoded",
        cookie,
      });
      expectRefused(refused, "CSRF_FAILED");
    }
  });
});

/** A valid production configuration; each test changes one thing. */
const production = {
  rp: { id: "example.com", name: "Example", origins: ["https://example.com"] },
  secret: randomBytes(32).toString("base64url"),
};

function accepted(input: Record<string, unknown>) {
  return loadConfig(input as Parameters<typeof loadConfig>[0], {});
}

function refusal(input: Record<string, unknown>, env: Record<string, string> = {}) {
  try {
    loadConfig(input as Parameters<typeof loadConfig>[0], env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error("the configuration was accepted");
}

describe("dangerous configuration is refused at start", () => {
  it('refuses secureCookie "never" with https origins, in code and from the environment', () => {
    const issues = refusal({ ...production, session: { secureCookie: "never" } });
    expect(issues).toEqual([
      expect.objectContaining({
        key: "session.secureCookie",
        reason: expect.stringMatching(/auto/),
      }),
    ]);
    expect(refusal(production, { KEYWARD_SESSION_SECURE_COOKIE: "never" })[0]?.key).toBe(
      "session.secureCookie",
    );
  });

  it("refuses an RP ID that is a public suffix, ICANN or private", () => {
    for (const [id, origin] of [
      ["com", "https://example.com"],
      ["co.uk", "https://example.co.uk"],
      ["github.io", "https://someone.github.io"],
    ]) {
      const issues = refusal({ ...production, rp: { ...production.rp, id, origins: [origin] } });
      expect(issues.map((i) => i.key)).toContain("rp.id");
      expect(issues.find((i) => i.key === "rp.id")?.reason).toMatch(/public suffix/);
    }
  });

  it("refuses an RP ID that is not the origin's host or a registrable suffix of it", () => {
    for (const [id, origin] of [
      ["example.com", "https://example.org"],
      ["login.example.com", "https://example.com"],
      ["example.com", "https://notexample.com"],
    ]) {
      const issues = refusal({ ...production, rp: { ...production.rp, id, origins: [origin] } });
      expect(issues).toEqual([
        expect.objectContaining({
          key: "rp.origins.0",
          reason: expect.stringMatching(/rp\.relatedOrigins/),
        }),
      ]);
    }
    // The second origin is the bad one, and the key says so.
    const issues = refusal({
      ...production,
      rp: { ...production.rp, origins: ["https://example.com", "https://example.net"] },
    });
    expect(issues.map((i) => i.key)).toEqual(["rp.origins.1"]);
  });

  it("accepts subdomain origins, app origins, and other domains declared as related origins", () => {
    const config = accepted({
      ...production,
      rp: {
        id: "example.com",
        name: "Example",
        origins: [
          "https://example.com",
          "https://login.example.com:8443",
          "android:apk-key-hash:gx7sq_pxhxhrIQdLyfG0pxKwiJ7hOk2DJQ4xvKd438Q",
        ],
        relatedOrigins: ["https://example.co.uk"],
      },
    });
    expect((config.rp as { relatedOrigins?: string[] }).relatedOrigins).toEqual([
      "https://example.co.uk",
    ]);
  });

  it("refuses an http lifecycle.baseUrl outside localhost, and accepts one on localhost", () => {
    const issues = refusal({ ...production, lifecycle: { baseUrl: "http://example.com/auth" } });
    expect(issues).toEqual([
      expect.objectContaining({ key: "lifecycle.baseUrl", reason: expect.stringMatching(/https/) }),
    ]);
    expect(
      loadConfig(
        {
          rp: { id: "localhost", name: "Dev", origins: ["http://localhost:3000"] },
          secret: TEST_SECRET,
          lifecycle: { baseUrl: "http://localhost:3000/auth" },
        },
        {},
      ).lifecycle.baseUrl,
    ).toBe("http://localhost:3000/auth");
  });

  it("refuses obviously weak secrets", () => {
    for (const secret of [
      "s".repeat(32),
      "ab".repeat(20),
      "changeme-".repeat(4),
      `${"password".repeat(4)}1`,
      `${"a".repeat(31)}b`,
      `${"0".repeat(31)}1abcd`,
    ]) {
      const issues = refusal({ ...production, secret });
      expect(
        issues.map((i) => i.key),
        secret,
      ).toEqual(["secret"]);
      expect(issues[0]?.reason).toMatch(/random/);
    }
  });

  it("accepts random secrets and the ones the tests, examples and bench use", () => {
    for (const secret of [
      TEST_SECRET,
      "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
      "example-only-secret-never-use-in-production",
      "keyward-cli-placeholder-secret-not-used-for-anything",
      randomBytes(32).toString("base64"),
      randomBytes(32).toString("base64url"),
      randomBytes(32).toString("hex"),
      randomBytes(16).toString("hex"),
    ]) {
      expect(loadConfig({ ...production, secret }, {}).secret).toBe(secret);
    }
  });

  it("reports every dangerous setting at once, and createKeyward does not start", async () => {
    const input = {
      rp: { id: "com", name: "Example", origins: ["https://example.com"] },
      secret: "x".repeat(40),
      database: sqlite.url(),
      session: { secureCookie: "never" as const },
      lifecycle: { baseUrl: "http://example.com/auth" },
      env: {},
    };
    await expect(createKeyward(input)).rejects.toThrow(ConfigError);
    // The configuration values alone (env is a constructor parameter, not an option).
    const { env: _env, ...values } = input;
    const keys = refusal(values).map((i) => i.key);
    expect(keys).toEqual(
      expect.arrayContaining(["rp.id", "secret", "session.secureCookie", "lifecycle.baseUrl"]),
    );
  });

  it("starts a http://localhost development configuration, with plain cookie names", async () => {
    const dev = loadConfig(
      {
        rp: { id: "localhost", name: "Dev", origins: ["http://localhost:3000"] },
        secret: TEST_SECRET,
        session: { secureCookie: "never" },
      },
      {},
    );
    expect(dev.session.secureCookie).toBe("never");
    const h = await startHarness(sqlite);
    try {
      const client = h.client();
      const signup = await client.post("/register", {
        email: uniqueEmail(),
        password: PASSWORD,
      });
      expect(signup.status).toBe(201);
      const line = setCookie(signup.headers, "keyward_session");
      expect(line).toBeDefined();
      expect(line).not.toMatch(/Secure/);
      expect(client.cookies.has("__Host-keyward_session")).toBe(false);
    } finally {
      await h.close();
    }
  });
});

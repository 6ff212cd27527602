import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../src/core/ids.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signInWithKey } from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { type Harness, type HttpResult, type TestClient, useHarness } from "../helpers/harness.js";
import { enrolTotp, errorCode, newUser, signInWithTotp } from "../helpers/two-factor.js";

const targets = await databaseTargets();

const MINUTE = 60_000;

type Json = Record<string, unknown>;
type Me = { session: { aal: number; fresh: boolean } };

/**
 * SP 800-63B-4 reauthentication bounds: an AAL2 session is AAL2 for at most `aal2MaxAge`
 * (24 h) since AAL2 was last proved, and not after `aal2IdleTimeout` (1 h) without activity.
 * Then it is an AAL1 session: `/me` says so, and a route that requires AAL2 answers
 * REAUTHENTICATION_REQUIRED until the user proves AAL2 again.
 */

/** An app route guarded by `auth.require({ aal: 2 })`, served on its own port. */
async function guardedApp(h: Harness): Promise<{ server: Server; url: string }> {
  const app = new Hono();
  app.get("/aal2", h.auth.require({ aal: 2 }), (c) => c.text("ok"));
  const server = createServer(async (req, res) => {
    const response = await app.fetch(
      new Request(`http://x${req.url}`, { headers: req.headers as HeadersInit }),
    );
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/aal2` };
}

/** A user signed in with a `first` key and UV: an AAL2 session. */
async function passkeySession(h: Harness) {
  const user = await newUser(h);
  const passkey = new SoftwareAuthenticator({ origin: h.origin });
  const registered = await registerKey(user.client, passkey, { name: "laptop", usage: "first" });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const signin = await signInWithKey(user.client, passkey);
  expect(signin.status, JSON.stringify(signin.body)).toBe(200);
  expect((await me(user.client)).session.aal).toBe(2);
  return { ...user, passkey };
}

async function me(client: TestClient): Promise<Me> {
  const result = await client.get<Me>("/me");
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.body;
}

function sessionToken(client: TestClient): string {
  const token = client.cookies.get("keyward_session");
  if (!token) throw new Error("no session cookie");
  return token;
}

async function storedSession(h: Harness, client: TestClient) {
  return h.store.sessions.byIdHash(hashToken(sessionToken(client)));
}

async function guarded(url: string, client: TestClient): Promise<HttpResult<Json>> {
  const response = await fetch(url, {
    headers: { cookie: `keyward_session=${sessionToken(client)}`, accept: "application/json" },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // the guarded route answers text
  }
  return { status: response.status, body: body as Json, headers: response.headers };
}

function expectReauthentication(result: HttpResult<Json>) {
  expect(result.status, JSON.stringify(result.body)).toBe(403);
  expect(errorCode(result)).toBe("REAUTHENTICATION_REQUIRED");
  expect((result.body as { error: { details?: Json } }).error.details).toEqual({
    required: 2,
    current: 1,
    reason: "aal-expired",
  });
}

/** Re-verifies with the passkey through /wan-verify (UV on unless `uv: false`). */
async function verifyWithKey(
  client: TestClient,
  passkey: SoftwareAuthenticator,
  uv = true,
): Promise<HttpResult<Json>> {
  const start = await client.post<{ options: never; state: string }>("/wan-verify", {});
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  const credential = await passkey.authenticate(start.body.options, { flags: { uv } });
  return client.post("/wan-verify-response", { state: start.body.state, credential });
}

describe.each(targets)("AAL2 decay with the default bounds on $name", (target) => {
  let app: { server: Server; url: string };

  const h = useHarness(target);
  beforeAll(async () => {
    app = await guardedApp(h);
  });
  afterAll(async () => {
    app?.server.close();
  });

  it("refuses a requirement no session could meet when it is declared, not at each request", async () => {
    for (const requirement of [{ aal: 3 }, { aal: 0 }, { fresh: "soon" }]) {
      const declared = requirement as unknown as Parameters<typeof h.auth.require>[0];
      expect(() => h.auth.require(declared), JSON.stringify(requirement)).toThrow(TypeError);
      const carrier = new Request(`${h.baseUrl}/`);
      await expect(h.auth.api.requireSession(carrier, declared)).rejects.toThrow(TypeError);
    }
    expect(() => h.auth.require({ aal: 2, fresh: "5m" })).not.toThrow();
  });

  it("keeps AAL2 for 24 hours of activity, then reports AAL1 and asks for reauthentication", async () => {
    const { client } = await passkeySession(h);
    // Active every 30 minutes: the idle bound never applies, the 24-hour one does.
    for (let elapsed = 30; elapsed < 24 * 60; elapsed += 30) {
      h.clock.advance(30 * MINUTE);
      expect((await me(client)).session.aal, `after ${elapsed} minutes`).toBe(2);
      expect((await guarded(app.url, client)).status).toBe(200);
    }
    h.clock.advance(31 * MINUTE);
    expect((await me(client)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, client));
    // The session itself lives on, at AAL1; the store says so too.
    const stored = await storedSession(h, client);
    expect(stored?.aal).toBe(1);
    h.clock.advance(MINUTE);
    expect((await me(client)).session.aal).toBe(1);
  });

  it("drops an AAL2 session to AAL1 after 61 minutes without activity, for good", async () => {
    const { client } = await passkeySession(h);
    h.clock.advance(59 * MINUTE);
    expect((await me(client)).session.aal).toBe(2);
    expect((await guarded(app.url, client)).status).toBe(200);
    h.clock.advance(61 * MINUTE);
    expect((await me(client)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, client));
    // Activity after the lapse does not bring AAL2 back.
    h.clock.advance(MINUTE);
    expect((await me(client)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, client));
    expect((await storedSession(h, client))?.aal).toBe(1);
  });

  it("restores AAL2 when the user reauthenticates with the passkey (UV), under a new session id", async () => {
    const { client, userId, passkey } = await passkeySession(h);
    h.clock.advance(61 * MINUTE);
    expectReauthentication(await guarded(app.url, client));
    const before = sessionToken(client);

    const verified = await verifyWithKey(client, passkey);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(verified.body).toMatchObject({ session: { aal: 2, fresh: true } });
    const after = sessionToken(client);
    expect(after).not.toBe(before);
    expect(await h.store.sessions.byIdHash(hashToken(before))).toBeUndefined();
    expect((await me(client)).session.aal).toBe(2);
    expect((await guarded(app.url, client)).status).toBe(200);
    const sessions = await h.store.sessions.listForUser(userId);
    expect(sessions.map((s) => s.aal)).toEqual([2]);
    const events = await h.store.events.list({ userId, type: "session.reauthenticated" });
    expect(events.map((e) => e.detail)).toEqual([{ method: "webauthn", aal: 2 }]);

    // The bounds start again from the reauthentication.
    h.clock.advance(59 * MINUTE);
    expect((await me(client)).session.aal).toBe(2);
    h.clock.advance(61 * MINUTE);
    expect((await me(client)).session.aal).toBe(1);
  });

  it("does not restore AAL2 with a password re-verification or a key without UV", async () => {
    const { client, passkey } = await passkeySession(h);
    h.clock.advance(61 * MINUTE);
    const byPassword = await client.post("/verify", { password: "correct horse battery" });
    expect(byPassword.status, JSON.stringify(byPassword.body)).toBe(200);
    expect(byPassword.body).toMatchObject({ session: { aal: 1, fresh: true } });
    expectReauthentication(await guarded(app.url, client));

    const withoutUv = await verifyWithKey(client, passkey, false);
    expect(withoutUv.status, JSON.stringify(withoutUv.body)).toBe(200);
    expect(withoutUv.body).toMatchObject({ session: { aal: 1, fresh: true } });
    expectReauthentication(await guarded(app.url, client));
    expect((await storedSession(h, client))?.aal).toBe(1);
  });

  it("lets a session that never had AAL2 keep answering AAL_REQUIRED, even after a passkey verify", async () => {
    const { client, passkey } = await passkeySession(h);
    // A password sign-in of the same user: AAL1 from the start.
    const password = h.client();
    const login = await password.post("/login", {
      identity: (await client.get<{ user: { email: string } }>("/me")).body.user.email,
      password: "correct horse battery",
    });
    expect(login.status, JSON.stringify(login.body)).toBe(200);
    const refused = await guarded(app.url, password);
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe("AAL_REQUIRED");
    const verified = await verifyWithKey(password, passkey);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ session: { aal: 1 } });
    expect(errorCode(await guarded(app.url, password))).toBe("AAL_REQUIRED");
  });

  it("applies to password + TOTP sessions: second-factor changes ask for reauthentication, a new sign-in restores AAL2", async () => {
    const { client, email } = await newUser(h);
    const { secret } = await enrolTotp(h, client);
    const totp = await signInWithTotp(h, email, secret);
    expect((await me(totp)).session.aal).toBe(2);
    h.clock.advance(61 * MINUTE);
    expect((await me(totp)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, totp));
    // /tf-setup needs AAL2 once a second factor exists (and a fresh session: re-verify first).
    expect((await totp.post("/verify", { password: "correct horse battery" })).status).toBe(200);
    const setup = await totp.post("/tf-setup", { method: "totp" });
    expectReauthentication(setup);

    h.clock.advance(MINUTE);
    const again = await signInWithTotp(h, email, secret);
    expect((await me(again)).session.aal).toBe(2);
    expect((await guarded(app.url, again)).status).toBe(200);
  });
});

describe.each(targets)("AAL2 decay with configured bounds on $name", (target) => {
  let app: { server: Server; url: string };

  const h = useHarness(target, { session: { aal2MaxAge: "2h", aal2IdleTimeout: "10m" } });
  beforeAll(async () => {
    app = await guardedApp(h);
  });
  afterAll(async () => {
    app?.server.close();
  });

  it("honours session.aal2IdleTimeout", async () => {
    const { client } = await passkeySession(h);
    h.clock.advance(9 * MINUTE);
    expect((await guarded(app.url, client)).status).toBe(200);
    h.clock.advance(11 * MINUTE);
    expect((await me(client)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, client));
  });

  it("honours session.aal2MaxAge", async () => {
    const { client } = await passkeySession(h);
    for (let elapsed = 5; elapsed < 120; elapsed += 5) {
      h.clock.advance(5 * MINUTE);
      expect((await me(client)).session.aal, `after ${elapsed} minutes`).toBe(2);
    }
    h.clock.advance(6 * MINUTE);
    expect((await me(client)).session.aal).toBe(1);
    expectReauthentication(await guarded(app.url, client));
  });
});

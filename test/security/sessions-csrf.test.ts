import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { expectRefused } from "../helpers/attacks.js";
import {
  PASSWORD,
  registerKey,
  signInWithKey,
  signUp,
  uniqueEmail,
} from "../helpers/ceremonies.js";
import { databaseTargets } from "../helpers/databases.js";
import { startHarness, TestClient, useHarness } from "../helpers/harness.js";

const targets = await databaseTargets();

describe.each(targets)("sessions and CSRF on $name", (target) => {
  const h = useHarness(target);

  it("issues a new session id when a second factor raises the session to AAL2 and kills the old one (no fixation)", async () => {
    const client = h.client();
    const email = await signUp(client);
    const sk = new SoftwareAuthenticator({
      origin: h.origin,
      userVerification: false,
      transports: ["usb"],
    });
    await registerKey(client, sk, { name: "sk", usage: "secondary" });
    const before = client.cookies.get("keyward_session")!;
    const login = await client.post("/login", { identity: email, password: PASSWORD });
    const done = await signInWithKey(client, sk, { secondFactorState: login.body.state });
    expect(done.body.session).toMatchObject({ aal: 2 });
    const after = client.cookies.get("keyward_session")!;
    expect(after).not.toBe(before);
    const old = h.client();
    old.cookies.set("keyward_session", before);
    expect((await old.get("/me")).status).toBe(401);
  });

  it("refuses a cross-site form POST without a token, with a forged token, and accepts a valid one", async () => {
    const form = (body: Record<string, string>, client = h.client()) =>
      client.request("POST", "/login", new URLSearchParams(body).toString(), {
        "content-type": "application/x-www-form-urlencoded",
      });
    expectRefused(await form({ identity: "a@example.com", password: "x" }), "CSRF_FAILED");
    const client = h.client();
    const { body } = await client.get<{ csrfToken: string }>("/csrf");
    expectRefused(
      await form(
        { identity: "a@example.com", password: "x", csrfToken: `${body.csrfToken}x` },
        client,
      ),
      "CSRF_FAILED",
    );
    // Another browser's token does not fit this browser's cookie.
    const other = h.client();
    const foreign = await other.get<{ csrfToken: string }>("/csrf");
    expectRefused(
      await form(
        { identity: "a@example.com", password: "x", csrfToken: foreign.body.csrfToken },
        client,
      ),
      "CSRF_FAILED",
    );
    const ok = await form(
      { identity: "a@example.com", password: "wrong password", csrfToken: body.csrfToken },
      client,
    );
    expect(ok.body).toMatchObject({ error: { code: "INVALID_CREDENTIALS" } });
  });

  it("refuses JSON from a foreign origin or a cross-site fetch", async () => {
    const client = h.client();
    await signUp(client);
    expectRefused(
      await client.post("/logout", {}, { origin: "https://evil.example" }),
      "CSRF_FAILED",
    );
    expectRefused(
      await client.post("/logout", {}, { "sec-fetch-site": "cross-site" }),
      "CSRF_FAILED",
    );
    expect((await client.get("/me")).status).toBe(200);
    expect(
      (await client.post("/logout", {}, { origin: h.origin, "sec-fetch-site": "same-origin" }))
        .status,
    ).toBe(200);
  });

  it("sets HttpOnly, SameSite=Lax, and Secure outside localhost", async () => {
    // Secure follows the configured origins, not the request (test/security/cookies-config.test.ts).
    const https = await startHarness(target, {
      rp: { id: "example.com", name: "Example", origins: ["https://app.example.com"] },
    });
    try {
      const response = await https.auth.fetch(
        new Request("https://app.example.com/auth/register", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD }),
        }),
      );
      expect(response.status).toBe(201);
      const cookie = response.headers
        .getSetCookie()
        .find((c) => c.startsWith("__Host-keyward_session="))!;
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).toMatch(/; Secure/);
    } finally {
      await https.close();
    }
  });

  it("refuses a logged-out session server-side", async () => {
    const client = h.client();
    await signUp(client);
    const token = client.cookies.get("keyward_session")!;
    await client.post("/logout");
    const replay = new TestClient(h.baseUrl);
    replay.cookies.set("keyward_session", token);
    expectRefused(await replay.get("/me"), "UNAUTHENTICATED");
  });

  it("enforces the freshness window on sensitive changes", async () => {
    const client = h.client();
    await signUp(client);
    h.clock.advance(10 * 60_000 - 1000);
    expect((await client.post("/wan-register", { name: "k", usage: "first" })).status).toBe(200);
    h.clock.advance(2000);
    expectRefused(
      await client.post("/wan-register", { name: "k", usage: "first" }),
      "FRESHNESS_REQUIRED",
    );
  });
});

describe.each(targets)("auth.require on $name", (target) => {
  let honoUrl: string;
  let expressUrl: string;
  const servers: ReturnType<typeof createServer>[] = [];

  const h = useHarness(target);
  beforeAll(async () => {
    const app = new Hono();
    app.get("/aal2", h.auth.require({ aal: 2 }), (c) => c.text("ok"));
    app.get("/fresh", h.auth.require({ fresh: "1m" }), (c) => c.text("ok"));
    const honoServer = createServer(async (req, res) => {
      const response = await app.fetch(
        new Request(`http://x${req.url}`, { headers: req.headers as HeadersInit }),
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(await response.text());
    });
    const aal2 = h.auth.require({ aal: 2 });
    const expressStyle = createServer((req, res) => {
      void aal2(req, res, () => {
        res.end("ok");
      });
    });
    for (const server of [honoServer, expressStyle]) {
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    }
    honoUrl = `http://127.0.0.1:${(honoServer.address() as AddressInfo).port}`;
    expressUrl = `http://127.0.0.1:${(expressStyle.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const server of servers) server.close();
  });

  it("answers 401, then 403 AAL_REQUIRED for a password session, then 200 at AAL2 (Hono and Express styles)", async () => {
    const client = h.client();
    await signUp(client);
    const cookie = () => ({ cookie: `keyward_session=${client.cookies.get("keyward_session")}` });
    for (const base of [honoUrl, expressUrl]) {
      const anonymous = await fetch(`${base}/aal2`);
      expect(anonymous.status).toBe(401);
      const weak = await fetch(`${base}/aal2`, { headers: cookie() });
      expect(weak.status).toBe(403);
      expect(await weak.json()).toMatchObject({ error: { code: "AAL_REQUIRED" } });
    }
    const passkey = new SoftwareAuthenticator({ origin: h.origin });
    await registerKey(client, passkey, { name: "k", usage: "first" });
    await signInWithKey(client, passkey);
    for (const base of [honoUrl, expressUrl]) {
      const strong = await fetch(`${base}/aal2`, { headers: cookie() });
      expect(strong.status).toBe(200);
    }
    h.clock.advance(2 * 60_000);
    const stale = await fetch(`${honoUrl}/fresh`, { headers: cookie() });
    expect(stale.status).toBe(403);
    expect(await stale.json()).toMatchObject({ error: { code: "FRESHNESS_REQUIRED" } });
  });
});

import { createServer } from "node:http";
import express from "express";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as expressExample from "../../examples/express/server.js";
import * as fastifyExample from "../../examples/fastify/server.js";
import * as honoExample from "../../examples/hono/server.js";
import { createKeyward } from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";
import { SoftwareAuthenticator } from "../../src/testing/index.js";
import { registerKey, signInWithKey, signUp } from "../helpers/ceremonies.js";
import { TEST_SECRET, TestClient } from "../helpers/harness.js";

interface Example {
  start(options: { port?: number; host?: string }): Promise<{
    url: string;
    origin: string;
    close(): Promise<void>;
  }>;
}

const examples: Array<{ name: string; example: Example }> = [
  { name: "express (toNodeHandler)", example: expressExample },
  { name: "hono (auth.fetch)", example: honoExample },
  { name: "fastify (keyward/fastify)", example: fastifyExample },
];

/** Calls an app route (outside the Keyward prefix) with the cookies `client` holds. */
function appRequest(client: TestClient, method: string, path: string, body?: unknown) {
  const app = new TestClient(client.baseUrl, "");
  for (const [name, value] of client.cookies) app.cookies.set(name, value);
  return app.request(method, path, body);
}

function appGet(client: TestClient, path: string) {
  return appRequest(client, "GET", path);
}

describe.each(examples)("the $name example", ({ example }) => {
  let started: Awaited<ReturnType<Example["start"]>>;
  beforeAll(async () => {
    started = await example.start({ port: 0, host: "127.0.0.1" });
  });
  afterAll(async () => {
    await started.close();
  });

  it("protects app routes: 401 signed out, 403 AAL_REQUIRED on a password session, 200 after a passkey", async () => {
    const client = new TestClient(started.url, "/auth");
    expect((await appGet(client, "/")).status).toBe(200);

    const out = await appGet(client, "/account");
    expect(out.status).toBe(401);
    expect(out.body).toMatchObject({ error: { code: "UNAUTHENTICATED" } });

    await signUp(client);
    const account = await appGet(client, "/account");
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ aal: 1, amr: ["pwd"] });
    const admin = await appGet(client, "/admin");
    expect(admin.status).toBe(403);
    expect(admin.body).toMatchObject({ error: { code: "AAL_REQUIRED" } });

    const authenticator = new SoftwareAuthenticator({ origin: started.origin });
    const registered = await registerKey(client, authenticator, { name: "Laptop", usage: "first" });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);

    const browser = new TestClient(started.url, "/auth");
    expect((await appGet(browser, "/account")).status).toBe(401);
    const signin = await signInWithKey(browser, authenticator);
    expect(signin.status, JSON.stringify(signin.body)).toBe(200);
    expect(signin.body).toMatchObject({ session: { aal: 2 } });
    const note = await appRequest(browser, "POST", "/account/notes", { note: "hello" });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    expect(note.body).toEqual({ note: "hello", by: account.body.email });
    expect(
      (await appRequest(new TestClient(started.url, "/auth"), "POST", "/account/notes", {})).status,
    ).toBe(401);

    const promoted = await appGet(browser, "/admin");
    expect(promoted.status).toBe(200);
    expect(promoted.body).toMatchObject({ admin: true, email: account.body.email });
  });

  it("serves the Related Origins document at /.well-known/webauthn", async () => {
    const client = new TestClient(started.url, "");
    const wellKnown = await client.get("/.well-known/webauthn");
    expect(wellKnown.status).toBe(200);
    expect(wellKnown.headers.get("content-type")).toMatch(/^application\/json/);
    expect(wellKnown.body).toEqual({ origins: [started.origin] });
  });
});

describe("toNodeHandler behind a body parser (mounted in the wrong order)", () => {
  it("refuses a body another middleware read, telling the log how to fix it, and writes nothing", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const origin = `http://localhost:${port}`;
    const auth = await createKeyward({
      rp: { id: "localhost", name: "Wrong order", origins: [origin] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      env: {},
    });
    const app = express();
    app.use(express.json());
    app.use("/auth", toNodeHandler(auth));
    server.on("request", app);
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
    try {
      const client = new TestClient(`http://127.0.0.1:${port}`);
      const refused = await client.post("/register", {
        email: "wrong-order@example.com",
        password: "correct horse battery",
      });
      expect(refused.status).toBe(500);
      expect(refused.body).toMatchObject({ error: { code: "INTERNAL" } });
      expect(logged.join("\n")).toMatch(/mount Keyward before express\.json\(\)/);
      expect(await auth.api.admin.findUser("wrong-order@example.com")).toBeUndefined();
      // Requests without a body are served as usual.
      expect((await client.get("/health")).status).toBe(200);
    } finally {
      console.error = original;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    }
  });
});

describe("auth.fetch behind Hono middleware that read the body", () => {
  it("answers 500 and logs that the body was read before Keyward, writing nothing", async () => {
    const auth = await createKeyward({
      rp: { id: "localhost", name: "Read first", origins: ["http://localhost"] },
      database: "sqlite::memory:",
      secret: TEST_SECRET,
      env: {},
    });
    const app = new Hono();
    app.use("*", async (c, next) => {
      await c.req.json().catch(() => undefined);
      await next();
    });
    app.all("/auth/*", (c) => auth.fetch(c.req.raw));
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
    try {
      const response = await app.request("http://localhost/auth/register", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: JSON.stringify({
          email: "read-first@example.com",
          password: "correct horse battery",
        }),
      });
      expect(response.status).toBe(500);
      expect(logged.join("\n")).toMatch(/the request body was read before Keyward/);
      expect(await auth.api.admin.findUser("read-first@example.com")).toBeUndefined();
    } finally {
      console.error = original;
      await auth.close();
    }
  });
});

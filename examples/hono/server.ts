/**
 * Keyward in a Hono app through the Fetch API (auth.fetch): the JSON API under /auth, the
 * Related Origins document at /.well-known/webauthn, and app routes protected with auth.require().
 * The same app runs on Bun, Deno or workers; here it runs on Node with @hono/node-server.
 *
 *   npx tsx examples/hono/server.ts           # http://localhost:3000
 *
 * In your app, import from "keyward" instead of ../../src.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import { type ActiveSession, createKeyward, type Keyward } from "../../src/index.js";

/** `incoming` is Node's request (for the client IP); `keyward` is set by auth.require(). */
type AppEnv = {
  Bindings: { incoming?: IncomingMessage };
  Variables: { keyward: ActiveSession };
};

export interface ExampleOptions {
  /** The origin browsers use, e.g. http://localhost:3000 (keys are bound to it). */
  origin: string;
  /** Default "sqlite::memory:"; KEYWARD_DATABASE overrides it. */
  database?: string;
}

export async function createApp(
  options: ExampleOptions,
): Promise<{ app: Hono<AppEnv>; auth: Keyward }> {
  const auth = await createKeyward({
    rp: {
      id: new URL(options.origin).hostname,
      name: "Keyward Hono example",
      origins: [options.origin],
    },
    database: options.database ?? "sqlite::memory:",
    secret: process.env.KEYWARD_SECRET ?? "example-only-secret-never-use-in-production",
  });
  const app = new Hono<AppEnv>();

  // Keyward is a Fetch handler: hand it the raw Request (and Node's request, for the client IP).
  const keyward = (c: { req: { raw: Request }; env: AppEnv["Bindings"] | undefined }) =>
    auth.fetch(c.req.raw, c.env?.incoming ? { incoming: c.env.incoming } : {});
  app.all("/auth/*", keyward);
  app.get("/.well-known/webauthn", keyward);

  app.get("/", (c) => c.json({ hello: "hono", signIn: "/auth/login" }));
  // Any signed-in session.
  app.get("/account", auth.require(), (c) => {
    const { user, session } = c.var.keyward;
    return c.json({ email: user.email, aal: session.aal, amr: session.amr });
  });
  // Two factors (a passkey with user verification, or password + second factor), proved recently.
  app.get("/admin", auth.require({ aal: 2, fresh: "5m" }), (c) =>
    c.json({ admin: true, email: c.var.keyward.user.email }),
  );
  app.post("/account/notes", auth.require(), async (c) => {
    const body = (await c.req.json()) as { note?: unknown };
    return c.json({ note: String(body.note ?? ""), by: c.var.keyward.user.email }, 201);
  });
  return { app, auth };
}

export interface Started {
  /** Where the server answers, e.g. http://127.0.0.1:3000. */
  url: string;
  /** The origin keys are bound to: http://localhost:<port>. */
  origin: string;
  auth: Keyward;
  server: Server;
  close(): Promise<void>;
}

/** Listens first, so the configured origin names the real port (tests pass port 0). */
export async function start(
  options: { port?: number; host?: string; database?: string } = {},
): Promise<Started> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 3000, options.host, resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://localhost:${port}`;
  const { app, auth } = await createApp({
    origin,
    ...(options.database ? { database: options.database } : {}),
  });
  // What @hono/node-server's serve() does, on a server that is already listening.
  server.on("request", getRequestListener(app.fetch));
  return {
    url: `http://${options.host ?? "localhost"}:${port}`,
    origin,
    auth,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = await start({ port: Number(process.env.PORT ?? 3000) });
  console.log(`Hono example on ${started.origin} (API under /auth, protected: /account, /admin)`);
}

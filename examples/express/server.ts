/**
 * Keyward in an Express app: the JSON API under /auth, the Related Origins document at
 * /.well-known/webauthn, and app routes protected with auth.require().
 *
 *   npx tsx examples/express/server.ts        # http://localhost:3000
 *
 * In your app, import from "keyward" and "keyward/node" instead of ../../src.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import express from "express";
import { type ActiveSession, createKeyward, type Keyward } from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";

declare global {
  namespace Express {
    interface Request {
      /** Set by auth.require(): the signed-in user and session. */
      keyward?: ActiveSession;
    }
  }
}

export interface ExampleOptions {
  /** The origin browsers use, e.g. http://localhost:3000 (keys are bound to it). */
  origin: string;
  /** Default "sqlite::memory:"; KEYWARD_DATABASE overrides it. */
  database?: string;
}

export async function createApp(
  options: ExampleOptions,
): Promise<{ app: express.Express; auth: Keyward }> {
  const auth = await createKeyward({
    rp: {
      id: new URL(options.origin).hostname,
      name: "Keyward Express example",
      origins: [options.origin],
    },
    database: options.database ?? "sqlite::memory:",
    secret: process.env.KEYWARD_SECRET ?? "example-only-secret-never-use-in-production",
  });
  const app = express();

  // Keyward reads its own request bodies: mount it before any body parser (express.json()).
  app.use("/auth", toNodeHandler(auth));
  app.get("/.well-known/webauthn", toNodeHandler(auth));

  app.get("/", (_req, res) => {
    res.json({ hello: "express", signIn: "/auth/login" });
  });
  // Any signed-in session.
  app.get("/account", auth.require(), (req, res) => {
    const { user, session } = req.keyward!;
    res.json({ email: user.email, aal: session.aal, amr: session.amr });
  });
  // Two factors (a passkey with user verification, or password + second factor), proved recently.
  app.get("/admin", auth.require({ aal: 2, fresh: "5m" }), (req, res) => {
    res.json({ admin: true, email: req.keyward!.user.email });
  });
  // The app's own JSON routes parse their bodies as usual.
  app.post("/account/notes", express.json(), auth.require(), (req, res) => {
    res.status(201).json({ note: String(req.body?.note ?? ""), by: req.keyward!.user.email });
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
  server.on("request", app);
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
  console.log(
    `Express example on ${started.origin} (API under /auth, protected: /account, /admin)`,
  );
}

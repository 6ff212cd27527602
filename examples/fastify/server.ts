/**
 * Keyward in a Fastify app: the keyward/fastify plugin serves the JSON API under /auth and the
 * Related Origins document at /.well-known/webauthn; keywardRequire() protects app routes.
 *
 *   npx tsx examples/fastify/server.ts        # http://localhost:3000
 *
 * In your app, import from "keyward" and "keyward/fastify" instead of ../../src.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Fastify, { type FastifyInstance } from "fastify";
import { keywardPlugin, keywardRequire } from "../../src/fastify.js";
import { createKeyward, type Keyward } from "../../src/index.js";

export interface ExampleOptions {
  /** The origin browsers use, e.g. http://localhost:3000 (keys are bound to it). */
  origin: string;
  /** Default "sqlite::memory:"; KEYWARD_DATABASE overrides it. */
  database?: string;
}

export async function createApp(
  options: ExampleOptions,
): Promise<{ app: FastifyInstance; auth: Keyward }> {
  const auth = await createKeyward({
    rp: {
      id: new URL(options.origin).hostname,
      name: "Keyward Fastify example",
      origins: [options.origin],
    },
    database: options.database ?? "sqlite::memory:",
    secret: process.env.KEYWARD_SECRET ?? "example-only-secret-never-use-in-production",
  });
  const app = Fastify();

  // Encapsulated: Keyward reads its own bodies; the app's routes keep Fastify's parsers.
  await app.register(keywardPlugin, { auth });

  app.get("/", async () => ({ hello: "fastify", signIn: "/auth/login" }));
  // Any signed-in session.
  app.get("/account", { preHandler: keywardRequire(auth) }, async (request) => {
    const { user, session } = request.keyward!;
    return { email: user.email, aal: session.aal, amr: session.amr };
  });
  // Two factors (a passkey with user verification, or password + second factor), proved recently.
  app.get(
    "/admin",
    { preHandler: keywardRequire(auth, { aal: 2, fresh: "5m" }) },
    async (request) => ({
      admin: true,
      email: request.keyward!.user.email,
    }),
  );
  // The app's own JSON routes keep Fastify's body parsing (the plugin's passthrough is encapsulated).
  app.post<{ Body: { note?: string } }>(
    "/account/notes",
    { preHandler: keywardRequire(auth) },
    async (request, reply) =>
      reply
        .code(201)
        .send({ note: String(request.body?.note ?? ""), by: request.keyward!.user.email }),
  );
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

/**
 * Listens first, so the configured origin names the real port (tests pass port 0); then hands
 * requests to Fastify's router (what `app.listen()` does on a server Fastify creates itself).
 */
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
  await app.ready();
  server.on("request", app.routing);
  return {
    url: `http://${options.host ?? "localhost"}:${port}`,
    origin,
    auth,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
      await auth.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = await start({ port: Number(process.env.PORT ?? 3000) });
  console.log(
    `Fastify example on ${started.origin} (API under /auth, protected: /account, /admin)`,
  );
}

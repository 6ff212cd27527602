/**
 * The Keyward demo: a tiny app on Node's http server using Keyward's default pages.
 *
 *   npm start                      # http://localhost:3000 (PORT=4000 npm start to move it)
 *
 * Keyward keeps its data in ./demo.db (KEYWARD_DATABASE overrides it) and its secret in
 * .keyward-demo-secret, made on first start. Passkeys are bound to the origin, so open the
 * site as http://localhost:<port> (not 127.0.0.1). Second-factor codes sent "by SMS" or
 * "by email" are printed on this console.
 *
 * In your app, import from "keyward" and "keyward/node" instead of ../../src.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  type ActiveSession,
  createKeyward,
  html,
  type Keyward,
  type SafeHtml,
} from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";

const SECRET_FILE = ".keyward-demo-secret";

/** The demo's secret: 32 random bytes, made once and kept next to the database. */
function demoSecret(): string {
  if (process.env.KEYWARD_SECRET) return process.env.KEYWARD_SECRET;
  if (!existsSync(SECRET_FILE)) {
    writeFileSync(SECRET_FILE, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(SECRET_FILE, "utf8").trim();
}

/** The demo's own pages share Keyward's stylesheet, so everything looks of a piece. */
function page(title: string, body: SafeHtml): string {
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Keyward demo</title>
<link rel="stylesheet" href="/auth/static/keyward.css">
<script src="/auth/static/keyward.js" data-keyward-upgrade defer></script>
</head>
<body>
<header class="kw-top"><a class="kw-brand" href="/">Keyward demo</a>
<nav class="kw-who"><a href="/account">Account</a> <a href="/auth/account">Security</a></nav></header>
<main id="main" class="kw-main kw-main--wide">${body}</main>
</body>
</html>`);
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
  });
  res.end(body);
}

function fail(res: ServerResponse, error: unknown): void {
  console.error(error);
  if (!res.headersSent) {
    send(res, 500, page("Error", html`<div class="kw-card"><h1>Something went wrong</h1></div>`));
  }
}

function homePage(session: ActiveSession | undefined): string {
  return page(
    "Home",
    html`<div class="kw-card">
<h1>Keyward demo</h1>
<p>Passkeys first: create an account (a password is optional), add a passkey on the security
page, then sign in without typing anything. Security keys, authenticator apps and recovery
codes work as second factors.</p>
${
  session
    ? html`<p>Signed in as <strong>${session.user.email}</strong>.</p>
<p class="kw-row"><a class="kw-btn kw-btn--primary" href="/account">Your account</a>
<a class="kw-btn" href="/auth/account">Sign-in and security</a></p>`
    : html`<p class="kw-row"><a class="kw-btn kw-btn--primary" href="/auth/login">Sign in</a>
<a class="kw-btn" href="/auth/register">Create an account</a></p>`
}
</div>`,
  );
}

function accountPage({ user, session }: ActiveSession): string {
  return page(
    "Account",
    html`<div class="kw-card">
<h1>Your account</h1>
<p>This page is guarded by <code>auth.require()</code>: signed-out visitors are sent to sign in
and come back here.</p>
<dl class="kw-meta">
<dt>Email</dt><dd>${user.email}</dd>
<dt>Assurance level</dt><dd>AAL${session.aal}</dd>
<dt>Signed in with</dt><dd>${session.amr.join(", ")}</dd>
<dt>User verified</dt><dd>${session.uv ? "yes" : "no"}</dd>
</dl>
<p class="kw-row"><a class="kw-btn" href="/auth/account">Sign-in and security</a></p>
</div>`,
  );
}

export interface DemoOptions {
  /** Port to listen on; 0 picks a free one (default: PORT, else 3000). */
  port?: number;
  /** Default "sqlite:./demo.db"; KEYWARD_DATABASE overrides it. */
  database?: string;
  /** Default: KEYWARD_SECRET, else the one kept in .keyward-demo-secret. */
  secret?: string;
}

/** Starts the demo: Keyward under /auth with its pages, a home page and a guarded account page. */
export async function startDemo(
  options: DemoOptions = {},
): Promise<{ origin: string; auth: Keyward; close(): Promise<void> }> {
  const server: Server = createServer();
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? Number(process.env.PORT ?? 3000), resolve),
  );
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const auth = await createKeyward({
    rp: { id: "localhost", name: "Keyward demo", origins: [origin] },
    database: options.database ?? "sqlite:./demo.db",
    secret: options.secret ?? demoSecret(),
    accounts: { allowPasswordless: true },
    // After a password sign-in, the password manager may add a passkey without a prompt.
    webauthn: { passkeyUpgrade: true },
    pages: { home: "/account" },
  });
  const keyward = toNodeHandler(auth);
  const requireSignIn = auth.require();

  server.on(
    "request",
    (req: IncomingMessage & { keyward?: ActiveSession }, res: ServerResponse) => {
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/auth" || path.startsWith("/auth/") || path === "/.well-known/webauthn") {
        keyward(req, res);
      } else if (req.method === "GET" && path === "/") {
        auth.api.getSession(req).then(
          (session) => send(res, 200, homePage(session)),
          (error) => fail(res, error),
        );
      } else if (req.method === "GET" && path === "/account") {
        // Browsers without a session are sent to /auth/login?next=/account; API clients get 401.
        void requireSignIn(req, res, (error?: unknown) =>
          error ? fail(res, error) : send(res, 200, accountPage(req.keyward!)),
        );
      } else {
        send(res, 404, page("Not found", html`<div class="kw-card"><h1>Not found</h1></div>`));
      }
    },
  );

  return {
    origin,
    auth,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await auth.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = await startDemo();
  console.log(`Keyward demo: ${demo.origin}  (data in ./demo.db; Ctrl-C to stop)`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

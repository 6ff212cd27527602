/**
 * The Keyward demo: a tiny app on Node's http server using Keyward's default pages.
 *
 *   npm start                      # http://localhost:3000 (PORT=4000 npm start to move it)
 *
 * Keyward keeps its data in ./demo.db (KEYWARD_DATABASE overrides it; the banner names the one
 * in use) and its secret in .keyward-demo-secret, made on first start (KEYWARD_SECRET
 * overrides it). Passkeys are bound to the origin, so open the
 * site as http://localhost:<port> (not 127.0.0.1). Second-factor codes sent "by SMS" or
 * "by email" are printed on this console.
 *
 * In your app, import from "keyward", "keyward/node" and "keyward/pages" instead of ../../src.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { type ActiveSession, ConfigError, createKeyward, type Keyward } from "../../src/index.js";
import { toNodeHandler } from "../../src/node.js";
import { amrInWords, html, type SafeHtml } from "../../src/pages.js";

const SECRET_FILE = ".keyward-demo-secret";

/** Something the person starting the demo must fix; its message says what. */
class DemoSetupError extends Error {
  override readonly name = "DemoSetupError";
}

/** The demo's secret: 32 random bytes, made once and kept next to the database. */
function demoSecret(): string {
  if (process.env.KEYWARD_SECRET) return process.env.KEYWARD_SECRET;
  if (!existsSync(SECRET_FILE)) {
    writeFileSync(SECRET_FILE, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  const secret = readFileSync(SECRET_FILE, "utf8").trim();
  if (secret.length < 32) {
    // Said here rather than by Keyward, whose message names KEYWARD_SECRET: this one came from the file.
    throw new DemoSetupError(
      `${SECRET_FILE} holds a secret of ${secret.length} characters; at least 32 are needed. Delete the file and the demo makes a new one, or set KEYWARD_SECRET to 32 random bytes (openssl rand -base64 32).`,
    );
  }
  return secret;
}

/**
 * Where the demo keeps its data, as the banner says it: the database Keyward actually opened
 * (KEYWARD_DATABASE overrides the option), without a password from its URL.
 */
export function describeDatabase(url: string): string {
  if (url === "sqlite::memory:" || url === "sqlite:")
    return "SQLite in memory (gone when the demo stops)";
  if (url.startsWith("sqlite:")) return `SQLite file ${url.slice("sqlite:".length)}`;
  try {
    const parsed = new URL(url);
    const database = parsed.pathname.replace(/^\//, "") || "(default database)";
    return `PostgreSQL database ${database} on ${parsed.host}`;
  } catch {
    return "the database in KEYWARD_DATABASE";
  }
}

/** What the demo prints when it starts: where it is, and the database it opened. */
export function banner(demo: { origin: string; auth: Keyward }): string {
  return `Keyward demo: ${demo.origin}  (data in ${describeDatabase(demo.auth.config.database)}; Ctrl-C to stop)`;
}

/** Who is signed in, for the header: their email and a sign-out form that posts to Keyward. */
interface SignedIn {
  email: string;
  /** The CSRF token Keyward's /auth/logout wants from a form. */
  csrfToken: string;
}

/** The demo's own pages share Keyward's stylesheet, so everything looks of a piece. */
function page(title: string, body: SafeHtml, who: SignedIn | undefined): string {
  return String(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Keyward demo</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/auth/static/keyward.css">
<script src="/auth/static/keyward.js" data-keyward-upgrade defer></script>
</head>
<body>
<header class="kw-top"><a class="kw-brand" href="/">Keyward demo</a>
${
  who
    ? html`<div class="kw-who"><span>Signed in as ${who.email}</span>
<a href="/account">Account</a> <a href="/auth/account">Security</a>
<form method="post" action="/auth/logout"><input type="hidden" name="csrfToken" value="${who.csrfToken}"><button class="kw-link" type="submit">Sign out</button></form></div>`
    : html`<div class="kw-who"><a href="/auth/login">Sign in</a></div>`
}</header>
<main id="main" class="kw-main kw-main--wide">${body}</main>
</body>
</html>`);
}

function send(res: ServerResponse, status: number, body: string, setCookie?: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    ...(setCookie ? { "set-cookie": setCookie } : {}),
  });
  res.end(body);
}

function fail(res: ServerResponse, error: unknown): void {
  console.error(error);
  if (!res.headersSent) {
    send(
      res,
      500,
      page("Error", html`<div class="kw-card"><h1>Something went wrong</h1></div>`, undefined),
    );
  }
}

function homePage(session: ActiveSession | undefined, who: SignedIn | undefined): string {
  // "(password and security key)": how this session was earned, in words (amrInWords).
  return page(
    "Home",
    html`<div class="kw-card">
<h1>Keyward demo</h1>
<p>Passkeys first: create an account (a password is optional), add a passkey on the security
page, then sign in without typing anything. Security keys, authenticator apps and recovery
codes work as second factors.</p>
${
  session && who
    ? html`<p data-demo-who>Signed in as <strong>${session.user.email}</strong> (${amrInWords(session.session.amr)}).</p>
<p class="kw-row"><a class="kw-btn kw-btn--primary" href="/account">Your account</a>
<a class="kw-btn" href="/auth/account">Sign-in and security</a></p>`
    : html`<p data-demo-who>You are not signed in.</p>
<p class="kw-row"><a class="kw-btn kw-btn--primary" href="/auth/login">Sign in</a>
<a class="kw-btn" href="/auth/register">Create an account</a></p>`
}
</div>`,
    who,
  );
}

function accountPage({ user, session }: ActiveSession, who: SignedIn): string {
  return page(
    "Account",
    html`<div class="kw-card">
<h1>Your account</h1>
<p>This page is guarded by <code>auth.require()</code>: signed-out visitors are sent to sign in
and come back here.</p>
<dl class="kw-meta">
<dt>Signed in as</dt><dd>${user.email}</dd>
<dt>Signed in with</dt><dd data-demo-amr>${amrInWords(session.amr)}</dd>
<dt>Assurance level</dt><dd>AAL${session.aal} (${session.aal === 2 ? "two factors" : "one factor"})</dd>
<dt>User verified</dt><dd>${session.uv ? "yes (fingerprint, face or PIN)" : "no"}</dd>
</dl>
<p class="kw-row"><a class="kw-btn" href="/auth/account">Sign-in and security</a></p>
</div>`,
    who,
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
  let auth: Keyward;
  try {
    auth = await createKeyward({
      rp: { id: "localhost", name: "Keyward demo", origins: [origin] },
      database: options.database ?? "sqlite:./demo.db",
      secret: options.secret ?? demoSecret(),
      accounts: { allowPasswordless: true },
      // "Email me a sign-in code" on the login page (codes are printed to the console here).
      signIn: { codes: ["email", "sms"] },
      // After a password sign-in, the password manager may add a passkey without a prompt.
      webauthn: { passkeyUpgrade: true },
      pages: { home: "/account" },
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const keyward = toNodeHandler(auth);
  const requireSignIn = auth.require();
  /** The header's sign-out form needs Keyward's CSRF token (and its cookie, the first time). */
  const signedIn = (req: IncomingMessage, session: ActiveSession | undefined) => {
    if (!session) return { who: undefined, setCookie: undefined };
    const { token, setCookie } = auth.api.csrfToken(req);
    return { who: { email: session.user.email, csrfToken: token }, setCookie };
  };

  server.on(
    "request",
    (req: IncomingMessage & { keyward?: ActiveSession }, res: ServerResponse) => {
      const path = new URL(req.url ?? "/", origin).pathname;
      if (path === "/auth" || path.startsWith("/auth/") || path === "/.well-known/webauthn") {
        keyward(req, res);
      } else if (req.method === "GET" && path === "/") {
        auth.api.getSession(req).then(
          (session) => {
            const { who, setCookie } = signedIn(req, session);
            send(res, 200, homePage(session, who), setCookie);
          },
          (error) => fail(res, error),
        );
      } else if (req.method === "GET" && path === "/account") {
        // Browsers without a session are sent to /auth/login?next=/account; API clients get 401.
        void requireSignIn(req, res, (error?: unknown) => {
          if (error) return fail(res, error);
          const { who, setCookie } = signedIn(req, req.keyward);
          send(res, 200, accountPage(req.keyward!, who!), setCookie);
        });
      } else {
        send(
          res,
          404,
          page("Not found", html`<div class="kw-card"><h1>Not found</h1></div>`, undefined),
        );
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
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo();
  } catch (error) {
    // A configuration mistake (a short KEYWARD_SECRET, say) is a sentence, not a stack trace.
    if (!(error instanceof ConfigError) && !(error instanceof DemoSetupError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  console.log(banner(demo));
  const stop = () => void demo.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

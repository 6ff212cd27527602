import { Hono } from "hono";
import type { KeywardConfig } from "../config/schema.js";
import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { builtInRegistry } from "../factors/registry.js";
import { CSRF_FIELD, checkCsrf } from "../session/csrf.js";
import type { PagesOptions } from "../views/index.js";
import { bodyKind, readBody } from "./body.js";
import { askForToken, callerOf } from "./caller.js";
import type { HttpEnv } from "./env.js";
import { errorResponse } from "./errors.js";
import { setSite, wantsHtml } from "./negotiate.js";
import { type DeclaredRoute, RouteTable } from "./route.js";
import { accountRoutes } from "./routes/account.js";
import { codeSigninRoutes } from "./routes/code-signin.js";
import { healthRoutes } from "./routes/health.js";
import { lifecycleRoutes } from "./routes/lifecycle.js";
import { openApiRoutes } from "./routes/openapi.js";
import { pageRoutes } from "./routes/pages.js";
import { Pages } from "./routes/pages-render.js";
import { twoFactorRoutes } from "./routes/two-factor.js";
import { webauthnRoutes } from "./routes/webauthn.js";
import { wellKnownRoutes } from "./routes/well-known.js";
import { staticRoutes } from "./static.js";

/**
 * The HTTP surface: every route under the configured prefix, plus /.well-known/webauthn at the
 * root. Each POST body is read once (size-limited), checked against CSRF, and handed to the
 * route as `c.var.input`. With pages on (the default), the HTML pages and their static assets
 * are served too, and a failed form post from a page shows that page again with the error.
 */
export function createHttpApp(
  ctx: KeywardContext,
  pagesOptions: PagesOptions = {},
): { app: Hono<HttpEnv>; declared: readonly DeclaredRoute[] } {
  const root = new Hono<HttpEnv>();
  // basePath shares root's router: root routes and prefixed routes answer from the same app.
  const app = root.basePath(ctx.config.prefix);
  const pagesOn = pagesOptions.enabled ?? true;
  setSite(ctx, { home: pagesOptions.home ?? "/", pages: pagesOn });
  const pages = pagesOn ? new Pages(ctx, app, pagesOptions) : undefined;
  wellKnownRoutes(root, ctx);

  app.use("*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    if (c.req.method !== "POST") return next();
    const kind = bodyKind(c.req.header("content-type"));
    const input = await readBody(c, ctx.config.http.bodyLimit);
    // A JSON sign-in asking for a bearer token is a bearer request from here on (no cookie).
    if (ctx.config.session.bearer && kind === "json" && asksForToken(input)) askForToken(ctx, c);
    // CSRF rides on ambient credentials; a bearer request reads no cookie and has none.
    if (callerOf(ctx, c).carrier === "cookie") {
      checkCsrf(
        {
          method: c.req.method,
          url: c.req.url,
          origin: c.req.header("origin"),
          fetchSite: c.req.header("sec-fetch-site"),
          bodyKind: kind,
          // Only a form's token is checked against the cookie (JSON needs no token).
          cookieValue:
            kind === "form" ? ctx.cookies.read(c.req.header("cookie"), "csrf") : undefined,
          formToken: kind === "form" ? (input as Record<string, unknown>)[CSRF_FIELD] : undefined,
        },
        ctx.webauthnUtil.origins(c.req.raw),
        ctx.config.secret,
      );
    }
    // In a form, an empty field is an absent field (e.g. an optional username left blank).
    c.set("input", kind === "form" ? withoutEmptyFields(input) : input);
    return next();
  });

  const routes = new RouteTable(app, ctx);
  accountRoutes(routes, ctx);
  codeSigninRoutes(routes, ctx);
  webauthnRoutes(routes, ctx);
  twoFactorRoutes(routes, ctx, pages);
  lifecycleRoutes(routes, ctx, pages);
  healthRoutes(routes, ctx);
  openApiRoutes(routes, ctx);
  if (pages) {
    staticRoutes(app);
    pageRoutes(app, routes, ctx, pages);
  }

  app.notFound((c) =>
    errorResponse(
      ctx,
      c,
      new KeywardError(ErrorCode.NOT_FOUND, `No route ${c.req.method} ${c.req.path}.`),
    ),
  );
  app.onError(async (error, c) => {
    if (pages && error instanceof KeywardError && wantsHtml(c)) {
      const page = await pages.failure(c, error).catch(() => undefined);
      if (page) return page;
    }
    return errorResponse(ctx, c, error);
  });
  return { app, declared: routes.declared };
}

/**
 * The routes as declared for `config`, with no store behind them: what the OpenAPI document is
 * made of when there is no running instance (scripts/gen-openapi.ts, tests). Declaring a route
 * reads configuration only; anything else a declaration touched would throw here.
 */
export function declaredRoutes(config: KeywardConfig): readonly DeclaredRoute[] {
  const ctx = new Proxy({ config } as KeywardContext, {
    get(target, key) {
      if (key === "config") return target.config;
      // The built-in methods: an instance documents its app's own factors when it serves.
      if (key === "factors") return builtInRegistry;
      throw new Error(`declaring routes must not use ctx.${String(key)}`);
    },
  });
  return createHttpApp(ctx).declared;
}

function asksForToken(input: unknown): boolean {
  return (
    typeof input === "object" &&
    input !== null &&
    (input as Record<string, unknown>).session === "token"
  );
}

function withoutEmptyFields(input: unknown): unknown {
  const fields = input as Record<string, unknown>;
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ""));
}

import { Hono } from "hono";
import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { readCookie } from "../session/cookies.js";
import { CSRF_COOKIE, CSRF_FIELD, checkCsrf } from "../session/csrf.js";
import { bodyKind, readBody } from "./body.js";
import type { HttpEnv } from "./env.js";
import { errorResponse } from "./errors.js";
import { accountRoutes } from "./routes/account.js";
import { webauthnRoutes } from "./routes/webauthn.js";

/**
 * The HTTP surface: every route under the configured prefix. Each POST body is read once
 * (size-limited), checked against CSRF, and handed to the route as `c.var.input`.
 */
export function createHttpApp(ctx: KeywardContext): Hono<HttpEnv> {
  const app = new Hono<HttpEnv>().basePath(ctx.config.prefix);

  app.use("*", async (c, next) => {
    c.header("Cache-Control", "no-store");
    c.header("X-Content-Type-Options", "nosniff");
    if (c.req.method !== "POST") return next();
    const kind = bodyKind(c.req.header("content-type"));
    const input = await readBody(c, ctx.config.http.bodyLimit);
    checkCsrf(
      {
        method: c.req.method,
        url: c.req.url,
        origin: c.req.header("origin"),
        fetchSite: c.req.header("sec-fetch-site"),
        bodyKind: kind,
        cookieValue: readCookie(c.req.header("cookie"), CSRF_COOKIE),
        formToken: kind === "form" ? (input as Record<string, unknown>)[CSRF_FIELD] : undefined,
      },
      ctx.webauthnUtil.origins(c.req.raw),
      ctx.config.secret,
    );
    c.set("input", input);
    return next();
  });

  accountRoutes(app, ctx);
  webauthnRoutes(app, ctx);

  app.notFound((c) =>
    errorResponse(
      c,
      new KeywardError(ErrorCode.NOT_FOUND, `No route ${c.req.method} ${c.req.path}.`),
    ),
  );
  app.onError((error, c) => errorResponse(c, error));
  return app;
}

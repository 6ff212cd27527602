import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Session } from "../core/types.js";
import { readCookie, serializeCookie, wantsSecureCookie } from "../session/cookies.js";
import type { ActiveSession } from "../session/sessions.js";
import type { HttpEnv } from "./env.js";

export function sessionToken(ctx: KeywardContext, c: Context<HttpEnv>): string | undefined {
  return readCookie(c.req.header("cookie"), ctx.config.session.cookieName);
}

export function setSessionCookie(
  ctx: KeywardContext,
  c: Context<HttpEnv>,
  token: string,
  session: Session,
): void {
  c.header(
    "Set-Cookie",
    serializeCookie(ctx.config.session.cookieName, token, {
      maxAgeSeconds: ctx.sessions.cookieMaxAgeSeconds(session),
      secure: wantsSecureCookie(ctx.config, c.req.url),
    }),
    { append: true },
  );
}

export function clearSessionCookie(ctx: KeywardContext, c: Context<HttpEnv>): void {
  c.header(
    "Set-Cookie",
    serializeCookie(ctx.config.session.cookieName, "", {
      maxAgeSeconds: 0,
      secure: wantsSecureCookie(ctx.config, c.req.url),
    }),
    { append: true },
  );
}

/** The signed-in session, resolved once per request. */
export async function optionalSession(
  ctx: KeywardContext,
  c: Context<HttpEnv>,
): Promise<ActiveSession | undefined> {
  if (!c.var.active) c.set("active", await ctx.sessions.resolve(ctx.store, sessionToken(ctx, c)));
  return c.var.active;
}

export async function requireSession(
  ctx: KeywardContext,
  c: Context<HttpEnv>,
): Promise<ActiveSession> {
  const active = await optionalSession(ctx, c);
  if (!active) throw new KeywardError(ErrorCode.UNAUTHENTICATED, "Sign in first.");
  return active;
}

/** How a session is shown to its owner. */
export function sessionView(ctx: KeywardContext, session: Session) {
  return {
    aal: session.aal,
    amr: session.amr,
    uv: session.uv,
    fresh: ctx.sessions.isFresh(session),
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.expiresAt).toISOString(),
  };
}

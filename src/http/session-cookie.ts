import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { ActiveSession } from "../core/caller.js";
import type { Session } from "../core/types.js";
import { callerOf } from "./caller.js";
import type { HttpEnv } from "./env.js";

/**
 * Hands a new session (or a session's new id) to its client, the way the client holds
 * sessions: a bearer client gets `{ token }` to put in the answer's body and no cookie; a
 * browser gets the session cookie and nothing in the body.
 */
export function deliverSession(
  ctx: KeywardContext,
  c: Context<HttpEnv>,
  token: string,
  session: Session,
): { token?: string } {
  if (callerOf(ctx, c).carrier === "bearer") return { token };
  c.header(
    "Set-Cookie",
    ctx.cookies.set("session", token, ctx.sessions.cookieMaxAgeSeconds(session)),
    { append: true },
  );
  return {};
}

/** Ends the browser's session cookie; a bearer request carries none and is told in its body. */
export function clearSessionCookie(ctx: KeywardContext, c: Context<HttpEnv>): void {
  if (callerOf(ctx, c).carrier === "bearer") return;
  c.header("Set-Cookie", ctx.cookies.clear("session"), { append: true });
}

/**
 * Which sessions a caller accepts. By default only full ones: a limited session (account
 * recovery) is left out unless it opts in with `{ limited: "allow" }`. Routes that need a
 * session declare it (http/route.ts), which checks it.
 */
export interface SessionAccess {
  limited?: "allow";
}

/** The signed-in session, resolved once per request; a limited one only where allowed. */
export async function optionalSession(
  ctx: KeywardContext,
  c: Context<HttpEnv>,
  access: SessionAccess = {},
): Promise<ActiveSession | undefined> {
  let active = c.get("active");
  if (!active) {
    active = await ctx.sessions.resolve(ctx.store, callerOf(ctx, c).sessionToken);
    c.set("active", active);
  }
  if (active && active.session.limited !== null && access.limited !== "allow") return undefined;
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
    ...(session.limited !== null ? { limited: session.limited } : {}),
  };
}

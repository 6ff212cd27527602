import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { SignInOutcome } from "../factors/two-factor.js";
import { callerOf } from "./caller.js";
import type { HttpEnv } from "./env.js";
import { nextOf, seeOther, siteOf, wantsHtml } from "./negotiate.js";
import { deliverSession, sessionView } from "./session-cookie.js";

/**
 * The pending second-factor state also rides in an HttpOnly cookie ("pending"), for JSON and
 * forms alike: it carries a form from the password to the second-factor pages, and it binds
 * the state to the browser that proved the first factor. Every route that continues a pending
 * sign-in accepts only the state this cookie holds (`continues` in http/route.ts), so the
 * state string alone, seen in a log or a leaked response, completes nothing elsewhere.
 */
export function setPendingCookie(ctx: KeywardContext, c: Context<HttpEnv>, state: string): void {
  const maxAgeSeconds = Math.ceil(ctx.config.twoFactor.pendingWithin / 1000);
  c.header("Set-Cookie", ctx.cookies.set("pending", state, maxAgeSeconds), { append: true });
}

/** The pending sign-in this browser holds (its pending cookie), as the caller read it. */
export function pendingState(ctx: KeywardContext, c: Context<HttpEnv>): string | undefined {
  return callerOf(ctx, c).heldPending;
}

function clearPendingCookie(ctx: KeywardContext, c: Context<HttpEnv>): void {
  if (pendingState(ctx, c) === undefined) return;
  c.header("Set-Cookie", ctx.cookies.clear("pending"), { append: true });
}

/**
 * The answer to any sign-in step: a session, or the second factor still owed. A browser gets
 * cookies (the session, or the pending state, and the remember-this-device cookie when the
 * user asked for it after a second factor); a bearer client gets tokens in the body (the
 * session's, or the pending token it must send back as its bearer to continue). An HTML form
 * is redirected instead: to `next` (or the app's home) when signed in, to the second-factor
 * page when a second factor is owed.
 */
export function signInResponse(ctx: KeywardContext, c: Context<HttpEnv>, outcome: SignInOutcome) {
  const bearer = callerOf(ctx, c).carrier === "bearer";
  const html = !bearer && wantsHtml(c);
  if (outcome.kind === "second-factor") {
    if (!bearer) setPendingCookie(ctx, c, outcome.state);
    if (html) {
      const next = nextOf(c);
      const query = next ? `?next=${encodeURIComponent(next)}` : "";
      return seeOther(c, `${ctx.config.prefix}/tf-select${query}`);
    }
    // No method yet under `twoFactor.required`: the client must enrol one with this state,
    // with one of `setupMethods`.
    const setupRequired = outcome.methods.length === 0;
    return c.json({
      twoFactorRequired: true,
      methods: outcome.methods,
      state: outcome.state,
      ...(setupRequired ? { setupRequired, setupMethods: outcome.setupMethods ?? [] } : {}),
      ...(outcome.pendingToken !== undefined ? { pendingToken: outcome.pendingToken } : {}),
    });
  }
  const delivered = deliverSession(ctx, c, outcome.token, outcome.session);
  if (!bearer) clearPendingCookie(ctx, c);
  // A remembered device is a browser cookie: a bearer client is never offered one.
  if (outcome.remembered && !bearer) {
    const { token, expiresAt } = outcome.remembered;
    const maxAgeSeconds = (expiresAt - ctx.clock.now()) / 1000;
    c.header("Set-Cookie", ctx.cookies.set("remember", token, maxAgeSeconds), { append: true });
  }
  if (html) {
    return seeOther(c, nextOf(c) ?? siteOf(ctx).home);
  }
  return c.json({ user: outcome.user, session: sessionView(ctx, outcome.session), ...delivered });
}

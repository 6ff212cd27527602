import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { SignInOutcome } from "../factors/two-factor.js";
import type { HttpEnv } from "./env.js";
import { nextOf, seeOther, siteOf, wantsHtml } from "./negotiate.js";
import { sessionView, setSessionCookie } from "./session-cookie.js";

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

export function pendingState(ctx: KeywardContext, c: Context<HttpEnv>): string | undefined {
  const value = ctx.cookies.read(c.req.header("cookie"), "pending");
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
}

function clearPendingCookie(ctx: KeywardContext, c: Context<HttpEnv>): void {
  if (ctx.cookies.read(c.req.header("cookie"), "pending") === undefined) return;
  c.header("Set-Cookie", ctx.cookies.clear("pending"), { append: true });
}

/**
 * The answer to any sign-in step: a session (cookie set, and the remember-this-device cookie
 * when the user asked for it after a second factor), or the second factor still owed.
 * An HTML form is redirected instead: to `next` (or the app's home) when signed in, to the
 * second-factor page when a second factor is owed.
 */
export function signInResponse(ctx: KeywardContext, c: Context<HttpEnv>, outcome: SignInOutcome) {
  const html = wantsHtml(c);
  if (outcome.kind === "second-factor") {
    setPendingCookie(ctx, c, outcome.state);
    if (html) {
      const next = nextOf(c);
      const query = next ? `?next=${encodeURIComponent(next)}` : "";
      return seeOther(c, `${ctx.config.prefix}/tf-select${query}`);
    }
    // No method yet under `twoFactor.required`: the client must enrol one with this state.
    const setupRequired = outcome.methods.length === 0;
    return c.json({
      twoFactorRequired: true,
      methods: outcome.methods,
      state: outcome.state,
      ...(setupRequired ? { setupRequired } : {}),
    });
  }
  setSessionCookie(ctx, c, outcome.token, outcome.session);
  clearPendingCookie(ctx, c);
  if (outcome.remembered) {
    const { token, expiresAt } = outcome.remembered;
    const maxAgeSeconds = (expiresAt - ctx.clock.now()) / 1000;
    c.header("Set-Cookie", ctx.cookies.set("remember", token, maxAgeSeconds), { append: true });
  }
  if (html) {
    return seeOther(c, nextOf(c) ?? siteOf(ctx).home);
  }
  return c.json({ user: outcome.user, session: sessionView(ctx, outcome.session) });
}

import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { SignInOutcome } from "../factors/two-factor.js";
import type { HttpEnv } from "./env.js";
import { nextOf, seeOther, siteOf, wantsHtml } from "./negotiate.js";
import { sessionView, setSessionCookie } from "./session-cookie.js";

/**
 * For HTML forms only: the pending second-factor state rides in a cookie ("pending") from the
 * password form to the second-factor pages (JSON clients get it in the body and keep it).
 */
const PENDING_MAX_AGE_SECONDS = 5 * 60;

export function setPendingCookie(ctx: KeywardContext, c: Context<HttpEnv>, state: string): void {
  c.header("Set-Cookie", ctx.cookies.set("pending", state, PENDING_MAX_AGE_SECONDS), {
    append: true,
  });
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
 * The answer to any sign-in step: a session (cookie set), or the second factor still owed.
 * An HTML form is redirected instead: to `next` (or the app's home) when signed in, to the
 * second-factor page when a second factor is owed.
 */
export function signInResponse(ctx: KeywardContext, c: Context<HttpEnv>, outcome: SignInOutcome) {
  const html = wantsHtml(c);
  if (outcome.kind === "second-factor") {
    if (html) {
      setPendingCookie(ctx, c, outcome.state);
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
  if (html) {
    clearPendingCookie(ctx, c);
    return seeOther(c, nextOf(c) ?? siteOf(ctx).home);
  }
  return c.json({ user: outcome.user, session: sessionView(ctx, outcome.session) });
}

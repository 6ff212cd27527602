import type { Context } from "hono";
import type { KeywardContext } from "../context.js";
import type { SignInOutcome } from "../factors/two-factor.js";
import type { HttpEnv } from "./env.js";
import { sessionView, setSessionCookie } from "./session-cookie.js";

/** The answer to any sign-in step: a session (cookie set), or the second factor still owed. */
export function signInResponse(ctx: KeywardContext, c: Context<HttpEnv>, outcome: SignInOutcome) {
  if (outcome.kind === "second-factor") {
    return c.json({ twoFactorRequired: true, methods: outcome.methods, state: outcome.state });
  }
  setSessionCookie(ctx, c, outcome.token, outcome.session);
  return c.json({ user: outcome.user, session: sessionView(ctx, outcome.session) });
}

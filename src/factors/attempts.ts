import type { KeywardContext } from "../context.js";
import { clientSubject } from "../core/client-subject.js";
import { hashToken } from "../core/ids.js";
import { type LimitCheck, type Reservation, reserveAttempt } from "../core/rate-limit.js";

/** What is being limited: guessing codes, or making the server send one (SMS costs money). */
export type LimitedAction = "attempt" | "send";

/**
 * Counts one `action` for this user and this IP and refuses it past either limit, with
 * RATE_LIMITED and the seconds until the window ends (the HTTP layer sends Retry-After).
 * The attempt is reserved before the code is checked, and it keeps its reservation right or
 * wrong (docs/two-factor.md): a right code ends the sign-in, so there is nothing to refund.
 * The one refund is an app's approval asked for too early (factors/two-factor.ts): a poll
 * guesses nothing.
 */
export async function limitAttempts(
  ctx: KeywardContext,
  action: LimitedAction,
  who: (
    | { userId: string }
    /**
     * A sign-in by code (account/code-signin.ts), before anyone may learn whose account it
     * is: counted against the identity asked for (its hash), known or not, in the user's stead.
     */
    | { identity: string }
  ) & { ip: string | null; destination?: string },
): Promise<Reservation> {
  const { rateLimits } = ctx.config;
  const [perUser, perIp] =
    action === "attempt"
      ? [rateLimits.secondFactorPerUser, rateLimits.secondFactorPerIp]
      : [rateLimits.codeSendsPerUser, rateLimits.codeSendsPerIp];
  const userId = "userId" in who ? who.userId : null;
  // A code sign-in counts apart: what it counts must not depend on whether the account
  // exists, and the code it sends (for an account) is counted again as any code is.
  const prefix = userId !== null ? `tf-${action}` : `code-signin-${action}`;
  const subject = "userId" in who ? `user:${who.userId}` : `identity:${who.identity}`;
  const checks: LimitCheck<"user" | "ip" | "destination">[] = [
    { scope: "user", key: `${prefix}:${subject}`, limit: perUser },
  ];
  // A number or mailbox receives at most as many codes as one user may ask for, however many
  // accounts ask: no account can be used to spam someone else's phone.
  if (who.destination !== undefined) {
    checks.push({
      scope: "destination",
      key: `${prefix}:destination:${hashToken(who.destination)}`,
      limit: rateLimits.codeSendsPerUser,
    });
  }
  if (who.ip !== null)
    checks.push({
      scope: "ip",
      key: `${prefix}:ip:${clientSubject(who.ip, rateLimits.ipv6Prefix)}`,
      limit: perIp,
    });

  return reserveAttempt(ctx.store.rateLimits, rateLimits.window, checks, {
    now: ctx.clock.now(),
    message: (seconds) =>
      action === "attempt"
        ? `Too many codes tried; try again in ${seconds} seconds.`
        : `Too many codes sent; try again in ${seconds} seconds.`,
    onFirstRefusal: (scope) =>
      ctx.record("two-factor.rate-limited", { userId, ip: who.ip }, { action, scope }),
  });
}

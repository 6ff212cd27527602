import type { KeywardContext } from "../context.js";
import { clientSubject } from "../core/client-subject.js";
import { hashToken } from "../core/ids.js";
import { type LimitCheck, reserveAttempt } from "../core/rate-limit.js";

/** What is being limited: guessing codes, or making the server send one (SMS costs money). */
export type LimitedAction = "attempt" | "send";

/**
 * Counts one `action` for this user and this IP and refuses it past either limit, with
 * RATE_LIMITED and the seconds until the window ends (the HTTP layer sends Retry-After).
 * The attempt is reserved before the code is checked, and it keeps its reservation right or
 * wrong (docs/two-factor.md): a right code ends the sign-in, so there is nothing to refund.
 */
export async function limitAttempts(
  ctx: KeywardContext,
  action: LimitedAction,
  who: { userId: string; ip: string | null; destination?: string },
): Promise<void> {
  const { rateLimits } = ctx.config;
  const [perUser, perIp] =
    action === "attempt"
      ? [rateLimits.secondFactorPerUser, rateLimits.secondFactorPerIp]
      : [rateLimits.codeSendsPerUser, rateLimits.codeSendsPerIp];
  const checks: LimitCheck<"user" | "ip" | "destination">[] = [
    { scope: "user", key: `tf-${action}:user:${who.userId}`, limit: perUser },
  ];
  // A number or mailbox receives at most as many codes as one user may ask for, however many
  // accounts ask: no account can be used to spam someone else's phone.
  if (who.destination !== undefined) {
    checks.push({
      scope: "destination",
      key: `tf-${action}:destination:${hashToken(who.destination)}`,
      limit: rateLimits.codeSendsPerUser,
    });
  }
  if (who.ip !== null)
    checks.push({
      scope: "ip",
      key: `tf-${action}:ip:${clientSubject(who.ip, rateLimits.ipv6Prefix)}`,
      limit: perIp,
    });

  await reserveAttempt(ctx.store.rateLimits, rateLimits.window, checks, {
    now: ctx.clock.now(),
    message: (seconds) =>
      action === "attempt"
        ? `Too many codes tried; try again in ${seconds} seconds.`
        : `Too many codes sent; try again in ${seconds} seconds.`,
    onFirstRefusal: (scope) =>
      ctx.record("two-factor.rate-limited", { userId: who.userId, ip: who.ip }, { action, scope }),
  });
}

import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";

/** What is being limited: guessing codes, or making the server send one (SMS costs money). */
export type LimitedAction = "attempt" | "send";

/**
 * Counts one `action` for this user and this IP and refuses it past either limit, with
 * RATE_LIMITED and the seconds until the window ends (the HTTP layer sends Retry-After).
 * Every attempt counts, right or wrong: counting only failures would let parallel guesses
 * slip in between the check and the count.
 */
export async function limitAttempts(
  ctx: KeywardContext,
  action: LimitedAction,
  who: { userId: string; ip: string | null },
): Promise<void> {
  const { rateLimits } = ctx.config;
  const [perUser, perIp] =
    action === "attempt"
      ? [rateLimits.secondFactorPerUser, rateLimits.secondFactorPerIp]
      : [rateLimits.codeSendsPerUser, rateLimits.codeSendsPerIp];
  const checks: { scope: "user" | "ip"; key: string; limit: number }[] = [
    { scope: "user", key: `tf-${action}:user:${who.userId}`, limit: perUser },
  ];
  if (who.ip !== null) checks.push({ scope: "ip", key: `tf-${action}:ip:${who.ip}`, limit: perIp });

  let refusedUntil = 0;
  for (const check of checks) {
    const { count, resetAt } = await ctx.store.rateLimits.hit(check.key, rateLimits.window);
    if (count <= check.limit) continue;
    refusedUntil = Math.max(refusedUntil, resetAt);
    // Only the first refusal in a window is an event: an attacker must not flood the audit log.
    if (count === check.limit + 1) {
      await ctx.events.record(
        ctx.store.events,
        "two-factor.rate-limited",
        { userId: who.userId, ip: who.ip },
        { action, scope: check.scope },
      );
    }
  }
  if (refusedUntil > 0) {
    const retryAfterSeconds = Math.max(1, Math.ceil((refusedUntil - ctx.clock.now()) / 1000));
    throw new KeywardError(
      ErrorCode.RATE_LIMITED,
      action === "attempt"
        ? `Too many codes tried; try again in ${retryAfterSeconds} seconds.`
        : `Too many codes sent; try again in ${retryAfterSeconds} seconds.`,
      { retryAfterSeconds },
    );
  }
}

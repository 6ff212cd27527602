import type { RateLimiter } from "../store/store.js";
import { ErrorCode, KeywardError } from "./errors.js";

/** One counter to check: a scope (for the audit event), its key and its limit per window. */
export interface LimitCheck<Scope extends string> {
  scope: Scope;
  key: string;
  limit: number;
}

/** RATE_LIMITED until `until`, with the seconds to wait (the HTTP layer sends Retry-After). */
export function rateLimited(
  until: number,
  now: number,
  message: (seconds: number) => string,
): KeywardError {
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
  return new KeywardError(ErrorCode.RATE_LIMITED, message(retryAfterSeconds), {
    retryAfterSeconds,
  });
}

/**
 * Counts one hit on every check and refuses when any is past its limit. `onFirstRefusal` runs
 * once per counter and window (the hit just past the limit), so an attacker cannot flood the
 * audit log with refusals.
 */
export async function countAndLimit<Scope extends string>(
  limiter: RateLimiter,
  windowMs: number,
  checks: LimitCheck<Scope>[],
  options: {
    now: number;
    message: (seconds: number) => string;
    onFirstRefusal: (scope: Scope) => Promise<void>;
  },
): Promise<void> {
  let refusedUntil = 0;
  for (const check of checks) {
    const { count, resetAt } = await limiter.hit(check.key, windowMs);
    if (count <= check.limit) continue;
    refusedUntil = Math.max(refusedUntil, resetAt);
    if (count === check.limit + 1) await options.onFirstRefusal(check.scope);
  }
  if (refusedUntil > 0) throw rateLimited(refusedUntil, options.now, options.message);
}

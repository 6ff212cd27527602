import { ErrorCode, KeywardError } from "./errors.js";

export interface RateLimitCount {
  /** Hits in the current window, this one included. */
  count: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
}

/**
 * Fixed-window counters shared by every instance. The store implements them: a table in SQL,
 * Lua scripts in Redis, or process memory.
 */
export interface RateLimiter {
  /**
   * True when the counters are rows of the SQL database: the limiter a transaction sees
   * (`tx.ceremonyCounters`, `tx.rateLimits`) then writes in that transaction, so a refund can
   * commit with the work it was reserved for instead of on its own.
   */
  readonly inTransactions?: boolean;
  /** Counts one hit on `key` in the current window of `windowMs`, atomically. */
  hit(key: string, windowMs: number): Promise<RateLimitCount>;
  /**
   * Takes back one hit on `key` in the window that ends at `resetAt` (the window `hit`
   * answered), atomically: never below 0, and never in a later window.
   */
  refund(key: string, resetAt: number): Promise<void>;
  /** The hits on `key` in the current window, without counting one. */
  peek(key: string, windowMs: number): Promise<RateLimitCount>;
  deleteExpired(now: number): Promise<number>;
}

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

/** An attempt counted on every counter of a check, before the work it limits. */
export interface Reservation {
  /**
   * Takes the attempt back from every counter (in the window it was counted in), for limits
   * that count failures only: the caller refunds once the attempt succeeded. At most once.
   * `within` is the same counters as a transaction sees them (limiters `inTransactions`): the
   * refund then commits with that transaction's writes, or not at all; if the transaction
   * fails, call `refund()` again to take the attempt back on its own.
   */
  refund(within?: RateLimiter): Promise<void>;
}

/** Everything a reservation needs, before any counter is hit (see `reserveAttempt`). */
export interface AttemptPlan<Scope extends string> {
  limiter: RateLimiter;
  windowMs: number;
  checks: LimitCheck<Scope>[];
  options: {
    now: number;
    message: (seconds: number) => string;
    onFirstRefusal: (scope: Scope) => Promise<void>;
  };
}

/**
 * Reserves one attempt on every check, each with one atomic store operation (the store's
 * `hit`), and refuses when any is past its limit, before the caller does any of the work the
 * limit protects. Because the count comes first, N parallel attempts get N distinct counts and
 * at most `limit` of them pass; peeking first and counting after the work would let them all
 * through. A refused attempt stays counted (it does not extend the fixed window).
 * `onFirstRefusal` runs once per counter and window (the hit just past the limit), so an
 * attacker cannot flood the audit log with refusals.
 *
 * @example
 * const attempt = await reserveAttempt(limiter, 900_000, checks, options);
 * if (!(await checkPassword())) throw invalid(); // the failure keeps its reservation
 * await attempt.refund(); // only failures count
 */
export async function reserveAttempt<Scope extends string>(
  limiter: RateLimiter,
  windowMs: number,
  checks: LimitCheck<Scope>[],
  options: AttemptPlan<Scope>["options"],
): Promise<Reservation> {
  const counted: RateLimitCount[] = await Promise.all(
    checks.map((check) => limiter.hit(check.key, windowMs)),
  );
  return judgeAttempt({ limiter, windowMs, checks, options }, counted);
}

/**
 * The second half of `reserveAttempt`, for a store that counted the hits itself (with other
 * work, in one statement): `counted[i]` is the hit on `plan.checks[i]`. Refuses when any count
 * is past its limit; otherwise the reservation, refunded through `plan.limiter`.
 */
export async function judgeAttempt<Scope extends string>(
  plan: AttemptPlan<Scope>,
  counted: RateLimitCount[],
): Promise<Reservation> {
  const { limiter, checks, options } = plan;
  let refusedUntil = 0;
  for (const [index, check] of checks.entries()) {
    const { count, resetAt } = counted[index]!;
    if (count <= check.limit) continue;
    refusedUntil = Math.max(refusedUntil, resetAt);
    if (count === check.limit + 1) await options.onFirstRefusal(check.scope);
  }
  if (refusedUntil > 0) throw rateLimited(refusedUntil, options.now, options.message);
  let refunded: "no" | "within" | "yes" = "no";
  return {
    async refund(within) {
      if (refunded === "yes" || (within !== undefined && refunded === "within")) return;
      refunded = within === undefined ? "yes" : "within";
      const counters = within ?? limiter;
      await Promise.all(
        checks.map((check, index) => counters.refund(check.key, counted[index]!.resetAt)),
      );
    },
  };
}

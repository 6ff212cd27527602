import type { KeywardContext } from "../context.js";
import { clientSubject } from "../core/client-subject.js";
import { hashToken } from "../core/ids.js";
import {
  type AttemptPlan,
  type LimitCheck,
  type Reservation,
  reserveAttempt,
} from "../core/rate-limit.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";

/** Who is trying: the account when it is known, else the identity typed; and the client IP. */
export interface SignInSource {
  /** What is checked: a password (durable counters) or a key's signature (per ceremony). */
  kind: "password" | "key";
  /** The account the attempt is for, when it resolves: every identity of it shares a budget. */
  userId?: string | undefined;
  /** The identity typed at a password sign-in, when it names no account. */
  identity?: string | undefined;
  ip: string | null;
}

function checksFor(ctx: KeywardContext, who: SignInSource): LimitCheck<"account" | "ip">[] {
  const limits = ctx.config.rateLimits;
  const checks: LimitCheck<"account" | "ip">[] = [];
  // By user id when the identity resolves, so email and username are one budget; otherwise by
  // the normalised identity, so unknown and known identities lock alike (no enumeration). The
  // key holds an id or a hash, never the address.
  if (who.userId !== undefined) {
    checks.push({
      scope: "account",
      key: `signin-fail:user:${who.userId}`,
      limit: limits.signinFailuresPerAccount,
    });
  } else if (who.identity !== undefined) {
    const normalised = isEmail(who.identity)
      ? normaliseEmail(who.identity)
      : normaliseUsername(who.identity);
    checks.push({
      scope: "account",
      key: `signin-fail:identity:${hashToken(normalised)}`,
      limit: limits.signinFailuresPerAccount,
    });
  }
  if (who.ip !== null) {
    checks.push({
      scope: "ip",
      key: `signin-fail:ip:${clientSubject(who.ip, limits.ipv6Prefix)}`,
      limit: limits.signinFailuresPerIp,
    });
  }
  return checks;
}

/**
 * Reserves one sign-in attempt (a password check at any door, or a key's signature check) on
 * the account's and the IP's counters before the work is done, and refuses it with
 * RATE_LIMITED when either is past its limit. The caller refunds the reservation when the
 * attempt succeeds: only failures count, so people who sign in often are never locked out by
 * their own successes, and N parallel wrong guesses are checked at most `limit` times.
 */
export function reserveSignInAttempt(ctx: KeywardContext, who: SignInSource): Promise<Reservation> {
  const { limiter, windowMs, checks, options } = signInAttempt(ctx, who);
  return reserveAttempt(limiter, windowMs, checks, options);
}

/**
 * What `reserveSignInAttempt` reserves, without reserving it: for a store that counts it with
 * other work in one statement (a key's attempt with its ceremony state, `reserveAndConsume`).
 */
export function signInAttempt(
  ctx: KeywardContext,
  who: SignInSource,
): AttemptPlan<"account" | "ip"> {
  // A key's signature check spent a ceremony state: its counter lives with the states (in
  // memory on embedded SQLite, so the sign-in hot path writes no counter to SQL); a password
  // failure's survives a restart.
  return {
    limiter: who.kind === "key" ? ctx.store.ceremonyCounters : ctx.store.rateLimits,
    windowMs: ctx.config.rateLimits.window,
    checks: checksFor(ctx, who),
    options: {
      now: ctx.clock.now(),
      message: (seconds) => `Too many failed sign-ins; try again in ${seconds} seconds.`,
      onFirstRefusal: (scope) =>
        ctx.record(
          "account.rate-limited",
          { userId: who.userId ?? null, ip: who.ip },
          { action: "signin", scope },
        ),
    },
  };
}

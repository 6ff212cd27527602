import type { KeywardContext } from "../context.js";
import { hashToken } from "../core/ids.js";
import { rateLimited } from "../core/rate-limit.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";

export interface SigninSource {
  /** The identity typed at a password sign-in, known or not. */
  identity?: string;
  ip: string | null;
}

interface Counter {
  key: string;
  limit: number;
}

function countersFor(ctx: KeywardContext, who: SigninSource): Counter[] {
  const limits = ctx.config.rateLimits;
  const counters: Counter[] = [];
  if (who.identity !== undefined) {
    const normalised = isEmail(who.identity)
      ? normaliseEmail(who.identity)
      : normaliseUsername(who.identity);
    // Counted by identity, not user: unknown and known accounts lock alike (no enumeration),
    // and the key holds a hash, not the address.
    counters.push({
      key: `signin-fail:account:${hashToken(normalised)}`,
      limit: limits.signinFailuresPerAccount,
    });
  }
  if (who.ip !== null)
    counters.push({ key: `signin-fail:ip:${who.ip}`, limit: limits.signinFailuresPerIp });
  return counters;
}

/**
 * Refuses a sign-in attempt once this account or IP has failed too often in the current window,
 * before any password is hashed or signature checked. Only failures count, so people who
 * sign in often are never locked out by their own successes.
 */
export async function refuseIfSigninLimited(ctx: KeywardContext, who: SigninSource): Promise<void> {
  let until = 0;
  for (const counter of countersFor(ctx, who)) {
    const { count, resetAt } = await ctx.store.rateLimits.peek(
      counter.key,
      ctx.config.rateLimits.window,
    );
    if (count >= counter.limit) until = Math.max(until, resetAt);
  }
  if (until > 0) {
    throw rateLimited(
      until,
      ctx.clock.now(),
      (seconds) => `Too many failed sign-ins; try again in ${seconds} seconds.`,
    );
  }
}

/** Counts one failed sign-in for this account and IP. */
export async function countSigninFailure(ctx: KeywardContext, who: SigninSource): Promise<void> {
  for (const counter of countersFor(ctx, who)) {
    await ctx.store.rateLimits.hit(counter.key, ctx.config.rateLimits.window);
  }
}

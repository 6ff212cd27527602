import type { KeywardContext } from "../context.js";

export interface CleanupResult {
  ceremonies: number;
  sessions: number;
  oneTimeCodes: number;
  rateLimits: number;
  accountTokens: number;
}

/**
 * Deletes what has expired: ceremony states, sessions past their lifetime or idle timeout,
 * one-time codes, finished rate-limit windows and account tokens (links in emails). Expired rows are already refused when read;
 * this keeps tables small. Schedule it (e.g. hourly) or run `keyward cleanup`. With Redis,
 * the ephemeral kinds expire by themselves and count 0 here.
 */
export async function cleanupExpired(
  ctx: Pick<KeywardContext, "store" | "clock" | "config">,
): Promise<CleanupResult> {
  const now = ctx.clock.now();
  const { store } = ctx;
  return {
    ceremonies: await store.ceremonies.deleteExpired(now),
    sessions: await store.sessions.deleteExpired(now, now - ctx.config.session.idleTimeout),
    oneTimeCodes: await store.oneTimeCodes.deleteExpired(now),
    // Start counters are rate-limit counters too (the same ones, except in process memory).
    rateLimits:
      (await store.rateLimits.deleteExpired(now)) +
      (await store.ceremonyCounters.deleteExpired(now)),
    accountTokens: await store.accountTokens.deleteExpired(now),
  };
}

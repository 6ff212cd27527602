import type { KeywardContext } from "../context.js";

export interface CleanupResult {
  ceremonies: number;
  sessions: number;
}

/**
 * Deletes what has expired: ceremony states and sessions past their lifetime or idle timeout.
 * Expired rows are already refused when read; this keeps tables small. Schedule it (e.g.
 * hourly) or run `keyward cleanup`.
 */
export async function cleanupExpired(
  ctx: Pick<KeywardContext, "store" | "clock" | "config">,
): Promise<CleanupResult> {
  const now = ctx.clock.now();
  const ceremonies = await ctx.store.ceremonies.deleteExpired(now);
  const sessions = await ctx.store.sessions.deleteExpired(
    now,
    now - ctx.config.session.idleTimeout,
  );
  return { ceremonies, sessions };
}

import type { RateLimiter } from "../store.js";
import { ExpiringMap } from "./expiring-map.js";

interface Counter {
  count: number;
  /** The window's end; the counter is dropped then. */
  expiresAt: number;
}

/**
 * Fixed-window counters in this process's memory, for what lives here too: counting ceremony
 * starts in SQL would add a write to every sign-in that memory keeps out of SQL, and a restart
 * forgets the counters together with the states they bound. At the cap the oldest counter
 * goes, which lifts one client's limit but never touches a user's state (see ceremonies.ts).
 */
export function memoryRateLimits(now: () => number, limit: number): RateLimiter {
  const counters = new ExpiringMap<Counter>(now, limit);
  // Windows are aligned to the epoch, as in SQL and Redis.
  const windowEnd = (windowMs: number) => (Math.floor(now() / windowMs) + 1) * windowMs;
  const current = (key: string) => {
    const counter = counters.get(key);
    return counter && counter.expiresAt > now() ? counter : undefined;
  };
  return {
    async hit(key, windowMs) {
      const counter = current(key);
      if (counter) {
        counter.count += 1;
        return { count: counter.count, resetAt: counter.expiresAt };
      }
      const resetAt = windowEnd(windowMs);
      counters.set(key, { count: 1, expiresAt: resetAt });
      return { count: 1, resetAt };
    },
    async refund(key, resetAt) {
      // Only the window the hit was counted in: a late refund never takes from the next one.
      const counter = current(key);
      if (counter && counter.expiresAt === resetAt && counter.count > 0) counter.count -= 1;
    },
    async peek(key, windowMs) {
      const counter = current(key);
      return counter
        ? { count: counter.count, resetAt: counter.expiresAt }
        : { count: 0, resetAt: windowEnd(windowMs) };
    },
    async deleteExpired(at) {
      return counters.deleteExpired(at);
    },
  };
}

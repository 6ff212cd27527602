import type { OneTimeCode, OneTimeCodeRepo } from "../store.js";
import { ExpiringMap } from "./expiring-map.js";

/**
 * SMS/email codes in this process's memory, keyed by the state they were sent for (so that is
 * their id): a resend replaces the code, deleting makes taking it single-use.
 */
export function memoryOneTimeCodes(
  now: () => number,
  limit: number,
  fallback: OneTimeCodeRepo,
): OneTimeCodeRepo {
  const held = new ExpiringMap<OneTimeCode>(now, limit);
  return {
    async put(code) {
      held.set(code.boundTo, { ...code, id: code.boundTo, attempts: 0 });
    },
    async find(boundTo) {
      const code = held.get(boundTo);
      return code ? { ...code } : undefined;
    },
    async countAttempt(id, maxAttempts) {
      const code = held.get(id);
      if (!code) return false;
      code.attempts += 1;
      return code.attempts <= maxAttempts;
    },
    async take(id) {
      return held.delete(id);
    },
    async deleteExpired(at) {
      return held.deleteExpired(at) + (await fallback.deleteExpired(at));
    },
  };
}

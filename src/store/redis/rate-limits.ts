import type { Redis } from "ioredis";
import type { RateLimiter } from "../store.js";

// INCR and set the window's end in one script: the first hit of a window sets its expiry,
// so every instance counts in the same, epoch-aligned window.
const HIT = `
local count = redis.call("INCR", KEYS[1])
if count == 1 then redis.call("PEXPIREAT", KEYS[1], ARGV[1]) end
return count
`;

// A refund names the window it takes the hit back from (its end is part of the key), so it
// never reaches into a later one; DECR only a key that exists and is above 0, in one script.
const REFUND = `
local count = tonumber(redis.call("GET", KEYS[1]) or "0")
if count > 0 then redis.call("DECR", KEYS[1]) end
return 0
`;

/** Rate-limit counters in Redis, shared by every instance; Redis expires old windows. */
export function redisRateLimits(redis: Redis, keyPrefix: string, now: () => number): RateLimiter {
  return {
    async hit(key, windowMs) {
      const resetAt = (Math.floor(now() / windowMs) + 1) * windowMs;
      const redisKey = `${keyPrefix}rate:${key}:${resetAt}`;
      const count = (await redis.eval(HIT, 1, redisKey, String(resetAt + 1_000))) as number;
      return { count: Number(count), resetAt };
    },
    async refund(key, resetAt) {
      await redis.eval(REFUND, 1, `${keyPrefix}rate:${key}:${resetAt}`);
    },
    async peek(key, windowMs) {
      const resetAt = (Math.floor(now() / windowMs) + 1) * windowMs;
      const count = await redis.get(`${keyPrefix}rate:${key}:${resetAt}`);
      return { count: Number(count ?? 0), resetAt };
    },
    async deleteExpired() {
      return 0;
    },
  };
}

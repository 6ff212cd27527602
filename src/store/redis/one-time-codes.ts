import type { Redis } from "ioredis";
import type { NewOneTimeCode, OneTimeCode, OneTimeCodeRepo } from "../store.js";

// Count an attempt only while the code exists and has attempts left, atomically.
const COUNT_ATTEMPT = `
if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
local attempts = redis.call("HINCRBY", KEYS[1], "attempts", 1)
if attempts > tonumber(ARGV[1]) then return 0 end
return 1
`;

/**
 * SMS/email codes in Redis, keyed by the state they were sent for (so the id is that key):
 * a resend replaces the code, DEL makes taking it single-use, Redis expires it.
 */
export function redisOneTimeCodes(
  redis: Redis,
  keyPrefix: string,
  now: () => number,
): OneTimeCodeRepo {
  const key = (boundTo: string) => `${keyPrefix}code:${boundTo}`;
  return {
    async put(code: NewOneTimeCode) {
      const k = key(code.boundTo);
      await redis
        .multi()
        .del(k)
        .hset(k, {
          userId: code.userId,
          channel: code.channel,
          codeHash: code.codeHash,
          destination: code.destination,
          attempts: "0",
          expiresAt: String(code.expiresAt),
        })
        .pexpire(k, Math.max(1, code.expiresAt - now()) + 60_000)
        .exec();
    },
    async find(boundTo) {
      const fields = await redis.hgetall(key(boundTo));
      if (!fields.codeHash) return undefined;
      const code: OneTimeCode = {
        id: boundTo,
        userId: fields.userId ?? "",
        boundTo,
        channel: fields.channel === "email" ? "email" : "sms",
        codeHash: fields.codeHash,
        destination: fields.destination ?? "",
        attempts: Number(fields.attempts ?? 0),
        expiresAt: Number(fields.expiresAt ?? 0),
      };
      return code;
    },
    async countAttempt(id, maxAttempts) {
      return (await redis.eval(COUNT_ATTEMPT, 1, key(id), String(maxAttempts))) === 1;
    },
    async take(id) {
      return (await redis.del(key(id))) === 1;
    },
    async deleteExpired() {
      return 0;
    },
  };
}

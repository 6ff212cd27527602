import { Redis } from "ioredis";

/**
 * A Redis client that fails fast instead of queueing: while Redis is down, commands error at
 * once (→ 503 STORE_UNAVAILABLE) and the client keeps reconnecting in the background, so the
 * service recovers without a restart.
 */
export function connectRedis(url: string): Redis {
  const redis = new Redis(url, {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
    // Commands issued in one turn of the event loop (a sign-in's counter and state, and other
    // requests' commands) go to Redis in one write instead of one each.
    enableAutoPipelining: true,
  });
  // Connection errors surface on the commands that need Redis; the event would crash otherwise.
  redis.on("error", () => {});
  return redis;
}

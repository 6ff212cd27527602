import type { KeywardConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { HEALTH_TIMEOUT_MS } from "./kysely/connect.js";
import { guarded } from "./kysely/faults.js";
import { openKyselyStore } from "./kysely/index.js";
import { withEphemeralInMemory } from "./memory/index.js";
import type { Store } from "./store.js";

/** What a health check found, per backing service. */
export interface HealthReport {
  database: "ok" | "unavailable";
  /** Absent without Redis. */
  redis?: "ok" | "unavailable";
}

export interface OpenedStore {
  store: Store;
  /**
   * Checks every backing service at once, each given at most HEALTH_TIMEOUT_MS (about a
   * second), whatever the request pool's state; never throws.
   */
  health(): Promise<HealthReport>;
}

/** "ok" when `check` succeeds within the health timeout; "unavailable" otherwise. */
async function within(check: () => Promise<unknown>): Promise<"ok" | "unavailable"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"unavailable">((resolve) => {
    timer = setTimeout(() => resolve("unavailable"), HEALTH_TIMEOUT_MS);
  });
  const answered = check().then(
    () => "ok" as const,
    () => "unavailable" as const,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}

const DEFAULT_KEY_PREFIX = "keyward:";

/**
 * A redis:// URL may carry `?prefix=…` for Keyward's keys (default "keyward:"), so several
 * apps or environments can share one Redis; the parameter is not passed on to the client.
 */
function redisTarget(url: string): { url: string; keyPrefix: string } {
  const parsed = new URL(url);
  const keyPrefix = parsed.searchParams.get("prefix") ?? DEFAULT_KEY_PREFIX;
  parsed.searchParams.delete("prefix");
  return { url: parsed.toString(), keyPrefix };
}

/**
 * Durable data in SQL; with `redis` configured, ephemeral state (ceremonies, one-time codes,
 * rate-limit counters) in Redis so that
 * every instance shares it. Without Redis the SQL store gives the same guarantees.
 */
export async function openStore(config: KeywardConfig, clock: Clock): Promise<OpenedStore> {
  if (!config.redis) {
    const store = await openKyselyStore(config.database, {
      clock,
      migrate: config.migrate,
      poolWaitMs: config.databasePoolWait,
    });
    const inMemory =
      config.ephemeral === "memory" ||
      (config.ephemeral === "auto" && config.database.startsWith("sqlite:"));
    const opened = inMemory
      ? withEphemeralInMemory(store, () => clock.now(), config.ephemeralMemoryLimit)
      : store;
    return {
      store: opened,
      health: async () => ({ database: await within(() => store.ping()) }),
    };
  }
  // Loaded only when configured: the Redis client alone is ~15 MB of resident memory.
  const [{ redisCeremonies }, { connectRedis }, { redisOneTimeCodes }, { redisRateLimits }] =
    await Promise.all([
      import("./redis/ceremonies.js"),
      import("./redis/connect.js"),
      import("./redis/one-time-codes.js"),
      import("./redis/rate-limits.js"),
    ]);
  const target = redisTarget(config.redis);
  const redis = connectRedis(target.url);
  const now = () => clock.now();
  const rateLimits = guarded(redisRateLimits(redis, target.keyPrefix, now));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`redis: ${config.redis} unreachable at start`)),
      5_000,
    );
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  }).catch((error) => {
    redis.disconnect();
    throw error;
  });
  const store = await openKyselyStore(config.database, {
    clock,
    migrate: config.migrate,
    poolWaitMs: config.databasePoolWait,
    ephemeral: {
      ceremonies: guarded(redisCeremonies(redis, target.keyPrefix, now)),
      oneTimeCodes: guarded(redisOneTimeCodes(redis, target.keyPrefix, now)),
      rateLimits,
      ceremonyCounters: rateLimits,
    },
    onClose: async () => {
      redis.disconnect();
    },
  });
  return {
    store,
    async health() {
      const [database, ping] = await Promise.all([
        within(() => store.ping()),
        within(() => redis.ping()),
      ]);
      return { database, redis: ping };
    },
  };
}

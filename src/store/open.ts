import type { KeywardConfig } from "../config/schema.js";
import type { Clock } from "../core/clock.js";
import { StoreUnavailableError } from "../core/errors.js";
import { guarded } from "./kysely/faults.js";
import { openKyselyStore } from "./kysely/index.js";
import { redisCeremonies } from "./redis/ceremonies.js";
import { connectRedis } from "./redis/connect.js";
import type { Store } from "./store.js";

export interface OpenedStore {
  store: Store;
  /** Checks every backing service; throws StoreUnavailableError when one is down. */
  health(): Promise<void>;
}

const REDIS_KEY_PREFIX = "keyward:";

/**
 * Durable data in SQL; with `redis` configured, ephemeral state (ceremonies) in Redis so that
 * every instance shares it. Without Redis the SQL store gives the same guarantees.
 */
export async function openStore(config: KeywardConfig, clock: Clock): Promise<OpenedStore> {
  if (!config.redis) {
    const store = await openKyselyStore(config.database, { clock, migrate: config.migrate });
    return { store, health: () => store.ping() };
  }
  const redis = connectRedis(config.redis);
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
    ephemeral: { ceremonies: guarded(redisCeremonies(redis, REDIS_KEY_PREFIX, () => clock.now())) },
    onClose: async () => {
      redis.disconnect();
    },
  });
  return {
    store,
    async health() {
      await store.ping();
      try {
        await redis.ping();
      } catch (error) {
        throw new StoreUnavailableError(error);
      }
    },
  };
}

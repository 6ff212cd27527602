import type { Store } from "../store.js";
import { memoryCeremonies } from "./ceremonies.js";
import { memoryOneTimeCodes } from "./one-time-codes.js";
import { memoryRateLimits } from "./rate-limits.js";

const ONE_TIME_CODE_LIMIT = 100_000;
// A user holds a few states at once (a pending second factor, a key being registered, a
// step-up); a user starting more pushes out their own oldest, never anyone else's.
const CEREMONIES_PER_HOLDER = 32;

/**
 * `store` with ceremony states and one-time codes held in this process's memory: no SQL write
 * to start a ceremony, none to take it. Rate-limit counters stay in SQL, where no flood can
 * evict them and a restart does not reset them, except the counters of ceremony starts: they
 * bound the states kept here, and live and go with them. The same repositories serve every
 * transaction, as Redis's do: spending a state is never rolled back.
 */
export function withEphemeralInMemory(
  store: Store,
  now: () => number,
  ceremonyLimit: number,
): Store {
  const ceremonies = memoryCeremonies(
    now,
    { limit: ceremonyLimit, perHolder: CEREMONIES_PER_HOLDER },
    store.ceremonies,
  );
  const oneTimeCodes = memoryOneTimeCodes(now, ONE_TIME_CODE_LIMIT, store.oneTimeCodes);
  const ceremonyCounters = memoryRateLimits(now, ceremonyLimit);
  const wrap = (inner: Store): Store => ({
    ...inner,
    ceremonies,
    ceremonyCounters,
    oneTimeCodes,
    transaction: (work) => inner.transaction((trx) => work(wrap(trx))),
  });
  return wrap(store);
}

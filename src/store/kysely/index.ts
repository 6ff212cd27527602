import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { StoreUnavailableError } from "../../core/errors.js";
import type { Store } from "../store.js";
import { kyselyAccountTokens } from "./account-tokens.js";
import { kyselyCeremonies } from "./ceremonies.js";
import { connect, ensurePostgresSchema } from "./connect.js";
import { kyselyCredentials } from "./credentials.js";
import { kyselyEvents, kyselyTransactionEvents } from "./events.js";
import { classifyStoreError, guarded } from "./faults.js";
import { GroupCommit } from "./group-commit.js";
import { migrateToLatest } from "./migrate.js";
import { kyselyOneTimeCodes } from "./one-time-codes.js";
import { kyselyRateLimits } from "./rate-limits.js";
import { kyselyRecoveryCodes } from "./recovery-codes.js";
import type { Database } from "./schema.js";
import { kyselySecondFactors } from "./second-factors.js";
import { kyselySessions } from "./sessions.js";
import { kyselyUsers } from "./users.js";

/** Repositories kept outside SQL (e.g. in Redis); they stay the same inside transactions. */
export type EphemeralRepos = Partial<
  Pick<Store, "ceremonies" | "ceremonyCounters" | "oneTimeCodes" | "rateLimits">
>;

/**
 * The repositories on `db`. Inside a transaction `afterCommit` is set: events written there tell
 * their listeners through it, once the transaction has committed.
 */
function storeOn(
  db: Kysely<Database>,
  dialect: Store["dialect"],
  clock: Clock,
  service: Pick<Store, "ping" | "close">,
  ephemeral: EphemeralRepos,
  afterCommit?: (then: () => void) => void,
): Store {
  const inside = (trx: Kysely<Database>, committed: (then: () => void) => void) =>
    storeOn(trx, dialect, clock, service, ephemeral, committed);
  const batched = dialect === "sqlite" && !afterCommit ? new GroupCommit(db, inside) : undefined;
  // A PostgreSQL transaction writes its events in one statement, before it commits.
  const events = guarded(
    dialect === "postgres" && afterCommit ? kyselyTransactionEvents(db) : kyselyEvents(db),
  );
  const rateLimits = ephemeral.rateLimits ?? guarded(kyselyRateLimits(db, clock));
  const store: Store = {
    dialect,
    users: guarded(kyselyUsers(db, clock)),
    sessions: guarded(kyselySessions(db, clock)),
    // On PostgreSQL whose counters are its own, a state and its counters share a statement.
    ceremonies:
      ephemeral.ceremonies ??
      guarded(
        kyselyCeremonies(
          db,
          dialect === "postgres" && !ephemeral.ceremonyCounters && !ephemeral.rateLimits
            ? clock
            : undefined,
        ),
      ),
    credentials: guarded(kyselyCredentials(db, clock)),
    events: afterCommit ? { ...events, afterCommit } : events,
    secondFactors: guarded(kyselySecondFactors(db)),
    recoveryCodes: guarded(kyselyRecoveryCodes(db, clock)),
    oneTimeCodes: ephemeral.oneTimeCodes ?? guarded(kyselyOneTimeCodes(db, clock)),
    rateLimits,
    ceremonyCounters: ephemeral.ceremonyCounters ?? rateLimits,
    accountTokens: guarded(kyselyAccountTokens(db, clock)),
    async transaction(work) {
      if (afterCommit) return work(store);
      if (batched) return batched.run(work);
      const committed: Array<() => void> = [];
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await db.transaction().execute(async (trx) => {
          const tx = inside(trx, (then) => committed.push(then));
          const value = await work(tx);
          await tx.events.flush?.();
          return value;
        });
      } catch (error) {
        throw classifyStoreError(error);
      }
      for (const then of committed) then();
      return result;
    },
    ping: service.ping,
    close: service.close,
  };
  return store;
}

/** The schema a postgres URL names with `?schema=`, if any. */
function schemaOf(url: string): string | undefined {
  return url.startsWith("postgres")
    ? (new URL(url).searchParams.get("schema") ?? undefined)
    : undefined;
}

export interface OpenStoreOptions {
  clock: Clock;
  /** PostgreSQL: how long a query waits for a pooled connection (config `databasePoolWait`). */
  poolWaitMs?: number;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
  /** Repositories served from elsewhere (Redis) instead of SQL. */
  ephemeral?: EphemeralRepos;
  /** Also closed by store.close(). */
  onClose?: () => Promise<void>;
}

/** Opens the SQL store named by a `sqlite:` or `postgres://` URL, migrating it unless told not to. */
export async function openKyselyStore(url: string, options: OpenStoreOptions): Promise<Store> {
  if (url.startsWith("postgres")) await ensurePostgresSchema(url);
  const connection = await connect(
    url,
    options.poolWaitMs === undefined ? {} : { poolWaitMs: options.poolWaitMs },
  );
  const { db, dialect } = connection;
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db as Kysely<unknown>, schemaOf(url));
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  const close = async () => {
    await connection.close();
    await options.onClose?.();
  };
  const ping = async () => {
    try {
      await connection.ping();
    } catch (error) {
      // Whatever stopped the check, the database did not answer in time: unavailable.
      throw new StoreUnavailableError(error);
    }
  };
  return storeOn(db, dialect, options.clock, { ping, close }, options.ephemeral ?? {});
}

/** Runs pending migrations on a database; for apps that manage migrations themselves. */
export async function migrate(url: string): Promise<string[]> {
  if (url.startsWith("postgres")) await ensurePostgresSchema(url);
  const connection = await connect(url);
  try {
    return await migrateToLatest(connection.db as Kysely<unknown>, schemaOf(url));
  } finally {
    await connection.close();
  }
}

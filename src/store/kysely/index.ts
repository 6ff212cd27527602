import { type Kysely, sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Store } from "../store.js";
import { kyselyAccountTokens } from "./account-tokens.js";
import { kyselyCeremonies } from "./ceremonies.js";
import { connect, ensurePostgresSchema } from "./connect.js";
import { kyselyCredentials } from "./credentials.js";
import { kyselyEvents } from "./events.js";
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
export type EphemeralRepos = Partial<Pick<Store, "ceremonies" | "oneTimeCodes" | "rateLimits">>;

function storeOn(
  db: Kysely<Database>,
  dialect: Store["dialect"],
  clock: Clock,
  inTransaction: boolean,
  close: () => Promise<void>,
  ephemeral: EphemeralRepos,
): Store {
  const batched =
    dialect === "sqlite" && !inTransaction
      ? new GroupCommit(db, (trx) => storeOn(trx, dialect, clock, true, close, ephemeral))
      : undefined;
  const store: Store = {
    dialect,
    users: guarded(kyselyUsers(db, clock)),
    sessions: guarded(kyselySessions(db, clock)),
    ceremonies: ephemeral.ceremonies ?? guarded(kyselyCeremonies(db)),
    credentials: guarded(kyselyCredentials(db, clock)),
    events: guarded(kyselyEvents(db)),
    secondFactors: guarded(kyselySecondFactors(db)),
    recoveryCodes: guarded(kyselyRecoveryCodes(db, clock)),
    oneTimeCodes: ephemeral.oneTimeCodes ?? guarded(kyselyOneTimeCodes(db, clock)),
    rateLimits: ephemeral.rateLimits ?? guarded(kyselyRateLimits(db, clock)),
    accountTokens: guarded(kyselyAccountTokens(db, clock)),
    async transaction(work) {
      if (inTransaction) return work(store);
      if (batched) return batched.run(work);
      try {
        return await db
          .transaction()
          .execute((trx) => work(storeOn(trx, dialect, clock, true, close, ephemeral)));
      } catch (error) {
        throw classifyStoreError(error);
      }
    },
    async ping() {
      try {
        await sql`select 1`.execute(db);
      } catch (error) {
        throw classifyStoreError(error);
      }
    },
    close,
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
  const connection = await connect(url);
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
  return storeOn(db, dialect, options.clock, false, close, options.ephemeral ?? {});
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

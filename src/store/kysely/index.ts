import { type Kysely, sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Store } from "../store.js";
import { kyselyCeremonies } from "./ceremonies.js";
import { connect, ensurePostgresSchema } from "./connect.js";
import { kyselyCredentials } from "./credentials.js";
import { kyselyEvents } from "./events.js";
import { classifyStoreError, guarded } from "./faults.js";
import { migrateToLatest } from "./migrate.js";
import type { Database } from "./schema.js";
import { kyselySessions } from "./sessions.js";
import { kyselyUsers } from "./users.js";

function storeOn(
  db: Kysely<Database>,
  dialect: Store["dialect"],
  clock: Clock,
  inTransaction: boolean,
  close: () => Promise<void>,
): Store {
  const store: Store = {
    dialect,
    users: guarded(kyselyUsers(db, clock)),
    sessions: guarded(kyselySessions(db, clock)),
    ceremonies: guarded(kyselyCeremonies(db)),
    credentials: guarded(kyselyCredentials(db, clock)),
    events: guarded(kyselyEvents(db)),
    async transaction(work) {
      if (inTransaction) return work(store);
      try {
        return await db
          .transaction()
          .execute((trx) => work(storeOn(trx, dialect, clock, true, close)));
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

export interface OpenStoreOptions {
  clock: Clock;
  /** Run migrations before returning (default true). */
  migrate?: boolean;
}

/** Opens the SQL store named by a `sqlite:` or `postgres://` URL, migrating it unless told not to. */
export async function openKyselyStore(url: string, options: OpenStoreOptions): Promise<Store> {
  if (url.startsWith("postgres")) await ensurePostgresSchema(url);
  const { db, dialect } = connect(url);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db as Kysely<unknown>);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return storeOn(db, dialect, options.clock, false, () => db.destroy());
}

/** Runs pending migrations on a database; for apps that manage migrations themselves. */
export async function migrate(url: string): Promise<string[]> {
  if (url.startsWith("postgres")) await ensurePostgresSchema(url);
  const { db } = connect(url);
  try {
    return await migrateToLatest(db as Kysely<unknown>);
  } finally {
    await db.destroy();
  }
}

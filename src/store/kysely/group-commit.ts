import { type Kysely, sql } from "kysely";
import type { Store } from "../store.js";
import { classifyStoreError } from "./faults.js";
import type { Database } from "./schema.js";

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Queued {
  work: (store: Store) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: the transactions that arrive in the same event-loop turn run one
 * after another inside one SQLite transaction, each in its own savepoint, and share its one
 * commit (its WAL pages, its locks). A transaction that throws is rolled back to its savepoint
 * alone; each caller hears back only after the commit, so nobody sees as done what a failed
 * commit undid. SQLite has one writer at a time anyway, so this serialises nothing new.
 */
export class GroupCommit {
  #queue: Queued[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly storeFor: (trx: Kysely<Database>) => Store,
  ) {}

  run<T>(work: (store: Store) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.#queue.length === 1) setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    const batch = this.#queue;
    this.#queue = [];
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        const store = this.storeFor(trx);
        // Alone in its turn, a transaction needs no savepoint: if it throws, all of it rolls back.
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: await batch[0]!.work(store) });
          return;
        }
        for (const { work } of batch) outcomes.push(await inSavepoint(trx, () => work(store)));
      });
    } catch (error) {
      for (const { reject } of batch) reject(classifyStoreError(error));
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(classifyStoreError(outcome.error));
    });
  }
}

async function inSavepoint(trx: Kysely<Database>, work: () => Promise<unknown>): Promise<Outcome> {
  await sql`savepoint keyward_batched`.execute(trx);
  try {
    const value = await work();
    await sql`release keyward_batched`.execute(trx);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to keyward_batched`.execute(trx);
    await sql`release keyward_batched`.execute(trx);
    return { ok: false, error };
  }
}

import { CompiledQuery, type Kysely } from "kysely";
import type { Store } from "../store.js";
import { classifyStoreError } from "./faults.js";
import type { Database } from "./schema.js";
import { executeCompiled } from "./sqlite-direct.js";

// A transaction's result, and what it asked to run once committed (its events' listeners).
type Outcome =
  | { ok: true; value: unknown; committed: Array<() => void> }
  | { ok: false; error: unknown };

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
    private readonly storeFor: (
      trx: Kysely<Database>,
      afterCommit: (then: () => void) => void,
    ) => Store,
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
        // The transactions run one at a time, so one store serves them all; what each asks to
        // run after the commit goes to its own list.
        let committed: Array<() => void> = [];
        const store = this.storeFor(trx, (then) => committed.push(then));
        // Alone in its turn, a transaction needs no savepoint: if it throws, all of it rolls back.
        if (batch.length === 1) {
          outcomes.push({ ok: true, value: await batch[0]!.work(store), committed });
          return;
        }
        for (const { work } of batch) {
          committed = [];
          outcomes.push(await inSavepoint(trx, () => work(store), committed));
        }
      });
    } catch (error) {
      for (const { reject } of batch) reject(classifyStoreError(error));
      return;
    }
    batch.forEach(({ resolve, reject }, i) => {
      const outcome = outcomes[i]!;
      if (!outcome.ok) {
        reject(classifyStoreError(outcome.error));
        return;
      }
      for (const then of outcome.committed) then();
      resolve(outcome.value);
    });
  }
}

// Compiled once: a batch runs one savepoint and release per transaction in it.
const SAVEPOINT = CompiledQuery.raw("savepoint keyward_batched");
const RELEASE = CompiledQuery.raw("release keyward_batched");
const ROLLBACK_TO = CompiledQuery.raw("rollback to keyward_batched");

async function inSavepoint(
  trx: Kysely<Database>,
  work: () => Promise<unknown>,
  committed: Array<() => void>,
): Promise<Outcome> {
  await executeCompiled(trx, SAVEPOINT);
  try {
    const value = await work();
    await executeCompiled(trx, RELEASE);
    return { ok: true, value, committed };
  } catch (error) {
    await executeCompiled(trx, ROLLBACK_TO);
    await executeCompiled(trx, RELEASE);
    return { ok: false, error };
  }
}

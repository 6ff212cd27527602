import type { Kysely } from "kysely";
import type { Store } from "../store.js";
import { classifyStoreError } from "./faults.js";
import type { Database } from "./schema.js";
import { executeCompiled, writerOf } from "./sqlite-direct.js";
import type { SqliteWriter } from "./sqlite-writer.js";
import { RELEASE, SAVEPOINT, undoSavepoint, WriteCapture } from "./write-capture.js";

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
 *
 * On a database file, a batch whose statements are all deferrable writes (a sign-in's) is
 * committed by the writer thread (write-capture.ts, sqlite-writer.ts), off the event loop.
 * Batches go one at a time: the next is gathered while this one commits.
 */
export class GroupCommit {
  #queue: Queued[] = [];
  #scheduled = false;
  #flushing = false;
  #capture: WriteCapture | undefined;

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
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      void this.#flushQueue();
    });
  }

  async #flushQueue(): Promise<void> {
    this.#flushing = true;
    const batch = this.#queue;
    this.#queue = [];
    try {
      const writer = writerOf(this.db);
      await (writer?.usable ? this.#flushBehind(batch, writer) : this.#flush(batch));
    } finally {
      this.#flushing = false;
      this.#schedule();
    }
  }

  async #flushBehind(batch: Queued[], writer: SqliteWriter): Promise<void> {
    this.#capture ??= new WriteCapture(this.db);
    const capture = this.#capture;
    capture.begin(writer);
    let committed: Array<() => void> = [];
    const store = this.storeFor(capture.db, (then) => committed.push(then));
    const outcomes: Outcome[] = [];
    let finished: Promise<Map<number, unknown>>;
    try {
      for (const { work } of batch) {
        committed = [];
        capture.startTransaction();
        let outcome: Outcome;
        try {
          outcome = { ok: true, value: await work(store), committed };
        } catch (error) {
          outcome = { ok: false, error };
        }
        const undone = await capture.endTransaction(outcome.ok);
        outcomes.push(undone ? { ok: false, error: undone.error } : outcome);
      }
      // A write of the app's connection waiting for the writer to be idle goes first.
      if (writer.awaited) await writer.whenIdle();
      finished = capture.finish();
      // A live batch commits on the app's connection before the next begins; a batch handed
      // to the writer thread commits while the next is gathered (the thread takes them in turn).
      if (capture.live) await finished.catch(() => {});
    } catch (error) {
      await capture.abandon();
      for (const { reject } of batch) reject(classifyStoreError(error));
      return;
    }
    finished.then(
      (failed) => {
        for (const [index, error] of failed) outcomes[index] = { ok: false, error };
        this.#deliver(batch, outcomes);
      },
      (error: unknown) => {
        for (const { reject } of batch) reject(classifyStoreError(error));
      },
    );
  }

  async #flush(batch: Queued[]): Promise<void> {
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
    this.#deliver(batch, outcomes);
  }

  #deliver(batch: Queued[], outcomes: Outcome[]): void {
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
    await undoSavepoint(trx, error);
    return { ok: false, error };
  }
}

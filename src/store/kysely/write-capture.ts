import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import { isDeferrable } from "./prepared.js";
import type { Database } from "./schema.js";
import { executeCompiled, registerCapture } from "./sqlite-direct.js";
import type { GroupResult, SqliteWriter } from "./sqlite-writer.js";

/** A transaction on the app's connection, held open until `end`. */
interface OpenTransaction {
  trx: Kysely<Database>;
  end(commit: boolean): Promise<void>;
}

const ROLLED_BACK = Symbol("rolled back");

function openTransaction(db: Kysely<Database>): Promise<OpenTransaction> {
  return new Promise((opened, failed) => {
    let decide!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (decide = resolve));
    const done = db.transaction().execute(async (trx) => {
      opened({
        trx,
        end: async (commit) => {
          decide(commit);
          await done.catch((error: unknown) => {
            if (error !== ROLLED_BACK) throw error;
          });
        },
      });
      if (!(await decided)) throw ROLLED_BACK;
    });
    // A BEGIN that fails rejects the opening; anything later surfaces through `end`.
    done.catch(failed);
  });
}

// Compiled once: a batch runs one savepoint and release per transaction in it.
export const SAVEPOINT = CompiledQuery.raw("savepoint keyward_batched");
export const RELEASE = CompiledQuery.raw("release keyward_batched");
const ROLLBACK_TO = CompiledQuery.raw("rollback to keyward_batched");

/**
 * Rolls the current savepoint back and releases it. When `cause` (the failure being undone)
 * made SQLite end the whole transaction, there is no savepoint left: the batch fails with
 * `cause`.
 */
export async function undoSavepoint(trx: Kysely<Database>, cause?: unknown): Promise<void> {
  try {
    await executeCompiled(trx, ROLLBACK_TO);
    await executeCompiled(trx, RELEASE);
  } catch (error) {
    throw cause ?? error;
  }
}

/**
 * One group commit batch's transactions, run one after another against `db`, a Kysely whose
 * statements come here. While every statement they send is a deferrable write (a write whose
 * result nobody reads, prepared.ts), the writes are only collected, one group per transaction,
 * and `finish` hands them to the writer thread, which commits them all. The first statement
 * that is not (a read, a write whose answer matters) makes the batch *live*: a transaction
 * opens on the app's connection, the groups collected so far are written into it, each in its
 * savepoint, then the current transaction's own, and from then on every statement runs there,
 * as group commit ran them before the writer thread. As on PostgreSQL's pipeline, a deferred
 * write that fails surfaces at the next statement waited on, or at the end.
 */
export class WriteCapture {
  readonly db: Kysely<Database>;
  #writer: SqliteWriter | undefined;
  /** The transactions collected, by their place in the batch. */
  #groups: Array<{ index: number; writes: CompiledQuery[] }> = [];
  /** The current transaction's deferred writes, not yet written anywhere. */
  #current: CompiledQuery[] = [];
  #index = -1;
  /** Set once a statement made the batch live; rejected if the live transaction failed to open. */
  #live: Promise<OpenTransaction> | undefined;
  /** Whether the current transaction has its savepoint in the live transaction. */
  #inSavepoint = false;
  /** Collected transactions whose writes failed when the batch went live. */
  #failed = new Map<number, unknown>();

  constructor(private readonly app: Kysely<Database>) {
    const execute = (query: CompiledQuery) => this.#execute(query);
    const connection: DatabaseConnection = {
      executeQuery: execute as DatabaseConnection["executeQuery"],
      streamQuery: () => {
        throw new Error("Keyward does not stream queries");
      },
    };
    this.db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
        createDriver: () => ({
          init: async () => {},
          acquireConnection: async () => connection,
          releaseConnection: async () => {},
          destroy: async () => {},
          beginTransaction: unsupported,
          commitTransaction: unsupported,
          rollbackTransaction: unsupported,
        }),
      },
    });
    registerCapture(this.db, execute);
  }

  /** Starts a batch whose collected writes `finish` hands to `writer`. */
  begin(writer: SqliteWriter): void {
    this.#writer = writer;
    this.#groups = [];
    this.#failed = new Map();
    this.#index = -1;
    this.#live = undefined;
  }

  startTransaction(): void {
    this.#index += 1;
    this.#current = [];
    this.#inSavepoint = false;
  }

  /**
   * Ends the current transaction: kept (its work succeeded) or undone. Resolves with the error
   * that undid a kept one after all (a deferred write that failed), if any.
   */
  async endTransaction(kept: boolean): Promise<{ error: unknown } | undefined> {
    if (!this.#live) {
      if (kept) this.#groups.push({ index: this.#index, writes: this.#current });
      this.#current = [];
      return undefined;
    }
    const { trx } = await this.#live;
    if (!kept) {
      this.#current = [];
      if (this.#inSavepoint) await this.#undo(trx);
      return undefined;
    }
    try {
      await this.#enter(trx);
      await executeCompiled(trx, RELEASE);
      return undefined;
    } catch (failure) {
      await this.#undo(trx, failure);
      return { error: failure };
    }
  }

  /** Whether a statement made the batch live (it commits on the app's connection). */
  get live(): boolean {
    return this.#live !== undefined;
  }

  /**
   * Commits the batch: the writer thread writes the collected groups (handed over at once,
   * before this returns its promise), or the live transaction commits. Resolves with each
   * failed transaction's error, by its place in the batch; rejects when the commit itself
   * failed (nothing of the batch was written). The next batch may begin meanwhile.
   */
  async finish(): Promise<Map<number, unknown>> {
    const failed = this.#failed;
    if (this.#live) {
      await (await this.#live).end(true);
      return failed;
    }
    const groups = this.#groups.filter(({ writes }) => writes.length > 0);
    if (groups.length === 0) return failed;
    const results: GroupResult[] = await this.#writer!.write(groups.map(({ writes }) => writes));
    results.forEach((result, i) => {
      if (result) failed.set(groups[i]!.index, result);
    });
    return failed;
  }

  /** Undoes the batch when it cannot be finished. */
  async abandon(): Promise<void> {
    const live = await this.#live?.catch(() => undefined);
    await live?.end(false).catch(() => {});
  }

  #execute(query: CompiledQuery): Promise<QueryResult<unknown>> {
    // Held until the next statement waited on, or the transaction's end, even once live.
    if (isDeferrable(query.sql)) {
      this.#current.push(query);
      return Promise.resolve({ rows: [] });
    }
    this.#live ??= this.#goLive();
    return this.#live.then(async ({ trx }) => {
      await this.#enter(trx);
      return executeCompiled(trx, query);
    });
  }

  /** Opens the current transaction's savepoint if needed, and writes what it deferred. */
  async #enter(trx: Kysely<Database>): Promise<void> {
    if (!this.#inSavepoint) {
      this.#inSavepoint = true;
      await executeCompiled(trx, SAVEPOINT);
    }
    const writes = this.#current;
    this.#current = [];
    await replay(trx, writes);
  }

  async #goLive(): Promise<OpenTransaction> {
    // The writer thread holds the write lock while it writes; nothing is out between batches.
    await this.#writer!.whenIdle();
    const live = await openTransaction(this.app);
    const { trx } = live;
    try {
      for (const { index, writes } of this.#groups) {
        await executeCompiled(trx, SAVEPOINT);
        try {
          await replay(trx, writes);
          await executeCompiled(trx, RELEASE);
        } catch (error) {
          this.#failed.set(index, error);
          await this.#undo(trx, error);
        }
      }
    } catch (error) {
      await live.end(false).catch(() => {});
      throw error;
    }
    this.#groups = [];
    return live;
  }

  /** Rolls the current transaction's savepoint back (see undoSavepoint). */
  #undo(trx: Kysely<Database>, cause?: unknown): Promise<void> {
    this.#inSavepoint = false;
    return undoSavepoint(trx, cause);
  }
}

/** Runs collected writes, in order, in the live transaction. */
async function replay(trx: Kysely<Database>, writes: CompiledQuery[]): Promise<void> {
  for (const write of writes) await executeCompiled(trx, write);
}

function unsupported(): never {
  throw new Error("a transaction inside a group commit batch runs in the batch's transaction");
}

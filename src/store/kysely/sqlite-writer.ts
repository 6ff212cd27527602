import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { StoreUnavailableError } from "../../core/errors.js";

/** A write to run in the writer thread: its SQL text and its values. */
export interface Write {
  sql: string;
  parameters: readonly unknown[];
}

/** What became of one group of writes: committed (null) or rolled back, with its error. */
export type GroupResult = Error | null;

// CommonJS, evaluated in the worker: its own connection to the database file, with the app
// connection's settings. Each message is one batch: BEGIN IMMEDIATE, each group in a
// savepoint (a failing group rolls back alone), COMMIT; the answer says what became of each.
// SQL texts travel once and are named by number afterwards.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
// Below the event loop's priority (Linux): on a busy machine requests go first, and the
// commits catch up in bigger batches.
try {
  const thread = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  require("node:os").setPriority(thread, 10);
} catch {}
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = " + workerData.busyTimeoutMs);
db.pragma("temp_store = MEMORY");
db.pragma("synchronous = " + workerData.synchronous);
db.pragma("wal_autocheckpoint = " + workerData.autocheckpointPages);
const texts = [];
const statements = new Map();
const statement = (id) => {
  let found = statements.get(id);
  if (!found) statements.set(id, (found = db.prepare(texts[id])));
  return found;
};
const begin = db.prepare("begin immediate");
const commit = db.prepare("commit");
const rollback = db.prepare("rollback");
const savepoint = db.prepare("savepoint keyward_behind");
const release = db.prepare("release keyward_behind");
const rollbackTo = db.prepare("rollback to keyward_behind");
const fault = (e) => ({ name: String(e && e.name), code: e && e.code, message: String(e && e.message) });
const run = (writes) => {
  let changes = 0;
  for (const [id, values] of writes) {
    changes += statement(id).run(values.map((v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v))).changes;
  }
  return changes;
};
parentPort.on("message", (message) => {
  if (message === "stop") {
    db.close();
    parentPort.close();
    return;
  }
  for (const [id, sql] of message.texts) texts[id] = sql;
  const results = message.groups.map(() => null);
  const changes = message.groups.map(() => 0);
  try {
    begin.run();
    if (message.groups.length === 1) {
      changes[0] = run(message.groups[0]);
    } else {
      message.groups.forEach((writes, i) => {
        savepoint.run();
        try {
          changes[i] = run(writes);
        } catch (e) {
          // SQLite rolled the whole batch back itself (a full disk): every group fails with it.
          if (!db.inTransaction) throw e;
          rollbackTo.run();
          results[i] = fault(e);
          changes[i] = 0;
        }
        release.run();
      });
    }
    commit.run();
    parentPort.postMessage({ id: message.id, results, changes });
  } catch (e) {
    if (db.inTransaction) {
      try { rollback.run(); } catch {}
    }
    parentPort.postMessage({ id: message.id, failed: fault(e) });
  }
});
`;

interface Fault {
  name: string;
  code?: unknown;
  message: string;
}

type Answer =
  | { id: number; results: Array<Fault | null>; changes: number[] }
  | { id: number; failed: Fault };

/** What became of each group, and how many rows each changed. */
interface Written {
  results: GroupResult[];
  changes: number[];
}

/** A driver error as the worker saw it, with its code, so it is classified like any other. */
function errorOf(fault: Fault): Error {
  return Object.assign(new Error(fault.message), { name: fault.name, code: fault.code });
}

let running = 0;

/** Writer threads running in this process (each starts with its database's first transaction). */
export function runningWriters(): number {
  return running;
}

export interface SqliteWriterOptions {
  path: string;
  synchronous: string;
  busyTimeoutMs: number;
  autocheckpointPages: number;
}

/**
 * SQLite's writes, committed by a thread of their own. A commit's B-tree inserts and WAL
 * frames were a fifth of the event loop's time per sign-in on SQLite; group commit hands the
 * writes of transactions that never wait on a statement here instead (group-commit.ts), and
 * the loop goes on serving requests while they commit. One batch at a time: the caller sends
 * the next one after this one answered.
 */
export class SqliteWriter {
  readonly #worker: Worker;
  readonly #waiting = new Map<
    number,
    { resolve: (written: Written) => void; reject: (error: unknown) => void }
  >();
  readonly #texts = new Map<string, number>();
  #next = 1;
  #idle: Array<() => void> = [];
  #broken: unknown;
  readonly #exited: Promise<void>;

  constructor(options: SqliteWriterOptions) {
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, ...options },
    });
    this.#worker.unref();
    running += 1;
    this.#worker.on("message", (answer: Answer) => this.#answered(answer));
    this.#worker.on("error", (error) => {
      // Only a speed-up is lost: the next batches commit on the app's connection.
      console.warn(
        "keyward: the SQLite writer thread stopped; transactions commit on the app's connection",
        error,
      );
      this.#break(error);
    });
    this.#exited = new Promise((resolve) =>
      this.#worker.once("exit", () => {
        running -= 1;
        this.#break(new Error("The database connection is not open"));
        resolve();
      }),
    );
  }

  /** False once the thread has died: the caller commits on its own connection again. */
  get usable(): boolean {
    return this.#broken === undefined;
  }

  /** Whether a batch is being written (the database's write lock may be held). */
  get busy(): boolean {
    return this.#waiting.size > 0;
  }

  /** Whether someone waits for `whenIdle` (a write of the app's connection). */
  get awaited(): boolean {
    return this.#idle.length > 0;
  }

  /** Resolves once no batch is being written. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * Writes the groups in one transaction, each group all or nothing. Resolves once committed,
   * with each group's outcome; rejects (every group rolled back) when the transaction itself
   * could not begin or commit.
   */
  async write(groups: Write[][]): Promise<GroupResult[]> {
    return (await this.#send(groups)).results;
  }

  /**
   * Runs one write in a transaction of its own and resolves with the rows it changed: for a
   * write that may touch many rows (deleting what expired), which would otherwise hold the
   * event loop as long as it holds the database's write lock.
   */
  async changeRows(write: Write): Promise<number> {
    // A batch of one group runs without a savepoint: its failure rejects the whole batch.
    return (await this.#send([[write]])).changes[0]!;
  }

  #send(groups: Write[][]): Promise<Written> {
    if (this.#broken !== undefined) return Promise.reject(new StoreUnavailableError(this.#broken));
    const texts: Array<[number, string]> = [];
    const encoded = groups.map((writes) =>
      writes.map(({ sql, parameters }) => {
        let id = this.#texts.get(sql);
        if (id === undefined) {
          id = this.#texts.size;
          this.#texts.set(sql, id);
          texts.push([id, sql]);
        }
        return [id, parameters];
      }),
    );
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      // A referenced worker keeps the process alive while a batch is out, as a socket would.
      if (this.#waiting.size === 1) this.#worker.ref();
      this.#worker.postMessage({ id, texts, groups: encoded });
    });
  }

  #answered(answer: Answer): void {
    const waiting = this.#waiting.get(answer.id);
    if (!waiting) return;
    this.#waiting.delete(answer.id);
    if ("failed" in answer) waiting.reject(errorOf(answer.failed));
    else {
      waiting.resolve({
        results: answer.results.map((fault) => (fault ? errorOf(fault) : null)),
        changes: answer.changes,
      });
    }
    this.#settled();
  }

  #settled(): void {
    if (this.busy) return;
    this.#worker.unref();
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }

  #break(error: unknown): void {
    this.#broken ??= error;
    const waiting = [...this.#waiting.values()];
    this.#waiting.clear();
    for (const { reject } of waiting) reject(new StoreUnavailableError(error));
    this.#settled();
  }

  /** Lets the batch being written finish, then closes the thread's connection. */
  async stop(): Promise<void> {
    await this.whenIdle();
    if (this.#broken !== undefined) return;
    this.#broken = new Error("The database connection is not open");
    this.#worker.ref();
    this.#worker.postMessage("stop");
    await this.#exited;
  }
}

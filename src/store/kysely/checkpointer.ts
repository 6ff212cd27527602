import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

// Often enough that the WAL stays a few MB at thousands of commits per second.
const CHECKPOINT_INTERVAL_MS = 250;

// CommonJS, evaluated in the worker: its own connection, a PASSIVE checkpoint on a timer
// (it never waits for or blocks a writer), closed on "stop".
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma("synchronous = " + workerData.synchronous);
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch { /* the next tick retries; the app's commits still checkpoint as a fallback */ }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

let running = 0;

/** Checkpoint threads running in this process (each starts with its database's first write). */
export function runningCheckpointers(): number {
  return running;
}

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies the WAL back into the
 * database file and ends in disk flushes of a few milliseconds; run by the connection that
 * commits, it would stall every request in flight. A worker thread with its own connection
 * runs them instead. The app's connection keeps a high `wal_autocheckpoint` as a fallback.
 */
export function startCheckpointer(path: string, synchronous: string): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { driver, path, synchronous, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  running += 1;
  const exited = new Promise<void>((resolve) =>
    worker.once("exit", () => {
      running -= 1;
      resolve();
    }),
  );
  // A worker that cannot start (or dies) only loses the speed-up: the fallback checkpoints.
  worker.on("error", (error) =>
    console.warn(
      "keyward: the SQLite checkpoint thread stopped; commits checkpoint instead",
      error,
    ),
  );
  worker.unref();
  return {
    async stop() {
      // Unreferenced, the worker would not keep the process alive long enough to hear back.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}

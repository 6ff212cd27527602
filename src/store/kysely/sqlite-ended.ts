import type BetterSqlite3 from "better-sqlite3";
import type { DatabaseConnection, Driver } from "kysely";

/**
 * On some errors (a full disk, an I/O error, a trigger's RAISE(ROLLBACK)) SQLite rolls the
 * whole transaction back by itself, not only the failing statement. From then on the
 * connection is outside any transaction, and a statement the transaction still sends would
 * commit on its own: half of a unit of work written. Such a statement gets this error instead
 * (a store fault: 503), and so does the transaction's COMMIT.
 */
export function transactionEnded(): Error {
  return Object.assign(
    new Error(
      "SQLite rolled the transaction back after an error in it (a full disk, an I/O error): nothing of it was written",
    ),
    { code: "SQLITE_ABORT_ROLLBACK" },
  );
}

/**
 * Kysely's SQLite driver, made safe for transactions SQLite ended by itself: their statements
 * and COMMIT fail with `transactionEnded()`, and their ROLLBACK is skipped (it would fail with
 * "no transaction is active" and hide the error that ended the transaction).
 */
export function guardEndedTransactions(driver: Driver, database: BetterSqlite3.Database): void {
  // Kysely gives the one connection to one holder at a time; while a transaction holds it,
  // every statement through the driver is that transaction's.
  let open = false;
  const acquire = driver.acquireConnection.bind(driver);
  const begin = driver.beginTransaction.bind(driver);
  const commit = driver.commitTransaction.bind(driver);
  const rollback = driver.rollbackTransaction.bind(driver);
  let guarded: DatabaseConnection | undefined;
  driver.acquireConnection = async () => {
    const connection = await acquire();
    guarded ??= {
      executeQuery: (query) =>
        open && !database.inTransaction
          ? Promise.reject(transactionEnded())
          : connection.executeQuery(query),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
    return guarded;
  };
  driver.beginTransaction = async (connection, settings) => {
    await begin(connection, settings);
    open = true;
  };
  driver.commitTransaction = async (connection) => {
    try {
      await commit(connection);
    } finally {
      open = false;
    }
  };
  driver.rollbackTransaction = async (connection) => {
    open = false;
    if (database.inTransaction) await rollback(connection);
  };
}

import type BetterSqlite3 from "better-sqlite3";
import type { CompiledQuery, Kysely, QueryResult } from "kysely";
import type { Database } from "./schema.js";
import { transactionEnded } from "./sqlite-ended.js";
import type { SqliteWriter } from "./sqlite-writer.js";

interface SqliteConnection {
  database: BetterSqlite3.Database;
  /** The statement for a SQL text, from the connection's statement cache. */
  prepare(sql: string): BetterSqlite3.Statement;
  /** The thread that commits group commit's writes (a database file only). */
  writer?: { start(): SqliteWriter | undefined; started(): SqliteWriter | undefined };
}

// Keyed by the Kysely instance's adapter, which its transactions share.
const connections = new WeakMap<object, SqliteConnection>();
const captures = new WeakMap<object, (query: CompiledQuery) => Promise<QueryResult<unknown>>>();

/** Lets `executeCompiled` run queries of `db` (a SQLite Kysely) on its connection directly. */
export function registerSqliteConnection(db: Kysely<Database>, connection: SqliteConnection) {
  connections.set(db.getExecutor().adapter, connection);
}

/** Sends what `executeCompiled` runs on `db` to `execute` instead (group-commit.ts). */
export function registerCapture(
  db: Kysely<Database>,
  execute: (query: CompiledQuery) => Promise<QueryResult<unknown>>,
) {
  captures.set(db.getExecutor().adapter, execute);
}

/** The writer thread of `db`'s SQLite connection, started on first use; none in memory. */
export function writerOf(db: Kysely<Database>): SqliteWriter | undefined {
  return connections.get(db.getExecutor().adapter)?.writer?.start();
}

/**
 * Runs a write that may change many rows (deleting what expired) and resolves with how many it
 * changed. On a SQLite file it runs in the writer thread: deleting an hour's expired sessions
 * of a busy site takes SQLite hundreds of milliseconds, which on the app's connection would stop
 * every request for as long; there, only writes wait for it.
 */
export async function changeRows(db: Kysely<Database>, query: CompiledQuery): Promise<number> {
  const writer = db.isTransaction ? undefined : writerOf(db);
  if (writer?.usable) return writer.changeRows(query);
  const result = await db.executeQuery(query);
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Runs a compiled query. On SQLite there is one connection, and better-sqlite3 runs a statement
 * to completion synchronously; Kysely hands that connection to one caller at a time through an
 * async mutex, several promise hops per query, which on the sign-in path cost more than the
 * statements themselves. So a query runs on the connection directly whenever that is what
 * Kysely would do anyway: inside a transaction (whose caller holds the connection), or outside
 * one while no transaction is open (so it cannot see another's uncommitted rows). Otherwise,
 * and on PostgreSQL, it goes through Kysely and waits its turn.
 */
export function executeCompiled<O>(
  db: Kysely<Database>,
  query: CompiledQuery<O>,
): Promise<QueryResult<O>> {
  const adapter = db.getExecutor().adapter;
  const capture = captures.get(adapter);
  if (capture) return capture(query) as Promise<QueryResult<O>>;
  const connection = connections.get(adapter);
  if (!connection || (!db.isTransaction && connection.database.inTransaction)) {
    return db.executeQuery(query);
  }
  // Outside any transaction now, a statement of one would commit on its own (sqlite-ended.ts).
  if (db.isTransaction && !connection.database.inTransaction) {
    return Promise.reject(transactionEnded());
  }
  try {
    const statement = connection.prepare(query.sql);
    if (statement.reader) {
      return Promise.resolve({ rows: rowsOf(statement, query.parameters) as O[] });
    }
    // A write of its own waits while the writer thread commits a batch (and holds the lock):
    // SQLite would otherwise make the event loop sleep until the lock is free.
    const writer = db.isTransaction ? undefined : connection.writer?.started();
    if (writer?.busy) return writer.whenIdle().then(() => executeCompiled(db, query));
    const { changes } = statement.run(query.parameters);
    return Promise.resolve({ numAffectedRows: BigInt(changes), rows: [] });
  } catch (error) {
    return Promise.reject(error);
  }
}

type RowBuilder = (values: unknown[]) => Record<string, unknown>;
const rowBuilders = new WeakMap<BetterSqlite3.Statement, RowBuilder | null>();

/**
 * A statement's rows as objects, as `all()` returns them, built faster: better-sqlite3 gives
 * each row its columns one property at a time, while an object literal with the same keys in the
 * same order gets its final shape at once (and every row of the statement shares it). The
 * literal is compiled once per statement from its column names, which come from the schema.
 */
function rowsOf(statement: BetterSqlite3.Statement, parameters: readonly unknown[]): unknown[] {
  let build = rowBuilders.get(statement);
  if (build === undefined) {
    const names = statement.columns().map((column) => column.name);
    // "__proto__" in a literal sets the prototype; rows with such a column are left to the driver.
    build = names.includes("__proto__")
      ? null
      : (new Function(
          "v",
          `return {${names.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(", ")}};`,
        ) as RowBuilder);
    rowBuilders.set(statement, build);
  }
  if (build === null) return statement.all(parameters);
  // Raw mode only for this call: Kysely's own driver shares the cached statement.
  statement.raw(true);
  try {
    return (statement.all(parameters) as unknown[][]).map(build);
  } finally {
    statement.raw(false);
  }
}

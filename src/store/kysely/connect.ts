import type BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { type Checkpointer, startCheckpointer } from "./checkpointer.js";
import { pipelinedPostgresDialect } from "./postgres-driver.js";
import type { Database } from "./schema.js";
import { registerSqliteConnection } from "./sqlite-direct.js";
import { guardEndedTransactions } from "./sqlite-ended.js";
import { SqliteWriter } from "./sqlite-writer.js";

// Each driver is loaded only when its database is used: an app on SQLite never loads pg, and
// one on PostgreSQL never loads the SQLite engine (each is ~10 MB of resident memory).
const loadSqlite = async () => (await import("better-sqlite3")).default;
const loadPg = async () => (await import("pg")).default;

export interface Connection {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  /**
   * Asks the database whether it answers, within `HEALTH_TIMEOUT_MS`, whatever the request
   * pool's state: on PostgreSQL over a connection of its own, outside the pool.
   */
  ping(): Promise<void>;
  /** Closes the database and whatever runs beside it (SQLite's checkpointer). */
  close(): Promise<void>;
}

/** How long a health check waits for the database before calling it unavailable. */
export const HEALTH_TIMEOUT_MS = 1_000;

export interface ConnectOptions {
  /**
   * PostgreSQL: how long a query waits for a free connection of the pool before it fails
   * (503 STORE_UNAVAILABLE); config key `databasePoolWait`.
   */
  poolWaitMs?: number;
}

const INT8_OID = 20;
const parseInt8 = (value: string) => Number(value);

const SYNCHRONOUS = ["off", "normal", "full", "extra"];
// 40 MB of WAL: reached only if the checkpointer worker cannot keep up.
const FALLBACK_CHECKPOINT_PAGES = 10_000;
// How long a statement waits for another connection's write lock (another process's).
const BUSY_TIMEOUT_MS = 5000;
// Distinct SQL texts kept prepared; Keyward issues a few dozen.
const STATEMENT_CACHE_LIMIT = 256;

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running a
 * point lookup, so statements are kept per SQL text. Reuse is safe: better-sqlite3 runs a
 * statement to completion synchronously, and Kysely gives its single connection to one caller
 * at a time.
 */
function withStatementCache(
  database: BetterSqlite3.Database,
  onWriter: () => void,
): {
  close(): void;
  prepare(sql: string): BetterSqlite3.Statement;
} {
  const statements = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = database.prepare(sql);
        if (!statement.reader) onWriter();
        if (statements.size >= STATEMENT_CACHE_LIMIT) {
          statements.delete(statements.keys().next().value!);
        }
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

async function connectSqlite(location: string): Promise<Connection> {
  // `sqlite:<path>?synchronous=full` opts back into a sync of the WAL at every commit.
  const query = location.lastIndexOf("?synchronous=");
  const path = query < 0 ? location : location.slice(0, query);
  const synchronous = query < 0 ? "normal" : location.slice(query + "?synchronous=".length);
  if (!SYNCHRONOUS.includes(synchronous)) {
    throw new Error(`database: synchronous must be one of ${SYNCHRONOUS.join(", ")}`);
  }
  const database = new (await loadSqlite())(path || ":memory:");
  // WAL lets readers proceed during a write; foreign keys make cascades real.
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Group commit gives each transaction in a batch a savepoint, whose journal would otherwise
  // spill into a new temporary file past 64 KiB: a file created, written and deleted per batch.
  // (Temporary tables and sort indexes live in memory too; Keyward's queries keep them small.)
  database.pragma("temp_store = MEMORY");
  // In WAL mode, NORMAL syncs at checkpoints instead of at every commit (SQLite's advice for
  // WAL): never corrupt, and nothing is lost when the process dies; a power cut may roll back
  // the last commits. FULL costs a disk flush per write, ~1.5 ms each here.
  database.pragma(`synchronous = ${synchronous}`);
  const onDisk = database.pragma("journal_mode", { simple: true }) === "wal";
  // The worker checkpoints every few hundred ms; this only bounds the WAL if it falls behind.
  if (onDisk) database.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  // The checkpointer (a thread with its own V8 heap, ~13 MB resident) starts with the first
  // statement that can write (every statement passes through the cache): until then the WAL
  // has nothing to checkpoint, and a server that has only read need not hold the thread.
  let checkpointer: Checkpointer | undefined;
  const cached = withStatementCache(database, () => {
    if (onDisk) checkpointer ??= startCheckpointer(path, synchronous);
  });
  // Group commit's writes commit in a thread of their own (sqlite-writer.ts), started with the
  // first transaction; an in-memory database has no file for a second connection to open.
  let writer: SqliteWriter | undefined;
  const dialect = new SqliteDialect({ database: cached });
  const createDriver = dialect.createDriver.bind(dialect);
  dialect.createDriver = () => {
    const driver = createDriver();
    guardEndedTransactions(driver, database);
    const acquire = driver.acquireConnection.bind(driver);
    // While the writer thread commits it holds the write lock, and a statement of this
    // connection would make the event loop sleep until it is free: wait for it instead.
    driver.acquireConnection = async () => {
      if (writer?.busy) await writer.whenIdle();
      return acquire();
    };
    return driver;
  };
  const db = new Kysely<Database>({ dialect });
  const writerOptions = {
    path,
    synchronous,
    busyTimeoutMs: BUSY_TIMEOUT_MS,
    autocheckpointPages: FALLBACK_CHECKPOINT_PAGES,
  };
  let writerFailed = false;
  // A thread that cannot start (no memory, a limit on threads) leaves commits where they were.
  const startWriter = () => {
    if (writer || writerFailed) return writer;
    // The writer's commits need checkpoints as much as the app connection's would: a server
    // that only signs users in may never prepare a write of its own.
    checkpointer ??= startCheckpointer(path, synchronous);
    try {
      writer = new SqliteWriter(writerOptions);
    } catch (error) {
      writerFailed = true;
      console.warn(
        "keyward: no SQLite writer thread; transactions commit on the app's connection",
        error,
      );
    }
    return writer;
  };
  registerSqliteConnection(db, {
    database,
    prepare: cached.prepare,
    ...(onDisk ? { writer: { start: startWriter, started: () => writer } } : {}),
  });
  return {
    db,
    dialect: "sqlite",
    // One connection, no pool to wait for: a statement at most waits for a transaction's turn.
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    async close() {
      await writer?.stop();
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * The health check's own PostgreSQL connection, kept open between checks and replaced after a
 * failure, so that a full or stuck request pool never delays the answer.
 */
function healthConnection(pg: typeof import("pg").default, config: import("pg").ClientConfig) {
  let client: import("pg").Client | undefined;
  return {
    async ping() {
      try {
        if (!client) {
          client = new pg.Client({
            ...config,
            connectionTimeoutMillis: HEALTH_TIMEOUT_MS,
            query_timeout: HEALTH_TIMEOUT_MS,
          });
          client.on("error", () => {});
          await client.connect();
        }
        await client.query("select 1");
      } catch (error) {
        const broken = client;
        client = undefined;
        void broken?.end().catch(() => {});
        throw error;
      }
    },
    async close() {
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<Connection> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  const poolSize = Number(parsed.searchParams.get("pool") ?? 10);
  const statementTimeout = Number(parsed.searchParams.get("statement_timeout") ?? 10_000);
  for (const key of ["schema", "pool", "statement_timeout"]) parsed.searchParams.delete(key);
  if (!Number.isInteger(poolSize) || poolSize < 1) {
    throw new Error("database: pool must be a positive integer (connections per instance)");
  }
  if (!Number.isInteger(statementTimeout) || statementTimeout < 1) {
    throw new Error("database: statement_timeout must be a positive number of milliseconds");
  }
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`database: schema "${schema}" must be a lowercase SQL identifier`);
  }
  const pg = await loadPg();
  const clientConfig = {
    connectionString: parsed.toString(),
    statement_timeout: statementTimeout,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  };
  const pool = new pg.Pool({
    ...clientConfig,
    max: poolSize,
    // Waiting for a free connection (or a new one) past this fails the query: 503.
    connectionTimeoutMillis: options.poolWaitMs ?? 5000,
    // A transaction's statements go out together (postgres-driver.ts), not one per round trip.
    pipeline: true,
    // Times are epoch-ms bigints; they fit a JS number exactly, so read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? parseInt8
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (idle or checked out) must not crash the process: the query
  // in progress rejects, the pool drops the client, and the next query gets a new one.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  const db = new Kysely<Database>({ dialect: pipelinedPostgresDialect(pool) });
  const health = healthConnection(pg, clientConfig);
  return {
    db,
    dialect: "postgres",
    ping: health.ping,
    async close() {
      await health.close();
      await db.destroy();
    },
  };
}

/** Opens the database named by a `sqlite:` or `postgres://` URL. */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
  if (url.startsWith("sqlite:")) return connectSqlite(url.slice("sqlite:".length) || ":memory:");
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return connectPostgres(url, options);
  }
  throw new Error(`database: "${url}" is neither sqlite:<path> nor postgres://…`);
}

/** Creates the schema named in a postgres URL's `?schema=` if it does not exist yet. */
export async function ensurePostgresSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema");
  if (!schema) return;
  const parsed = new URL(url);
  parsed.search = "";
  const pg = await loadPg();
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

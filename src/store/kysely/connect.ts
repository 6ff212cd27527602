import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export interface Connection {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
}

const INT8_OID = 20;

function connectSqlite(path: string): Connection {
  const database = new BetterSqlite3(path);
  // WAL lets readers proceed during a write; foreign keys make cascades real.
  database.pragma("journal_mode = WAL");
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }),
    dialect: "sqlite",
  };
}

function connectPostgres(url: string): Connection {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  const poolSize = Number(parsed.searchParams.get("pool") ?? 10);
  parsed.searchParams.delete("schema");
  parsed.searchParams.delete("pool");
  if (schema !== null && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`database: schema "${schema}" must be a lowercase SQL identifier`);
  }
  const pool = new pg.Pool({
    connectionString: parsed.toString(),
    max: poolSize,
    connectionTimeoutMillis: 5000,
    statement_timeout: 10_000,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    // Times are epoch-ms bigints; they fit a JS number exactly, so read them as numbers.
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID
          ? (value: string) => Number(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // A client losing its server (idle or checked out) must not crash the process: the query
  // in progress rejects, the pool drops the client, and the next query gets a new one.
  pool.on("error", () => {});
  pool.on("connect", (client) => client.on("error", () => {}));
  return {
    db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
    dialect: "postgres",
  };
}

/** Opens the database named by a `sqlite:` or `postgres://` URL. */
export function connect(url: string): Connection {
  if (url.startsWith("sqlite:")) return connectSqlite(url.slice("sqlite:".length) || ":memory:");
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return connectPostgres(url);
  throw new Error(`database: "${url}" is neither sqlite:<path> nor postgres://…`);
}

/** Creates the schema named in a postgres URL's `?schema=` if it does not exist yet. */
export async function ensurePostgresSchema(url: string): Promise<void> {
  const schema = new URL(url).searchParams.get("schema");
  if (!schema) return;
  const parsed = new URL(url);
  parsed.search = "";
  const client = new pg.Client({ connectionString: parsed.toString() });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

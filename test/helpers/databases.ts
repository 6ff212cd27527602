import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import pg from "pg";

export interface DatabaseTarget {
  name: "sqlite" | "postgres";
  /** A fresh, private database URL for one harness. */
  url(): string;
  /** Removes what url() created. */
  drop(url: string): Promise<void>;
}

const POSTGRES_URL = process.env.KEYWARD_TEST_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/test";

async function postgresReachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

/** SQLite in memory: what the browser and page suites run on (the store is covered elsewhere). */
export const sqlite: DatabaseTarget = {
  name: "sqlite",
  url: () => "sqlite::memory:",
  drop: async () => {},
};

/**
 * SQLite on a file of its own, as deployed (`sqlite:./keyward.db` is the default): a
 * transaction's writes commit in the writer thread, checkpoints in the checkpoint thread.
 * Each URL gets a folder of its own, removed with the file.
 */
const sqliteFile: DatabaseTarget = {
  name: "sqlite",
  url: () => `sqlite:${join(mkdtempSync(join(tmpdir(), "keyward-test-")), "keyward.sqlite")}`,
  async drop(url) {
    rmSync(dirname(url.slice("sqlite:".length)), { recursive: true, force: true });
  },
};

const postgres: DatabaseTarget = {
  name: "postgres",
  // Each harness gets its own schema, so parallel runs and files never collide.
  url: () =>
    `${POSTGRES_URL}?schema=kw_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`,
  async drop(url) {
    const schema = new URL(url).searchParams.get("schema");
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
  },
};

/**
 * The databases every integration suite runs on: a SQLite file and PostgreSQL. PostgreSQL must be reachable in CI (CI=true);
 * elsewhere its absence skips those runs with a printed reason.
 */
export async function databaseTargets(): Promise<DatabaseTarget[]> {
  const unreachable = await postgresReachable();
  if (unreachable === undefined) return [sqliteFile, postgres];
  if (process.env.CI === "true") {
    throw new Error(
      `PostgreSQL at ${POSTGRES_URL} is required in CI but unreachable: ${unreachable}`,
    );
  }
  console.warn(`Skipping PostgreSQL runs: ${POSTGRES_URL} unreachable (${unreachable})`);
  return [sqliteFile];
}

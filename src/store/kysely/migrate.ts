import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import { migrations } from "./migrations/index.js";

const provider: MigrationProvider = {
  getMigrations: async (): Promise<Record<string, Migration>> => migrations,
};

/**
 * Brings the schema up to date. Kysely's migrator takes a lock row first, so several instances
 * starting at once run each migration exactly once.
 */
export async function migrateToLatest(db: Kysely<unknown>, schema?: string): Promise<string[]> {
  // Name the schema: Kysely looks for its tables across all schemas otherwise, and another
  // Keyward schema in the same database would look like ours.
  const migrator = new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) {
      return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
    }
    if (attempt >= MIGRATE_ATTEMPTS || !otherSchemaVanished(error, schema)) throw error;
  }
}

const MIGRATE_ATTEMPTS = 10;
const INVALID_SCHEMA_NAME = "3F000";
/** A table, or a column, that a catalog function looked up was gone by then. */
const UNDEFINED_TABLE = "42P01";
const UNDEFINED_COLUMN = "42703";

/**
 * Kysely's PostgreSQL introspection lists the tables of every schema, and asks
 * `pg_get_serial_sequence` about each of their columns; a schema, table or column dropped by
 * someone else while it reads fails the read ("schema … does not exist", "column "detail" of
 * relation "events" does not exist"). Nothing was migrated then, so trying again is safe; a
 * missing schema of our own is a real error, and a real error of our own migrations fails
 * every attempt alike.
 */
export function otherSchemaVanished(error: unknown, ours: string | undefined): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof message !== "string") return false;
  if (code === UNDEFINED_TABLE || code === UNDEFINED_COLUMN) return true;
  if (code !== INVALID_SCHEMA_NAME) return false;
  return ours === undefined || !message.includes(`"${ours}"`);
}

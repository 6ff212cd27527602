import Database from "better-sqlite3";

export type Row = Record<string, unknown>;

/** Opens another system's SQLite file read-only: an import never writes to its source. */
export function openReadOnly(path: string): Database.Database {
  return new Database(path, { readonly: true, fileMustExist: true });
}

/** The first of `candidates` that is a table in the file, or undefined. */
export function findTable(db: Database.Database, candidates: string[]): string | undefined {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Row[]).map((row) =>
      String(row.name),
    ),
  );
  return candidates.find((name) => tables.has(name));
}

/** All rows of a table; the name was checked against sqlite_master, and is quoted. */
export function rowsOf(db: Database.Database, table: string): Row[] {
  return db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`).all() as Row[];
}

/**
 * A date as SQLAlchemy or an ORM left it in SQLite: "2024-05-01 12:00:00.000000" (naive
 * UTC), an ISO string, or seconds / milliseconds since the epoch. Undefined when absent.
 */
export function sqliteInstant(value: unknown): number | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (typeof value === "number" || typeof value === "bigint") {
    const n = Number(value);
    return n < 100_000_000_000 ? n * 1000 : n;
  }
  const text = String(value).trim();
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(" ", "T")}Z`;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A boolean column: SQLite keeps 0/1 (or "true"/"false" from some ORMs). */
export function sqliteBoolean(value: unknown): boolean {
  return value === 1 || value === 1n || value === true || value === "1" || value === "true";
}

/** Bytes kept as a BLOB. */
export function blob(value: unknown): Buffer | undefined {
  return Buffer.isBuffer(value)
    ? value
    : value instanceof Uint8Array
      ? Buffer.from(value)
      : undefined;
}

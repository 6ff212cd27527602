import { randomUUID } from "node:crypto";
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from "kysely";
import type { Database } from "./schema.js";
import { executeCompiled } from "./sqlite-direct.js";

type Slot = { param: string } | { value: unknown };

/** SQL texts of the hot queries, named for PostgreSQL's prepared statements (per connection). */
const names = new Map<string, string>();
/** SQL texts whose result nobody reads: a transaction may send them without waiting. */
const deferrable = new Set<string>();

/** The prepared-statement name of a hot query's SQL, if it is one (see postgres-driver.ts). */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}

/** Whether a transaction may send this write without waiting for its answer. */
export function isDeferrable(sql: string): boolean {
  return deferrable.has(sql);
}

export interface PreparedOptions {
  /**
   * A write whose result nobody reads, whose failure is a fault (never a constraint a caller
   * handles) and that no other write of the same transaction depends on. Inside a PostgreSQL
   * transaction it is sent without waiting, and its failure fails the commit instead.
   */
  deferrable?: boolean;
}

/**
 * A query Kysely builds and compiles once per dialect instead of on every call: building the
 * tree, freezing it and compiling it cost more than running a point lookup on SQLite. `build`
 * receives placeholders for `params` and must pass them to Kysely untouched (no arithmetic or
 * branching on them); every call then runs the same SQL text with its own values, through
 * Kysely's executor, so transactions and the connection pool work as for any query.
 */
export function prepared<P extends Record<string, unknown>, O>(
  build: (db: Kysely<Database>, params: P) => Compilable<O>,
  options: PreparedOptions = {},
): (db: Kysely<Database>, params: P) => Promise<QueryResult<O>> {
  // The compiled form depends only on the dialect; a transaction shares its parent's adapter.
  const compiled = new WeakMap<object, { sql: string; slots: Slot[] }>();
  // Placeholders no constant in a query can equal: they name the parameter and a nonce.
  const nonce = randomUUID();
  const paramNames = new Map<unknown, string>();
  const placeholders = new Proxy({} as P, {
    get: (_target, name) => {
      const placeholder = `keyward-param:${String(name)}:${nonce}`;
      paramNames.set(placeholder, String(name));
      return placeholder;
    },
  });
  return (db, params) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      const { sql, parameters } = build(db, placeholders).compile();
      const slots = parameters.map((value): Slot => {
        const param = paramNames.get(value);
        return param === undefined ? { value } : { param };
      });
      query = { sql, slots };
      compiled.set(adapter, query);
      if (!names.has(sql)) names.set(sql, `keyward_${names.size}`);
      if (options.deferrable) deferrable.add(sql);
    }
    const values = query.slots.map((slot) => ("param" in slot ? params[slot.param] : slot.value));
    return executeCompiled(db, CompiledQuery.raw(query.sql, values) as CompiledQuery<O>);
  };
}

/**
 * A hand-written statement (for what Kysely's builder cannot say, e.g. PostgreSQL's
 * data-modifying CTEs), run through Kysely's executor like `prepared` queries and, on
 * PostgreSQL, as a named prepared statement.
 */
export function preparedSql<O>(
  text: string,
): (db: Kysely<Database>, values: readonly unknown[]) => Promise<QueryResult<O>> {
  if (!names.has(text)) names.set(text, `keyward_${names.size}`);
  return (db, values) =>
    executeCompiled(db, CompiledQuery.raw(text, [...values]) as CompiledQuery<O>);
}

import { randomUUID } from "node:crypto";
import { type Compilable, CompiledQuery, type Kysely, type QueryResult } from "kysely";
import type { Database } from "./schema.js";
import { executeCompiled } from "./sqlite-direct.js";

type Slot = { param: string } | { value: unknown };

/**
 * A query Kysely builds and compiles once per dialect instead of on every call: building the
 * tree, freezing it and compiling it cost more than running a point lookup on SQLite. `build`
 * receives placeholders for `params` and must pass them to Kysely untouched (no arithmetic or
 * branching on them); every call then runs the same SQL text with its own values, through
 * Kysely's executor, so transactions and the connection pool work as for any query.
 */
export function prepared<P extends Record<string, unknown>, O>(
  build: (db: Kysely<Database>, params: P) => Compilable<O>,
): (db: Kysely<Database>, params: P) => Promise<QueryResult<O>> {
  // The compiled form depends only on the dialect; a transaction shares its parent's adapter.
  const compiled = new WeakMap<object, { sql: string; slots: Slot[] }>();
  // Placeholders no constant in a query can equal: they name the parameter and a nonce.
  const nonce = randomUUID();
  const names = new Map<unknown, string>();
  const placeholders = new Proxy({} as P, {
    get: (_target, name) => {
      const placeholder = `keyward-param:${String(name)}:${nonce}`;
      names.set(placeholder, String(name));
      return placeholder;
    },
  });
  return (db, params) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      const { sql, parameters } = build(db, placeholders).compile();
      const slots = parameters.map((value): Slot => {
        const param = names.get(value);
        return param === undefined ? { value } : { param };
      });
      query = { sql, slots };
      compiled.set(adapter, query);
    }
    const values = query.slots.map((slot) => ("param" in slot ? params[slot.param] : slot.value));
    return executeCompiled(db, CompiledQuery.raw(query.sql, values) as CompiledQuery<O>);
  };
}

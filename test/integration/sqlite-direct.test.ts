import { CompiledQuery, type Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Connection, connect } from "../../src/store/kysely/connect.js";
import type { Database } from "../../src/store/kysely/schema.js";
import { executeCompiled } from "../../src/store/kysely/sqlite-direct.js";

// Queries that run on SQLite's connection directly (store/kysely/sqlite-direct.ts) must answer
// exactly as through Kysely's driver; the waiting rules are tested in group-commit.test.ts.
describe("SQLite queries run directly", () => {
  let connection: Connection;
  let db: Kysely<Database>;
  const query = (text: string, parameters: unknown[] = []) =>
    CompiledQuery.raw(text, parameters) as CompiledQuery<Record<string, unknown>>;

  beforeEach(async () => {
    connection = await connect("sqlite::memory:");
    db = connection.db;
    await sql`create table t (id integer primary key, name text, score real, data blob, note text)`.execute(
      db,
    );
    await sql`insert into t values (1, 'ada', 1.5, x'00ff', null), (2, 'bob', -2, x'', 'x')`.execute(
      db,
    );
  });
  afterEach(() => connection.close());

  it("returns the rows Kysely's driver returns: same values, keys, order and prototype", async () => {
    const select = query(
      `select a.*, b.name as other, a.id + b.id as total, ? as param
       from t a join t b on b.id <> a.id order by a.id`,
      ["p"],
    );
    const direct = (await executeCompiled(db, select)).rows;
    const viaKysely = (await db.executeQuery(select)).rows;
    expect(direct).toEqual(viaKysely);
    expect(direct.map((row) => Object.keys(row))).toEqual(viaKysely.map((row) => Object.keys(row)));
    expect(direct.every((row) => Object.getPrototypeOf(row) === Object.prototype)).toBe(true);
    expect(direct[0]).toMatchObject({ id: 1, name: "ada", other: "bob", total: 3, param: "p" });
    expect(Buffer.from(direct[0]!.data as Uint8Array)).toEqual(Buffer.from([0, 255]));
  });

  it("answers alike for columns named like Object.prototype's members", async () => {
    const select = query(`select name as "__proto__", id as "constructor", 1 as "1" from t`);
    const direct = (await executeCompiled(db, select)).rows;
    expect(direct).toEqual((await db.executeQuery(select)).rows);
    expect(Object.getPrototypeOf(direct[0])).toBe(Object.prototype);
  });

  it("reports the rows a write changed, and leaves the statement fit for Kysely's driver", async () => {
    const update = query("update t set note = ? where id > ?", ["y", 0]);
    expect((await executeCompiled(db, update)).numAffectedRows).toBe(2n);
    const select = query("select id, note from t order by id");
    await executeCompiled(db, select);
    // The same cached statement, now through Kysely: still rows as objects, not raw arrays.
    expect((await db.executeQuery(select)).rows).toEqual([
      { id: 1, note: "y" },
      { id: 2, note: "y" },
    ]);
  });
});

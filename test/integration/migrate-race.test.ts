import pg from "pg";
import { describe, expect, it } from "vitest";
import { migrate } from "../../src/store/kysely/index.js";
import { otherSchemaVanished } from "../../src/store/kysely/migrate.js";
import { databaseTargets } from "../helpers/databases.js";

const postgres = (await databaseTargets()).find((t) => t.name === "postgres");

// Kysely's PostgreSQL introspection reads every schema's tables, so a schema, table or column
// dropped by someone else at that moment used to fail Keyward's migration ("schema … does not
// exist", "column "detail" of relation "events" does not exist").
describe("which migration failures another schema's churn explains", () => {
  it("retries a schema, table or column that vanished under the introspection, not our own schema", () => {
    const vanished = (code: string, message: string) =>
      otherSchemaVanished(Object.assign(new Error(message), { code }), "kw_ours");
    expect(vanished("42703", 'column "detail" of relation "events" does not exist')).toBe(true);
    expect(vanished("42P01", 'relation "kw_other.events" does not exist')).toBe(true);
    expect(vanished("3F000", 'schema "kw_other" does not exist')).toBe(true);
    expect(vanished("3F000", 'schema "kw_ours" does not exist')).toBe(false);
    expect(vanished("23505", "duplicate key value violates unique constraint")).toBe(false);
  });
});

describe.skipIf(!postgres)("migrations beside other schemas' churn", () => {
  it("migrate() succeeds while other schemas are created and dropped all the time", async () => {
    const admin = new pg.Client({ connectionString: postgres!.url().split("?")[0] });
    await admin.connect();
    let churning = true;
    let churned = 0;
    const churn = (async () => {
      while (churning) {
        const schema = `kw_churn_${process.pid}_${churned++}`;
        await admin.query(`create schema ${schema}; create table ${schema}.t (id int)`);
        await admin.query(`drop schema ${schema} cascade`);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const urls = [postgres!.url(), postgres!.url(), postgres!.url(), postgres!.url()];
    try {
      for (const url of urls) expect(await migrate(url)).toContain("0001_core");
      expect(churned).toBeGreaterThan(0);
    } finally {
      churning = false;
      await churn;
      await admin.end();
      for (const url of urls) await postgres!.drop(url);
    }
  });
});

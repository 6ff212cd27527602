import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Connection, connect } from "../../src/store/kysely/connect.js";
import { isStoreFault } from "../../src/store/kysely/faults.js";
import { migrate } from "../../src/store/kysely/index.js";
import { prepared, preparedSql } from "../../src/store/kysely/prepared.js";
import { databaseTargets } from "../helpers/databases.js";
import { socketWritesTo } from "../helpers/socket-writes.js";
import { waitFor } from "../helpers/wait.js";

// The hot statements of many requests share a few pipelined connections ("lanes",
// store/kysely/postgres-driver.ts): what one event-loop turn sends leaves in one socket write,
// a transaction sent whole cannot be split by a neighbour's statements, a failure stays with
// its own statement or transaction, and a lane held up hands the next turns to another.
const postgres = (await databaseTargets()).find((t) => t.name === "postgres");
const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/test";

// Hot statements, as the stores declare theirs: named, prepared once per connection.
const readCount = preparedSql<{ count: number }>(
  `select "count" from "rate_limits" where "key" = $1`,
);
const readRow = preparedSql<Record<string, unknown>>(
  `select * from "rate_limits" where "key" = $1`,
);
// Shaped like the counted ceremony statements: their commit does not wait for the disk flush.
const quietCommit = preparedSql<{ off: string }>(
  `select set_config('synchronous_commit', 'off', true) as off`,
);
const bump = preparedSql(`update "rate_limits" set "count" = "count" + 1 where "key" = $1`);
const insertLimit = prepared(
  (db, p: { key: string; count: number }) =>
    db.insertInto("rate_limits").values({ key: p.key, count: p.count, reset_at: sql`0` as never }),
  { deferrable: true },
);

describe.skipIf(!postgres)("PostgreSQL lanes shared by concurrent requests", () => {
  let url: string;
  let application: string;
  let connection: Connection;
  let admin: pg.Client;
  const port = Number(new URL(ADMIN_URL).port || 5432);

  beforeAll(async () => {
    const base = postgres!.url();
    application = `kwlanes_${Math.random().toString(36).slice(2, 10)}`;
    url = `${base}&application_name=${application}`;
    await migrate(url);
    connection = await connect(url);
    admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await connection?.close();
    await admin?.end();
    if (url) await postgres!.drop(url);
  });

  const schema = () => new URL(url).searchParams.get("schema")!;
  const seed = async (key: string, count = 0) =>
    admin.query(
      `insert into "${schema()}".rate_limits (key, count, reset_at) values ($1, $2, 0)
       on conflict (key) do update set count = excluded.count`,
      [key, count],
    );
  const stored = async (key: string) =>
    (
      await admin.query<{ count: number }>(
        `select count from "${schema()}".rate_limits where key = $1`,
        [key],
      )
    ).rows[0]?.count;

  it("sends the hot statements of one event-loop turn in one socket write", async () => {
    await seed("turn", 7);
    // Connected and prepared first, so that only the statements themselves are counted.
    await readCount(connection.db, ["turn"]);
    let answers: Array<{ rows: Array<{ count: number }> }> = [];
    const writes = await socketWritesTo(port, async () => {
      answers = await Promise.all(
        Array.from({ length: 20 }, () => readCount(connection.db, ["turn"])),
      );
    });
    expect(answers.map((a) => a.rows[0]?.count)).toEqual(Array(20).fill(7));
    expect(writes).toHaveLength(1);
  });

  it("commits a transaction sent whole beside one that fails, and keeps nothing of the failed one", async () => {
    await seed("taken", 1);
    // Both transactions send everything at COMMIT, in the same turn, on the same lane: the
    // second's duplicate key aborts it alone.
    const [good, bad] = await Promise.allSettled([
      connection.db.transaction().execute(async (trx) => {
        await insertLimit(trx, { key: "good-1", count: 1 });
        await insertLimit(trx, { key: "good-2", count: 2 });
      }),
      connection.db.transaction().execute(async (trx) => {
        await insertLimit(trx, { key: "bad-1", count: 1 });
        await insertLimit(trx, { key: "taken", count: 5 });
      }),
    ]);
    expect(good.status).toBe("fulfilled");
    expect(bad.status).toBe("rejected");
    expect((bad as PromiseRejectedResult).reason).toMatchObject({ code: "23505" });
    expect(await stored("good-1")).toBe(1);
    expect(await stored("good-2")).toBe(2);
    expect(await stored("bad-1")).toBeUndefined();
    expect(await stored("taken")).toBe(1);
    // The lane goes on serving.
    expect((await readCount(connection.db, ["good-2"])).rows[0]?.count).toBe(2);
  });

  it("hands the next turns to another lane while one waits on a lock", async () => {
    await seed("locked", 0);
    await seed("free", 3);
    await admin.query("begin");
    try {
      await admin.query(`select * from "${schema()}".rate_limits where key = 'locked' for update`);
      const sentAt = performance.now();
      const blocked = bump(connection.db, ["locked"]);
      let blockedSettled = false;
      void blocked.finally(() => {
        blockedSettled = true;
      });
      // The lane's backend is waiting for the row.
      await waitFor(async () => {
        const { rows } = await admin.query<{ n: string }>(
          `select count(*) as n from pg_stat_activity
           where application_name = $1 and wait_event_type = 'Lock'`,
          [application],
        );
        return Number(rows[0]!.n) === 1;
      });
      // A lane counts as held up once a turn's statements wait past LANE_BUSY_MS (5 ms).
      await waitFor(() => performance.now() - sentAt > 20);
      // Another request's statement is answered meanwhile, on another lane.
      await waitFor(async () => (await readCount(connection.db, ["free"])).rows[0]?.count === 3);
      expect(blockedSettled).toBe(false);
    } finally {
      await admin.query("commit");
    }
    await waitFor(async () => (await stored("locked")) === 1);
  });

  it("prepares a lane's statements again when another instance adds a column to their table", async () => {
    await seed("shape", 4);
    const before = await Promise.all([
      readRow(connection.db, ["shape"]),
      readRow(connection.db, ["shape"]),
    ]);
    expect(before.map((r) => r.rows[0]?.count)).toEqual([4, 4]);
    await admin.query(`alter table "${schema()}".rate_limits add column added_later text`);
    try {
      // Several statements of one turn meet the outdated plan at once; each is answered.
      const after = await Promise.all(
        Array.from({ length: 5 }, () => readRow(connection.db, ["shape"])),
      );
      expect(after.map((r) => [r.rows[0]?.count, "added_later" in r.rows[0]!])).toEqual(
        Array(5).fill([4, true]),
      );
    } finally {
      await admin.query(`alter table "${schema()}".rate_limits drop column added_later`);
    }
  });

  it("runs a statement that commits without a disk flush on its own, and refuses it inside a transaction", async () => {
    // Alone, it is its own transaction: the setting ends with it (the lane's next commits wait).
    expect((await quietCommit(connection.db, [])).rows[0]?.off).toBe("off");
    const show = preparedSql<{ synchronous_commit: string }>("show synchronous_commit");
    expect((await show(connection.db, [])).rows[0]?.synchronous_commit).toBe("on");
    // Inside a transaction it would spare the whole transaction (a session, say) the flush.
    await expect(
      connection.db.transaction().execute(async (trx) => {
        await insertLimit(trx, { key: "durable", count: 1 });
        await quietCommit(trx, []);
      }),
    ).rejects.toThrow("commits without a disk flush");
    expect(await stored("durable")).toBeUndefined();
  });

  it("fails only what a killed lane carried, then serves on a new connection", async () => {
    await seed("survivor", 9);
    expect((await readCount(connection.db, ["survivor"])).rows[0]?.count).toBe(9);
    await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
      [application],
    );
    // A statement sent before the client learns of its loss fails as a store fault (503);
    // once it has, the lane borrows a new connection.
    const failures: unknown[] = [];
    await waitFor(async () => {
      try {
        return (await readCount(connection.db, ["survivor"])).rows[0]?.count === 9;
      } catch (error) {
        failures.push(error);
        return false;
      }
    });
    for (const failure of failures) expect(isStoreFault(failure), String(failure)).toBe(true);
    expect(failures.length).toBeLessThanOrEqual(1);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { type Kysely, sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect } from "../../src/store/kysely/connect.js";
import { GroupCommit } from "../../src/store/kysely/group-commit.js";
import type { Database } from "../../src/store/kysely/schema.js";
import type { Store } from "../../src/store/store.js";
import { passwordSession, storeWithUser } from "../helpers/store-session.js";

// On some errors (disk full, I/O errors) SQLite rolls the whole transaction back by itself, not
// only the failing statement. Then nothing of the transaction, nor of the other transactions
// group commit ran in it, was written: each must fail as a store fault (503), none may be
// reported done, and no later statement may run outside the transaction (SQLite would commit
// it on its own). A trigger that raises ROLLBACK ends the transaction the same way, on demand.
const dir = mkdtempSync(join(tmpdir(), "keyward-aborted-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ABORTING_IP = "ends-the-transaction";

const reasons = (results: PromiseSettledResult<unknown>[]) =>
  results.map((r) => (r.status === "rejected" ? (r.reason as { code?: string }).code : "done"));

describe("SQLite transactions that SQLite itself rolls back, on a database file", () => {
  let path: string;
  let store: Store;
  let userId: string;
  let files = 0;
  const session = (idHash: string, ip: string | null = null) => passwordSession(userId, idHash, ip);
  const stored = async (idHash: string) => (await store.sessions.byIdHash(idHash)) !== undefined;

  beforeEach(async () => {
    files += 1;
    path = join(dir, `aborted-${files}.sqlite`);
    ({ store, userId } = await storeWithUser(`sqlite:${path}`, `aborted-${files}`));
    const side = new BetterSqlite3(path);
    side.exec(
      `create trigger end_transaction before insert on sessions when new.ip = '${ABORTING_IP}'
       begin select raise(rollback, 'disk full, say'); end`,
    );
    side.close();
  });
  afterEach(() => store.close());

  /** Transactions started in one event-loop turn, so that they share a group commit batch. */
  const together = (...works: Array<(trx: Store) => Promise<unknown>>) =>
    Promise.allSettled(works.map((work) => store.transaction(work)));
  const create =
    (idHash: string, ip: string | null = null) =>
    (trx: Store) =>
      trx.sessions.create(session(idHash, ip));

  it("fails a batch of writes the writer thread could not keep as a store fault", async () => {
    const results = await together(create("alone", ABORTING_IP));
    expect(reasons(results)).toEqual(["STORE_UNAVAILABLE"]);
    expect(await stored("alone")).toBe(false);
    const batch = await together(
      create("before"),
      create("aborting", ABORTING_IP),
      create("after"),
    );
    // SQLite undid the whole batch: nobody in it is told the work was done.
    expect(reasons(batch)).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    for (const idHash of ["before", "aborting", "after"]) expect(await stored(idHash)).toBe(false);
    expect(reasons(await together(create("next")))).toEqual(["done"]);
    expect(await stored("next")).toBe(true);
  });

  it("fails a live batch (a statement waited on) as a store fault, writing none of it", async () => {
    const alone = await together(async (trx) => {
      await trx.sessions.byIdHash("nothing");
      await trx.sessions.create(session("read-first", ABORTING_IP));
    });
    expect(reasons(alone)).toEqual(["STORE_UNAVAILABLE"]);
    const batch = await together(
      create("live-before"),
      async (trx) => {
        await trx.sessions.byIdHash("live-before");
        await trx.sessions.create(session("live-aborting", ABORTING_IP));
      },
      create("live-after"),
    );
    expect(reasons(batch)).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    for (const idHash of ["read-first", "live-before", "live-aborting", "live-after"]) {
      expect(await stored(idHash)).toBe(false);
    }
    expect(reasons(await together(create("next")))).toEqual(["done"]);
  });

  it("runs no statement of a transaction outside it once SQLite has ended it", async () => {
    const results = await together(async (trx) => {
      await trx.sessions.byIdHash("nothing");
      // Work that catches the failure and goes on must not write on its own.
      await trx.sessions.create(session("caught", ABORTING_IP)).catch(() => {});
      await trx.sessions.create(session("went-on"));
    });
    expect(reasons(results)).toEqual(["STORE_UNAVAILABLE"]);
    expect(await stored("went-on")).toBe(false);
    expect(reasons(await together(create("next")))).toEqual(["done"]);
  });
});

describe("SQLite transactions that SQLite itself rolls back, in memory (batches on the app's connection)", () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let batches: GroupCommit;
  const on = (store: Store) => (store as unknown as { trx: Kysely<Database> }).trx;
  const insert = (id: number) => (store: Store) =>
    sql`insert into item (id) values (${id})`.execute(on(store));
  const count = async () =>
    (await sql<{ n: number }>`select count(*) as n from item`.execute(db)).rows[0]!.n;

  beforeEach(async () => {
    ({ db, close } = await connect("sqlite::memory:"));
    await sql`create table item (id integer primary key)`.execute(db);
    // Item 13 ends the transaction, as a full disk would.
    await sql
      .raw(`create trigger end_transaction before insert on item when new.id = 13
      begin select raise(rollback, 'disk full, say'); end`)
      .execute(db);
    // GroupCommit on its own, so that a work can reach the SQL connection directly.
    batches = new GroupCommit(db, (trx) => ({ trx }) as unknown as Store);
  });
  afterEach(() => close());

  it("fails a transaction alone in its turn as a store fault", async () => {
    const results = await Promise.allSettled([batches.run(insert(13))]);
    expect(reasons(results)).toEqual(["STORE_UNAVAILABLE"]);
    expect(await count()).toBe(0);
  });

  it("fails every transaction of the turn, reports none done and writes none of them", async () => {
    const results = await Promise.allSettled([
      batches.run(insert(1)),
      batches.run(insert(13)),
      batches.run(insert(3)),
    ]);
    expect(reasons(results)).toEqual([
      "STORE_UNAVAILABLE",
      "STORE_UNAVAILABLE",
      "STORE_UNAVAILABLE",
    ]);
    expect(await count()).toBe(0);
    await batches.run(insert(4));
    expect(await count()).toBe(1);
  });

  it("runs no statement of a transaction outside it once SQLite has ended it", async () => {
    const results = await Promise.allSettled([
      batches.run(insert(1)),
      batches.run(async (store) => {
        await insert(13)(store).catch(() => {});
        await insert(2)(store);
      }),
    ]);
    expect(reasons(results)).toEqual(["STORE_UNAVAILABLE", "STORE_UNAVAILABLE"]);
    expect(await count()).toBe(0);
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kysely, sql } from "kysely";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { KeywardError } from "../../src/core/errors.js";
import { connect } from "../../src/store/kysely/connect.js";
import { GroupCommit } from "../../src/store/kysely/group-commit.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { Database } from "../../src/store/kysely/schema.js";
import type { Store } from "../../src/store/store.js";
import { passwordSession } from "../helpers/store-session.js";

// On SQLite, transactions that arrive in the same event-loop turn share one commit, each in
// its own savepoint (store/kysely/group-commit.ts). These tests start them in one turn, in
// memory (batches commit on the app's connection) and on a file (batches of deferrable
// writes commit in the writer thread; see also sqlite-writer.test.ts).
const dir = mkdtempSync(join(tmpdir(), "keyward-group-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const databases = {
  memory: () => "sqlite::memory:",
  file: () => `sqlite:${join(dir, `group-${++files}.sqlite`)}`,
};

describe.each(Object.keys(databases) as Array<keyof typeof databases>)(
  "SQLite group commit (%s)",
  (kind) => {
    let store: Store;
    let userId: string;
    const session = (idHash: string) => passwordSession(userId, idHash);
    const stored = async (idHash: string) => (await store.sessions.byIdHash(idHash)) !== undefined;

    beforeEach(async () => {
      store = await openKyselyStore(databases[kind](), { clock: systemClock });
      userId = (
        await store.users.create({
          email: "batch@example.com",
          username: null,
          passwordHash: null,
          webauthnUserHandle: "handle-batch",
        })
      ).id;
    });
    afterEach(() => store.close());

    it("rolls back only the transaction that throws; the others in its turn commit", async () => {
      const results = await Promise.allSettled([
        store.transaction(async (trx) => trx.sessions.create(session("first"))),
        store.transaction(async (trx) => {
          await trx.sessions.create(session("failing"));
          throw new KeywardError("INVALID_INPUT", "refused by the test");
        }),
        store.transaction(async (trx) => {
          // Sees the writes committed before it in the same turn, as if run one after another.
          expect(await trx.sessions.byIdHash("first")).toBeDefined();
          return trx.sessions.create(session("third"));
        }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      const refused = (results[1] as PromiseRejectedResult).reason as KeywardError;
      expect(refused.code).toBe("INVALID_INPUT");
      expect(await stored("first")).toBe(true);
      expect(await stored("failing")).toBe(false);
      expect(await stored("third")).toBe(true);
    });

    // Queries run on SQLite's connection directly unless a transaction is open on it that the
    // caller is not part of (store/kysely/sqlite-direct.ts); this is the case they must wait in.
    it("makes a read outside an open transaction wait for it, never seeing its uncommitted rows", async () => {
      const turns = () => new Promise((resolve) => setTimeout(resolve, 10));
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const kept = store.transaction(async (trx) => {
        await trx.sessions.create(session("kept"));
        // Inside the transaction its own row is there.
        expect(await trx.sessions.byIdHash("kept")).toBeDefined();
        await held;
      });
      await turns();
      let answered = false;
      const reading = store.sessions.byIdHash("kept").finally(() => (answered = true));
      await turns();
      expect(answered).toBe(false);
      release();
      await kept;
      expect(await reading).toBeDefined();
    });

    it("lets a read outside a rolled-back transaction find nothing of it", async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const dropped = store.transaction(async (trx) => {
        await trx.sessions.create(session("dropped"));
        await held;
        throw new Error("rolled back by the test");
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
      const reading = store.sessions.byIdHash("dropped");
      release();
      await expect(dropped).rejects.toThrow();
      expect(await reading).toBeUndefined();
    });

    it("answers nobody in a turn as done when the shared commit fails", async () => {
      // GroupCommit on its own, so that a work can reach the SQL connection directly.
      const { db, close } = await connect(databases[kind]());
      try {
        await sql`create table parent (id integer primary key)`.execute(db);
        await sql`create table child (id integer primary key, parent_id integer references parent (id))`.execute(
          db,
        );
        await sql`pragma foreign_keys = on`.execute(db);
        const batches = new GroupCommit(db, (trx) => ({ trx }) as unknown as Store);
        const on = (store: Store) => (store as unknown as { trx: Kysely<Database> }).trx;
        const results = await Promise.allSettled([
          batches.run(async (store) => sql`insert into parent (id) values (1)`.execute(on(store))),
          batches.run(async (store) => {
            // A foreign key checked only at COMMIT: the commit of the whole turn fails.
            await sql`pragma defer_foreign_keys = on`.execute(on(store));
            await sql`insert into child (id, parent_id) values (1, 99)`.execute(on(store));
          }),
        ]);
        expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
        expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
          code: "STORE_UNAVAILABLE",
        });
        const count = async (table: string) =>
          (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db))
            .rows[0]!.n;
        expect(await count("parent")).toBe(0);
        expect(await count("child")).toBe(0);
        // The connection is usable again at once.
        await batches.run(async (store) =>
          sql`insert into parent (id) values (2)`.execute(on(store)),
        );
        expect(await count("parent")).toBe(1);
      } finally {
        await close();
      }
    });
  },
);

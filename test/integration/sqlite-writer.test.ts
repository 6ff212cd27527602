import { mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.js";
import { runningCheckpointers } from "../../src/store/kysely/checkpointer.js";
import { openKyselyStore } from "../../src/store/kysely/index.js";
import type { Store } from "../../src/store/store.js";
import { passwordSession, storeWithUser } from "../helpers/store-session.js";

// On a database file, group commit hands a batch whose statements are all deferrable writes
// (a sign-in's) to the writer thread (store/kysely/sqlite-writer.ts, write-capture.ts); a
// statement waited on makes the batch run on the app's connection as before. These tests
// start their transactions in one event-loop turn, so that they share a batch.
const dir = mkdtempSync(join(tmpdir(), "keyward-writer-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Statements run by better-sqlite3 in this thread (the writer thread has its own module).
const statementProto = Object.getPrototypeOf(new BetterSqlite3(":memory:").prepare("select 1"));
const originalRun = statementProto.run as (...args: unknown[]) => unknown;
let writesHere: string[] = [];
statementProto.run = function (this: { source: string }, ...args: unknown[]) {
  if (/^\s*(insert|update|delete)/i.test(this.source)) writesHere.push(this.source);
  return originalRun.apply(this, args);
};
afterAll(() => {
  statementProto.run = originalRun;
});

describe("SQLite writer thread", () => {
  let path: string;
  let store: Store;
  let userId: string;
  let files = 0;
  const session = (idHash: string, ip: string | null = null) => passwordSession(userId, idHash, ip);
  const stored = async (idHash: string) => (await store.sessions.byIdHash(idHash)) !== undefined;
  /** A connection of the test's own to the same file. */
  const beside = () => new BetterSqlite3(path);
  /** Makes inserting a session with this ip fail inside the database, as a fault would. */
  const refuseSessionsFrom = (ip: string) => {
    const db = beside();
    db.exec(
      `create trigger refuse_${ip} before insert on sessions when new.ip = '${ip}'
       begin select raise(abort, 'refused by the test'); end`,
    );
    db.close();
  };
  /** A turn's transactions, each creating one session: all deferrable writes. */
  const signIns = (...idHashes: string[]) =>
    Promise.allSettled(
      idHashes.map((idHash) =>
        store.transaction(async (trx) => {
          await trx.sessions.create(session(idHash, idHash.startsWith("refused") ? "x" : null));
          await trx.events.add({
            type: "user.login",
            userId,
            at: Date.now(),
            ip: null,
            detail: {},
          });
          return idHash;
        }),
      ),
    );

  beforeEach(async () => {
    files += 1;
    path = join(dir, `writer-${files}.sqlite`);
    ({ store, userId } = await storeWithUser(`sqlite:${path}`, `writer-${files}`));
  });
  afterEach(() => store.close());

  it("commits a turn of deferrable writes in the writer thread, none on the app's connection", async () => {
    await signIns("warm-up");
    writesHere = [];
    const results = await signIns("a", "b", "c");
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled"]);
    expect(writesHere).toEqual([]);
    for (const idHash of ["a", "b", "c"]) expect(await stored(idHash)).toBe(true);
    // Committed to the file: another connection sees them.
    const other = beside();
    const count = other.prepare("select count(*) as n from sessions").get() as { n: number };
    other.close();
    expect(count.n).toBe(4);
  });

  it("rolls back only the transaction whose write fails in the writer; the batch commits", async () => {
    refuseSessionsFrom("x");
    const results = await signIns("first", "refused", "third");
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    expect(await stored("first")).toBe(true);
    expect(await stored("refused")).toBe(false);
    expect(await stored("third")).toBe(true);
    // Its event went with it: one per committed transaction.
    const events = await store.events.list({ userId });
    expect(events.filter((e) => e.type === "user.login")).toHaveLength(2);
  });

  it("runs a batch on the app's connection once a statement is waited on, seeing the earlier writes", async () => {
    const results = await Promise.allSettled([
      store.transaction(async (trx) => trx.sessions.create(session("early"))),
      store.transaction(async (trx) => {
        // Deferred in the writer's batch until this read: the batch goes live first.
        expect(await trx.sessions.byIdHash("early")).toBeDefined();
        await trx.sessions.create(session("late"));
        expect(await trx.sessions.byIdHash("late")).toBeDefined();
      }),
      store.transaction(async (trx) => {
        await trx.sessions.create(session("after"));
        throw new Error("undone by the test");
      }),
      store.transaction(async (trx) => trx.sessions.create(session("last"))),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    expect(await stored("early")).toBe(true);
    expect(await stored("late")).toBe(true);
    expect(await stored("after")).toBe(false);
    expect(await stored("last")).toBe(true);
  });

  it("surfaces a deferred write's failure at the next statement waited on", async () => {
    refuseSessionsFrom("x");
    let seen: unknown;
    const results = await Promise.allSettled([
      store.transaction(async (trx) => trx.sessions.create(session("kept"))),
      store.transaction(async (trx) => {
        await trx.sessions.create(session("refused", "x"));
        try {
          await trx.sessions.byIdHash("kept");
        } catch (error) {
          seen = error;
          throw error;
        }
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(seen).toMatchObject({ code: "STORE_UNAVAILABLE" });
    expect(await stored("kept")).toBe(true);
    expect(await stored("refused")).toBe(false);
  });

  it("fails every transaction of a batch the writer cannot begin, and writes nothing of it", async () => {
    const holder = beside();
    holder.pragma("busy_timeout = 0");
    holder.exec("begin immediate");
    let settled: Array<PromiseSettledResult<string>>;
    try {
      // The writer waits for the lock as long as its busy timeout, then gives up.
      settled = await signIns("locked-1", "locked-2");
    } finally {
      holder.exec("rollback");
      holder.close();
    }
    expect(settled.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    for (const result of settled) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: "STORE_UNAVAILABLE",
      });
    }
    expect(await stored("locked-1")).toBe(false);
    expect(await stored("locked-2")).toBe(false);
    // The next batch commits.
    expect((await signIns("unlocked")).map((r) => r.status)).toEqual(["fulfilled"]);
    expect(await stored("unlocked")).toBe(true);
  }, 20_000);

  it("deletes what expired in the writer thread, not on the app's connection", async () => {
    const now = Date.now();
    await store.transaction(async (trx) => {
      for (let i = 0; i < 50; i++) {
        await trx.sessions.create({ ...session(`old-${i}`), expiresAt: now - 1 });
        await trx.sessions.create({ ...session(`live-${i}`), expiresAt: now + 60_000 });
      }
    });
    writesHere = [];
    expect(await store.sessions.deleteExpired(now, now - 3_600_000)).toBe(50);
    expect(writesHere).toEqual([]);
    expect(await stored("old-7")).toBe(false);
    expect(await stored("live-7")).toBe(true);
  });

  it("makes a write of the app's connection wait until the writer has committed", async () => {
    const committing = signIns("behind");
    await new Promise((resolve) => setImmediate(resolve));
    // Outside a transaction: runs on the app's connection once the writer is done.
    const deleted = store.sessions.delete("behind");
    const [result] = await committing;
    expect(result?.status).toBe("fulfilled");
    expect(await deleted).toBe(true);
    expect(await stored("behind")).toBe(false);
  });

  it("fails the batch of a writer thread that stops, then commits on the app's connection", async () => {
    // The thread starts with the first batch and opens the file by its name: gone, it fails.
    renameSync(path, `${path}.moved`);
    const first = await signIns("while-moved");
    renameSync(`${path}.moved`, path);
    expect(first.map((r) => r.status)).toEqual(["rejected"]);
    expect((first[0] as PromiseRejectedResult).reason).toMatchObject({
      code: "STORE_UNAVAILABLE",
    });
    expect(await stored("while-moved")).toBe(false);
    writesHere = [];
    expect((await signIns("after")).map((r) => r.status)).toEqual(["fulfilled"]);
    expect(await stored("after")).toBe(true);
    expect(writesHere.some((sql) => sql.startsWith('insert into "sessions"'))).toBe(true);
  });

  it("starts the checkpoint thread with the writer, for a server that only signs users in", async () => {
    // A restart: the app's connection has prepared no write, so nothing started the thread.
    await store.close();
    store = await openKyselyStore(`sqlite:${path}`, { clock: systemClock });
    expect(runningCheckpointers()).toBe(0);
    writesHere = [];
    expect((await signIns("only")).map((r) => r.status)).toEqual(["fulfilled"]);
    expect(writesHere).toEqual([]);
    expect(runningCheckpointers()).toBe(1);
  });

  it("lets a batch being written finish before the store closes", async () => {
    const committing = signIns("closing");
    await new Promise((resolve) => setImmediate(resolve));
    await store.close();
    expect((await committing).map((r) => r.status)).toEqual(["fulfilled"]);
    store = await openKyselyStore(`sqlite:${path}`, { clock: systemClock });
    expect(await stored("closing")).toBe(true);
  });
});

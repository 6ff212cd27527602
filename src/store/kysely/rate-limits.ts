import { type Kysely, sql } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { RateLimiter } from "../store.js";
import { prepared } from "./prepared.js";
import type { Database } from "./schema.js";
import { changeRows } from "./sqlite-direct.js";

// Every sign-in and password check reserves an attempt and most refund it: compiled once each
// (see prepared.ts).
const countHit = prepared((db, p: { key: string; now: number; resetAt: number }) =>
  db
    .insertInto("rate_limits")
    .values({ key: p.key, count: 1, reset_at: p.resetAt })
    .onConflict((oc) =>
      oc.column("key").doUpdateSet({
        // In an upsert, the table name refers to the row already stored.
        count: sql<number>`case when rate_limits.reset_at > ${p.now} then rate_limits.count + 1 else 1 end`,
        reset_at: sql<number>`case when rate_limits.reset_at > ${p.now} then rate_limits.reset_at else excluded.reset_at end`,
      }),
    )
    .returning(["count", "reset_at"]),
);

// Conditional on the window the hit was counted in: a refund that arrives after the window
// rolled over must not take a hit from the next one.
// Nobody reads its result: inside a transaction (a key sign-in's refund, made with its writes)
// PostgreSQL gets it with the other writes and COMMIT, in one round trip.
const refundHit = prepared(
  (db, p: { key: string; resetAt: number }) =>
    db
      .updateTable("rate_limits")
      .set({ count: sql<number>`count - 1` })
      .where("key", "=", p.key)
      .where("reset_at", "=", p.resetAt)
      .where("count", ">", 0),
  { deferrable: true },
);

const currentWindow = prepared((db, p: { key: string; now: number }) =>
  db
    .selectFrom("rate_limits")
    .select(["count", "reset_at"])
    .where("key", "=", p.key)
    .where("reset_at", ">", p.now),
);

/**
 * Fixed-window counters in SQL: one row per key, upserted (or refunded) in one statement, so
 * every instance sharing the database counts together and concurrent hits are never lost.
 */
export function kyselyRateLimits(db: Kysely<Database>, clock: Clock): RateLimiter {
  return {
    inTransactions: true,
    async hit(key, windowMs) {
      const now = clock.now();
      // Windows are aligned to the epoch, so every instance agrees on where one ends.
      const resetAt = (Math.floor(now / windowMs) + 1) * windowMs;
      const [row] = (await countHit(db, { key, now, resetAt })).rows;
      if (!row) throw new Error("rate_limits: the upsert returned no row");
      return { count: Number(row.count), resetAt: Number(row.reset_at) };
    },
    async refund(key, resetAt) {
      await refundHit(db, { key, resetAt });
    },
    async peek(key, windowMs) {
      const now = clock.now();
      const [row] = (await currentWindow(db, { key, now })).rows;
      const resetAt = (Math.floor(now / windowMs) + 1) * windowMs;
      return row
        ? { count: Number(row.count), resetAt: Number(row.reset_at) }
        : { count: 0, resetAt };
    },
    deleteExpired(now) {
      return changeRows(db, db.deleteFrom("rate_limits").where("reset_at", "<=", now).compile());
    },
  };
}

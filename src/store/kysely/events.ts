import type { Kysely, Selectable } from "kysely";
import { timeOrderedId } from "../../core/ids.js";
import type { EventRepo } from "../store.js";
import { prepared } from "./prepared.js";
import type { Database, EventsTable } from "./schema.js";

// Written by every sign-in: compiled once (see prepared.ts).
const insertEvent = prepared(
  (db, row: Selectable<EventsTable>) =>
    db.insertInto("events").values({
      id: row.id,
      user_id: row.user_id,
      type: row.type,
      at: row.at,
      ip: row.ip,
      detail: row.detail,
    }),
  // An event's id is time-ordered and random; nothing reads the insert's result.
  { deferrable: true },
);

type EventRow = Selectable<EventsTable>;
const COLUMNS = ["id", "user_id", "type", "at", "ip", "detail"] as const;

/** The insert of `count` event rows in one statement, compiled once per count. */
const insertEventsOf = new Map<number, ReturnType<typeof insertRows>>();
function insertRows(count: number) {
  return prepared(
    (db, p: Record<string, unknown>) =>
      db.insertInto("events").values(
        Array.from({ length: count }, (_, i) => ({
          id: p[`id${i}`] as string,
          user_id: p[`user_id${i}`] as string | null,
          type: p[`type${i}`] as string,
          at: p[`at${i}`] as number,
          ip: p[`ip${i}`] as string | null,
          detail: p[`detail${i}`] as string,
        })),
      ),
    { deferrable: true },
  );
}

function toRow(event: Parameters<EventRepo["add"]>[0]): EventRow {
  return {
    id: timeOrderedId(event.at),
    user_id: event.userId,
    type: event.type,
    at: event.at,
    ip: event.ip,
    detail: JSON.stringify(event.detail),
  };
}

/**
 * The events of one PostgreSQL transaction: kept until `flush`, which the transaction calls
 * before it commits, and written then in one statement (a sign-in records two).
 */
export function kyselyTransactionEvents(db: Kysely<Database>): EventRepo {
  const pending: EventRow[] = [];
  return {
    ...kyselyEvents(db),
    async add(event) {
      pending.push(toRow(event));
    },
    async flush() {
      if (pending.length === 0) return;
      const rows = pending.splice(0);
      if (rows.length === 1) {
        await insertEvent(db, rows[0]!);
        return;
      }
      let insert = insertEventsOf.get(rows.length);
      if (!insert) {
        insert = insertRows(rows.length);
        insertEventsOf.set(rows.length, insert);
      }
      const params: Record<string, unknown> = {};
      for (const [i, row] of rows.entries()) {
        for (const column of COLUMNS) params[`${column}${i}`] = row[column];
      }
      await insert(db, params);
    },
  };
}

export function kyselyEvents(db: Kysely<Database>): EventRepo {
  return {
    async add(event) {
      await insertEvent(db, toRow(event));
    },
    async list(query) {
      let q = db.selectFrom("events").selectAll();
      if (query.userId !== undefined) q = q.where("user_id", "=", query.userId);
      if (query.type !== undefined) q = q.where("type", "=", query.type);
      if (query.since !== undefined) q = q.where("at", ">=", query.since);
      if (query.until !== undefined) q = q.where("at", "<", query.until);
      const rows = await q
        .orderBy("at", "desc")
        .limit(query.limit ?? 100)
        .execute();
      return rows.map((row) => ({
        id: row.id,
        userId: row.user_id,
        type: row.type,
        at: Number(row.at),
        ip: row.ip,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      }));
    },
  };
}

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

export function kyselyEvents(db: Kysely<Database>): EventRepo {
  return {
    async add(event) {
      await insertEvent(db, {
        id: timeOrderedId(event.at),
        user_id: event.userId,
        type: event.type,
        at: event.at,
        ip: event.ip,
        detail: JSON.stringify(event.detail),
      });
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

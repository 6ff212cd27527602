import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { randomId } from "../../core/ids.js";
import type { OneTimeCode, OneTimeCodeRepo } from "../store.js";
import type { Database, OneTimeCodesTable } from "./schema.js";
import { changeRows } from "./sqlite-direct.js";

function toCode(row: Selectable<OneTimeCodesTable>): OneTimeCode {
  return {
    id: row.id,
    userId: row.user_id,
    boundTo: row.bound_to,
    channel: row.channel as OneTimeCode["channel"],
    codeHash: row.code_hash,
    destination: row.destination,
    attempts: Number(row.attempts),
    expiresAt: Number(row.expires_at),
  };
}

export function kyselyOneTimeCodes(db: Kysely<Database>, clock: Clock): OneTimeCodeRepo {
  return {
    async put(code) {
      const row = {
        id: randomId(),
        user_id: code.userId,
        bound_to: code.boundTo,
        channel: code.channel,
        code_hash: code.codeHash,
        destination: code.destination,
        attempts: 0,
        expires_at: code.expiresAt,
        created_at: clock.now(),
      };
      // A resend replaces the row (new id, attempts back to 0): the old code stops working.
      await db
        .insertInto("one_time_codes")
        .values(row)
        .onConflict((oc) =>
          oc.column("bound_to").doUpdateSet({
            id: row.id,
            user_id: row.user_id,
            channel: row.channel,
            code_hash: row.code_hash,
            destination: row.destination,
            attempts: 0,
            expires_at: row.expires_at,
            created_at: row.created_at,
          }),
        )
        .execute();
    },
    async find(boundTo) {
      const row = await db
        .selectFrom("one_time_codes")
        .selectAll()
        .where("bound_to", "=", boundTo)
        .executeTakeFirst();
      return row ? toCode(row) : undefined;
    },
    async countAttempt(id, maxAttempts) {
      const result = await db
        .updateTable("one_time_codes")
        .set((eb) => ({ attempts: eb("attempts", "+", 1) }))
        .where("id", "=", id)
        .where("attempts", "<", maxAttempts)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async take(id) {
      const result = await db.deleteFrom("one_time_codes").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    deleteExpired(now) {
      return changeRows(
        db,
        db.deleteFrom("one_time_codes").where("expires_at", "<=", now).compile(),
      );
    },
  };
}

import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { AccountToken, AccountTokenPurpose } from "../../core/types.js";
import type { AccountTokenRepo } from "../store.js";
import type { AccountTokensTable, Database } from "./schema.js";
import { changeRows } from "./sqlite-direct.js";

function toToken(row: Selectable<AccountTokensTable>): AccountToken {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    purpose: row.purpose as AccountTokenPurpose,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
  };
}

export function kyselyAccountTokens(db: Kysely<Database>, clock: Clock): AccountTokenRepo {
  return {
    async create(token) {
      await db
        .insertInto("account_tokens")
        .values({
          id_hash: token.idHash,
          user_id: token.userId,
          purpose: token.purpose,
          data: JSON.stringify(token.data),
          created_at: clock.now(),
          expires_at: token.expiresAt,
          used_at: null,
        })
        .execute();
    },
    async find(idHash, purpose) {
      const row = await db
        .selectFrom("account_tokens")
        .selectAll()
        .where("id_hash", "=", idHash)
        .where("purpose", "=", purpose)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return row ? toToken(row) : undefined;
    },
    async consume(idHash, purpose, now) {
      // One statement: of two racing requests, only one sees used_at still null.
      const row = await db
        .updateTable("account_tokens")
        .set({ used_at: now })
        .where("id_hash", "=", idHash)
        .where("purpose", "=", purpose)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst();
      return row ? toToken(row) : undefined;
    },
    async deleteForUser(userId, purpose) {
      let query = db.deleteFrom("account_tokens").where("user_id", "=", userId);
      if (purpose !== undefined) query = query.where("purpose", "=", purpose);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    deleteExpired(now) {
      return changeRows(
        db,
        db
          .deleteFrom("account_tokens")
          .where((eb) => eb.or([eb("expires_at", "<=", now), eb("used_at", "is not", null)]))
          .compile(),
      );
    },
  };
}

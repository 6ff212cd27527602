import type { Kysely } from "kysely";
import type { Clock } from "../../core/clock.js";
import { randomId } from "../../core/ids.js";
import type { RecoveryCodeRepo } from "../store.js";
import type { Database } from "./schema.js";

export function kyselyRecoveryCodes(db: Kysely<Database>, clock: Clock): RecoveryCodeRepo {
  return {
    async replace(userId, codeHashes) {
      await db.deleteFrom("recovery_codes").where("user_id", "=", userId).execute();
      if (codeHashes.length === 0) return;
      const now = clock.now();
      await db
        .insertInto("recovery_codes")
        .values(
          codeHashes.map((codeHash) => ({
            id: randomId(),
            user_id: userId,
            code_hash: codeHash,
            created_at: now,
            used_at: null,
          })),
        )
        .execute();
    },
    async listUnused(userId) {
      const rows = await db
        .selectFrom("recovery_codes")
        .select(["id", "code_hash"])
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .execute();
      return rows.map((row) => ({ id: row.id, codeHash: row.code_hash }));
    },
    async markUsed(id, usedAt) {
      const result = await db
        .updateTable("recovery_codes")
        .set({ used_at: usedAt })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async countUnused(userId) {
      const row = await db
        .selectFrom("recovery_codes")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("user_id", "=", userId)
        .where("used_at", "is", null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async deleteForUser(userId) {
      const result = await db
        .deleteFrom("recovery_codes")
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

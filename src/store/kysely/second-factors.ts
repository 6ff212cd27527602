import type { Kysely } from "kysely";
import type { SecondFactorChange, SecondFactorRepo } from "../store.js";
import type { Database } from "./schema.js";

/** A user's second-factor settings: the `tf_*` columns of the users table. */
export function kyselySecondFactors(db: Kysely<Database>): SecondFactorRepo {
  return {
    async get(userId) {
      const row = await db
        .selectFrom("users")
        .select([
          "tf_primary_method",
          "tf_totp_secret",
          "tf_totp_last_step",
          "tf_phone",
          "tf_email_enabled",
          "tf_revision",
        ])
        .where("id", "=", userId)
        .executeTakeFirst();
      if (!row) return undefined;
      return {
        primaryMethod: row.tf_primary_method,
        totpSecret: row.tf_totp_secret,
        totpLastStep: row.tf_totp_last_step === null ? null : Number(row.tf_totp_last_step),
        phone: row.tf_phone,
        emailEnabled: row.tf_email_enabled === 1,
        revision: Number(row.tf_revision),
      };
    },
    async change(userId, change: SecondFactorChange) {
      await db
        .updateTable("users")
        .set((eb) => ({
          ...(change.primaryMethod !== undefined
            ? { tf_primary_method: change.primaryMethod }
            : {}),
          ...(change.totpSecret !== undefined ? { tf_totp_secret: change.totpSecret } : {}),
          ...(change.totpLastStep !== undefined ? { tf_totp_last_step: change.totpLastStep } : {}),
          ...(change.phone !== undefined ? { tf_phone: change.phone } : {}),
          ...(change.emailEnabled !== undefined
            ? { tf_email_enabled: change.emailEnabled ? 1 : 0 }
            : {}),
          tf_revision: eb("tf_revision", "+", 1),
        }))
        .where("id", "=", userId)
        .execute();
    },
    async acceptTotpStep(userId, step) {
      // One conditional UPDATE: of two requests racing with the same code, only one matches.
      const result = await db
        .updateTable("users")
        .set({ tf_totp_last_step: step })
        .where("id", "=", userId)
        .where((eb) =>
          eb.or([eb("tf_totp_last_step", "is", null), eb("tf_totp_last_step", "<", step)]),
        )
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

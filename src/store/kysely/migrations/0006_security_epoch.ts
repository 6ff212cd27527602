import type { Kysely, Migration } from "kysely";

/**
 * The user's security epoch: goes up whenever who owns the account is re-established
 * (password reset or change, recovery, sign out everywhere). Remembered devices and sign-ins
 * waiting for a second factor carry the epoch they began in; one from an earlier epoch is void.
 */
export const securityEpoch: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("users")
      .addColumn("security_epoch", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("users").dropColumn("security_epoch").execute();
  },
};

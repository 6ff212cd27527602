import type { Kysely, Migration } from "kysely";

/**
 * What earned each session (the first factor and the second, as FactorRefs such as
 * `key:<id>` or `totp`), so that removing a key or a factor ends the sessions it earned in
 * one statement. Sessions from before this migration have neither and are left to expire.
 */
export const sessionFactors: Migration = {
  async up(db: Kysely<unknown>) {
    // SQLite adds one column per statement.
    await db.schema.alterTable("sessions").addColumn("first_factor", "text").execute();
    await db.schema.alterTable("sessions").addColumn("second_factor", "text").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("sessions").dropColumn("second_factor").execute();
    await db.schema.alterTable("sessions").dropColumn("first_factor").execute();
  },
};

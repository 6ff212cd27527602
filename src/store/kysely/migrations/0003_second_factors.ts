import type { Kysely, Migration } from "kysely";

/**
 * Second factors: email enrolment and a settings revision on the user (the other `tf_*`
 * columns came with 0001), recovery codes, SMS/email one-time codes and rate-limit counters.
 */
export const secondFactors: Migration = {
  async up(db: Kysely<unknown>) {
    // SQLite adds one column per statement.
    await db.schema
      .alterTable("users")
      .addColumn("tf_email_enabled", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .alterTable("users")
      .addColumn("tf_revision", "integer", (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable("recovery_codes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("code_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .execute();
    await db.schema
      .createIndex("recovery_codes_user_id")
      .on("recovery_codes")
      .column("user_id")
      .execute();

    await db.schema
      .createTable("one_time_codes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      // One live code per pending state: a resend replaces the code, never adds a second.
      .addColumn("bound_to", "text", (c) => c.notNull().unique())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("code_hash", "text", (c) => c.notNull())
      .addColumn("destination", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("one_time_codes_expires_at")
      .on("one_time_codes")
      .column("expires_at")
      .execute();

    await db.schema
      .createTable("rate_limits")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("count", "integer", (c) => c.notNull())
      .addColumn("reset_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("rate_limits_reset_at")
      .on("rate_limits")
      .column("reset_at")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ["rate_limits", "one_time_codes", "recovery_codes"]) {
      await db.schema.dropTable(table).execute();
    }
    await db.schema.alterTable("users").dropColumn("tf_revision").execute();
    await db.schema.alterTable("users").dropColumn("tf_email_enabled").execute();
  },
};

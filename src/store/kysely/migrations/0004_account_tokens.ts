import { type Kysely, type Migration, sql } from "kysely";

/**
 * Account lifecycle: emailed single-use tokens (confirm email, reset password, recover the
 * account, change email), the user's email confirmation time, and limited sessions.
 */
export const accountTokens: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("users").addColumn("email_confirmed_at", "bigint").execute();
    // Accounts that exist already were accepted under the old rules: they count as confirmed,
    // so turning confirmation on does not lock every existing user out.
    await sql`update users set email_confirmed_at = created_at`.execute(db);
    await db.schema.alterTable("sessions").addColumn("limited", "text").execute();

    await db.schema
      .createTable("account_tokens")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("used_at", "bigint")
      .execute();
    await db.schema
      .createIndex("account_tokens_user_id")
      .on("account_tokens")
      .column("user_id")
      .execute();
    await db.schema
      .createIndex("account_tokens_expires_at")
      .on("account_tokens")
      .column("expires_at")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("account_tokens").execute();
    await db.schema.alterTable("sessions").dropColumn("limited").execute();
    await db.schema.alterTable("users").dropColumn("email_confirmed_at").execute();
  },
};

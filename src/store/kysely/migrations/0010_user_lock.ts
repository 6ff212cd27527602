import type { Kysely, Migration } from "kysely";

/**
 * An account lock (issue #20): set by the app's `policy.onSignInFailed` or an administrator
 * (`keyward users lock`), honoured by every sign-in path until it is lifted or `locked_until`
 * passes. `locked_at` null means not locked; the reason is the app's or administrator's words.
 */
export const userLock: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("users").addColumn("locked_at", "bigint").execute();
    await db.schema.alterTable("users").addColumn("locked_until", "bigint").execute();
    await db.schema.alterTable("users").addColumn("lock_reason", "text").execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("users").dropColumn("lock_reason").execute();
    await db.schema.alterTable("users").dropColumn("locked_until").execute();
    await db.schema.alterTable("users").dropColumn("locked_at").execute();
  },
};

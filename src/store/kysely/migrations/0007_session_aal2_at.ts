import { type Kysely, type Migration, sql } from "kysely";

/**
 * When a session last proved AAL2 (`aal2_at`): the reauthentication bounds of SP 800-63B-4
 * (`session.aal2MaxAge`) count from it, and a reauthentication renews it. `created_at` cannot
 * serve, since a reauthenticated session keeps its creation time.
 */
export const sessionAal2At: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("sessions").addColumn("aal2_at", "bigint").execute();
    // Sessions at AAL2 already proved it when they were made.
    await sql`update sessions set aal2_at = created_at where aal = 2`.execute(db);
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("sessions").dropColumn("aal2_at").execute();
  },
};

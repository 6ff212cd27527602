import type { Kysely, Migration } from "kysely";

/**
 * Whether a session outlives the browser ("remember me"): 1 for the long session (a cookie
 * with Max-Age, `session.lifetime` and `session.idleTimeout`), 0 for a browser session (a
 * cookie without Max-Age, `session.browserLifetime` and `session.browserIdleTimeout`). The
 * idle timeout is checked on every request, so it is read from the row, not guessed from the
 * expiry. Sessions from before were all long ones.
 */
export const sessionPersistent: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .alterTable("sessions")
      .addColumn("persistent", "integer", (c) => c.notNull().defaultTo(1))
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable("sessions").dropColumn("persistent").execute();
  },
};

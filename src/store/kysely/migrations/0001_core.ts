import type { Kysely, Migration } from "kysely";

/** Users, sessions, ceremony states and the audit event table. */
export const core: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("username", "text", (c) => c.unique())
      .addColumn("password_hash", "text")
      .addColumn("webauthn_user_handle", "text", (c) => c.notNull().unique())
      .addColumn("active", "integer", (c) => c.notNull().defaultTo(1))
      .addColumn("tf_primary_method", "text")
      .addColumn("tf_totp_secret", "text")
      .addColumn("tf_totp_last_step", "bigint")
      .addColumn("tf_phone", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("sessions")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("last_seen_at", "bigint", (c) => c.notNull())
      .addColumn("fresh_at", "bigint", (c) => c.notNull())
      .addColumn("amr", "text", (c) => c.notNull())
      .addColumn("aal", "integer", (c) => c.notNull())
      .addColumn("uv", "integer", (c) => c.notNull())
      .addColumn("ip", "text")
      .addColumn("user_agent", "text")
      .execute();
    await db.schema.createIndex("sessions_user_id").on("sessions").column("user_id").execute();
    await db.schema
      .createIndex("sessions_expires_at")
      .on("sessions")
      .column("expires_at")
      .execute();

    await db.schema
      .createTable("ceremonies")
      .addColumn("id_hash", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
      .addColumn("session_id", "text")
      .addColumn("challenge", "text")
      .addColumn("usage", "text")
      .addColumn("name", "text")
      .addColumn("data", "text", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("ceremonies_expires_at")
      .on("ceremonies")
      .column("expires_at")
      .execute();

    await db.schema
      .createTable("events")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("at", "bigint", (c) => c.notNull())
      .addColumn("ip", "text")
      .addColumn("detail", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("events_user_at").on("events").columns(["user_id", "at"]).execute();
    await db.schema.createIndex("events_type_at").on("events").columns(["type", "at"]).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ["events", "ceremonies", "sessions", "users"]) {
      await db.schema.dropTable(table).execute();
    }
  },
};

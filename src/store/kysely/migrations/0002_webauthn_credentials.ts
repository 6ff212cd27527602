import type { Kysely, Migration } from "kysely";

/** WebAuthn credentials: one row per registered key, credential ids unique across all users. */
export const webauthnCredentials: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("webauthn_credentials")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
      .addColumn("credential_id", "text", (c) => c.notNull().unique())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("sign_count", "bigint", (c) => c.notNull())
      .addColumn("transports", "text", (c) => c.notNull())
      .addColumn("backup_eligible", "integer", (c) => c.notNull())
      .addColumn("backup_state", "integer", (c) => c.notNull())
      .addColumn("device_type", "text", (c) => c.notNull())
      .addColumn("aaguid", "text", (c) => c.notNull())
      .addColumn("attestation_format", "text", (c) => c.notNull())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("usage", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("last_used_at", "bigint")
      .addColumn("flags", "text", (c) => c.notNull())
      .addUniqueConstraint("webauthn_credentials_user_name", ["user_id", "name"])
      .execute();
    await db.schema
      .createIndex("webauthn_credentials_user_id")
      .on("webauthn_credentials")
      .column("user_id")
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable("webauthn_credentials").execute();
  },
};

import { type Kysely, type Migration, sql } from "kysely";

/**
 * Keys registered before Keyward recorded user verification: every existing `first` key is
 * taken to verify its user (the `user-verifying` flag), as the factor-change rule assumed of
 * them before; from now on the flag is set only when a key is seen to verify its user.
 */
export const userVerifyingKeys: Migration = {
  async up(db: Kysely<unknown>) {
    const rows = await sql<{ id: string; flags: string }>`
      select id, flags from webauthn_credentials where usage = 'first'`.execute(db);
    for (const row of rows.rows) {
      const flags = new Set(JSON.parse(row.flags) as string[]);
      if (flags.has("user-verifying")) continue;
      flags.add("user-verifying");
      await sql`update webauthn_credentials set flags = ${JSON.stringify([...flags])}
        where id = ${row.id}`.execute(db);
    }
  },
  async down() {},
};

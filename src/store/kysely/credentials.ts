import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { randomId } from "../../core/ids.js";
import type { Credential, Usage } from "../../core/types.js";
import type { CredentialRepo, NewCredential } from "../store.js";
import type { Database, WebauthnCredentialsTable } from "./schema.js";

function toCredential(row: Selectable<WebauthnCredentialsTable>): Credential {
  return {
    id: row.id,
    userId: row.user_id,
    credentialId: row.credential_id,
    publicKey: row.public_key,
    signCount: Number(row.sign_count),
    transports: JSON.parse(row.transports) as string[],
    backupEligible: row.backup_eligible === 1,
    backupState: row.backup_state === 1,
    deviceType: row.device_type as Credential["deviceType"],
    aaguid: row.aaguid,
    attestationFormat: row.attestation_format,
    name: row.name,
    usage: row.usage as Usage,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
    flags: JSON.parse(row.flags) as string[],
  };
}

export function kyselyCredentials(db: Kysely<Database>, clock: Clock): CredentialRepo {
  return {
    async create(credential: NewCredential) {
      const row = {
        id: randomId(),
        user_id: credential.userId,
        credential_id: credential.credentialId,
        public_key: credential.publicKey,
        sign_count: credential.signCount,
        transports: JSON.stringify(credential.transports),
        backup_eligible: credential.backupEligible ? 1 : 0,
        backup_state: credential.backupState ? 1 : 0,
        device_type: credential.deviceType,
        aaguid: credential.aaguid,
        attestation_format: credential.attestationFormat,
        name: credential.name,
        usage: credential.usage,
        created_at: clock.now(),
        last_used_at: null,
        flags: "[]",
      };
      await db.insertInto("webauthn_credentials").values(row).execute();
      return toCredential(row);
    },
    async byCredentialId(credentialId) {
      const row = await db
        .selectFrom("webauthn_credentials")
        .selectAll()
        .where("credential_id", "=", credentialId)
        .executeTakeFirst();
      return row ? toCredential(row) : undefined;
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom("webauthn_credentials")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("created_at", "asc")
        .execute();
      return rows.map(toCredential);
    },
    async recordUse(id, use) {
      await db
        .updateTable("webauthn_credentials")
        .set({
          sign_count: use.signCount,
          backup_state: use.backupState ? 1 : 0,
          last_used_at: use.lastUsedAt,
          flags: JSON.stringify(use.flags),
        })
        .where("id", "=", id)
        .execute();
    },
    async rename(userId, id, name) {
      const result = await db
        .updateTable("webauthn_credentials")
        .set({ name })
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async delete(userId, id) {
      const result = await db
        .deleteFrom("webauthn_credentials")
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}

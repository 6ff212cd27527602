import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { randomId } from "../../core/ids.js";
import type { Credential, Usage } from "../../core/types.js";
import type { CredentialRepo, NewCredential } from "../store.js";
import { prepared } from "./prepared.js";
import type { Database, WebauthnCredentialsTable } from "./schema.js";
import { toUser } from "./users.js";

export function toCredential(row: Selectable<WebauthnCredentialsTable>): Credential {
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

// The sign-in path's queries: compiled once (see prepared.ts).
const keyWithOwner = prepared((db, p: { credentialId: string }) =>
  db
    .selectFrom("webauthn_credentials as c")
    .innerJoin("users as u", "u.id", "c.user_id")
    .selectAll("u")
    .select([
      "c.id as c_id",
      "c.user_id as c_user_id",
      "c.credential_id as c_credential_id",
      "c.public_key as c_public_key",
      "c.sign_count as c_sign_count",
      "c.transports as c_transports",
      "c.backup_eligible as c_backup_eligible",
      "c.backup_state as c_backup_state",
      "c.device_type as c_device_type",
      "c.aaguid as c_aaguid",
      "c.attestation_format as c_attestation_format",
      "c.name as c_name",
      "c.usage as c_usage",
      "c.created_at as c_created_at",
      "c.last_used_at as c_last_used_at",
      "c.flags as c_flags",
    ])
    .where("c.credential_id", "=", p.credentialId),
);

const recordKeyUse = prepared(
  (
    db,
    p: { id: string; signCount: number; backupState: number; lastUsedAt: number; flags: string },
  ) =>
    db
      .updateTable("webauthn_credentials")
      .set({
        sign_count: p.signCount,
        backup_state: p.backupState,
        last_used_at: p.lastUsedAt,
        flags: p.flags,
      })
      .where("id", "=", p.id),
  // Its row count is not read: a key's use is recorded whatever else the sign-in writes.
  { deferrable: true },
);

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
        created_at: credential.createdAt ?? clock.now(),
        last_used_at: credential.lastUsedAt ?? null,
        flags: JSON.stringify(credential.flags ?? []),
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
    async byCredentialIdWithOwner(credentialId) {
      // The owner's columns as they are; the key's under a prefix (both tables have id, created_at).
      const [row] = (await keyWithOwner(db, { credentialId })).rows;
      if (!row) return undefined;
      const credential: Selectable<WebauthnCredentialsTable> = {
        id: row.c_id,
        user_id: row.c_user_id,
        credential_id: row.c_credential_id,
        public_key: row.c_public_key,
        sign_count: row.c_sign_count,
        transports: row.c_transports,
        backup_eligible: row.c_backup_eligible,
        backup_state: row.c_backup_state,
        device_type: row.c_device_type,
        aaguid: row.c_aaguid,
        attestation_format: row.c_attestation_format,
        name: row.c_name,
        usage: row.c_usage,
        created_at: row.c_created_at,
        last_used_at: row.c_last_used_at,
        flags: row.c_flags,
      };
      return { credential: toCredential(credential), owner: toUser(row) };
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
      await recordKeyUse(db, {
        id,
        signCount: use.signCount,
        backupState: use.backupState ? 1 : 0,
        lastUsedAt: use.lastUsedAt,
        flags: JSON.stringify(use.flags),
      });
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
    async deleteForUser(userId) {
      const result = await db
        .deleteFrom("webauthn_credentials")
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

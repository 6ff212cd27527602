import type { Kysely, Selectable } from "kysely";
import { type Ceremony, type CeremonyKind, isCeremonyOf, type Usage } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";
import type { CeremoniesTable, Database } from "./schema.js";

// The row's kind says what its JSON holds: the flow of that kind wrote it.
function toCeremony(row: Selectable<CeremoniesTable>): Ceremony {
  return {
    id: row.id_hash,
    kind: row.kind as CeremonyKind,
    userId: row.user_id,
    sessionId: row.session_id,
    challenge: row.challenge,
    usage: row.usage as Usage | null,
    name: row.name,
    data: JSON.parse(row.data),
    expiresAt: Number(row.expires_at),
  } as Ceremony;
}

function ofKind<K extends CeremonyKind>(row: Selectable<CeremoniesTable> | undefined, kind: K) {
  const ceremony = row && toCeremony(row);
  return ceremony && isCeremonyOf(ceremony, kind) ? ceremony : undefined;
}

export function kyselyCeremonies(db: Kysely<Database>): CeremonyRepo {
  return {
    async create(ceremony: NewCeremony) {
      await db
        .insertInto("ceremonies")
        .values({
          id_hash: ceremony.idHash,
          kind: ceremony.kind,
          user_id: ceremony.userId,
          session_id: ceremony.sessionId,
          challenge: ceremony.challenge,
          usage: ceremony.usage,
          name: ceremony.name,
          data: JSON.stringify(ceremony.data),
          expires_at: ceremony.expiresAt,
        })
        .execute();
    },
    async consume(idHash, kind, sessionId) {
      // DELETE … RETURNING is one statement: two racing consumers cannot both get the row.
      let query = db
        .deleteFrom("ceremonies")
        .where("id_hash", "=", idHash)
        .where("kind", "=", kind);
      if (sessionId !== undefined) query = query.where("session_id", "=", sessionId);
      return ofKind(await query.returningAll().executeTakeFirst(), kind);
    },
    async find(idHash, kind) {
      const row = await db
        .selectFrom("ceremonies")
        .selectAll()
        .where("id_hash", "=", idHash)
        .where("kind", "=", kind)
        .executeTakeFirst();
      return ofKind(row, kind);
    },
    async deleteExpired(now) {
      const result = await db
        .deleteFrom("ceremonies")
        .where("expires_at", "<=", now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

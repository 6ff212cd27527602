import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { type Ceremony, type CeremonyKind, isCeremonyOf, type Usage } from "../../core/types.js";
import type { CeremonyRepo, NewCeremony } from "../store.js";
import { kyselyCountedCeremonies } from "./counted-ceremonies.js";
import { prepared } from "./prepared.js";
import type { CeremoniesTable, Database } from "./schema.js";
import { changeRows } from "./sqlite-direct.js";

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

// Every ceremony (with states in SQL) writes and consumes one: compiled once, and named
// prepared statements on PostgreSQL (see prepared.ts).
const insertCeremony = prepared((db, row: Selectable<CeremoniesTable>) =>
  db.insertInto("ceremonies").values({
    id_hash: row.id_hash,
    kind: row.kind,
    user_id: row.user_id,
    session_id: row.session_id,
    challenge: row.challenge,
    usage: row.usage,
    name: row.name,
    data: row.data,
    expires_at: row.expires_at,
  }),
);

// DELETE … RETURNING is one statement: two racing consumers cannot both get the row.
const consumeCeremony = prepared((db, p: { idHash: string; kind: string }) =>
  db
    .deleteFrom("ceremonies")
    .where("id_hash", "=", p.idHash)
    .where("kind", "=", p.kind)
    .returningAll(),
);

const consumeSessionCeremony = prepared(
  (db, p: { idHash: string; kind: string; sessionId: string }) =>
    db
      .deleteFrom("ceremonies")
      .where("id_hash", "=", p.idHash)
      .where("kind", "=", p.kind)
      .where("session_id", "=", p.sessionId)
      .returningAll(),
);

/**
 * Ceremony states in SQL. `countedWith` (PostgreSQL whose ceremony counters are its own
 * `rate_limits`) adds the statements that count a start, or an attempt, with its state.
 */
export function kyselyCeremonies(db: Kysely<Database>, countedWith?: Clock): CeremonyRepo {
  return {
    ...(countedWith ? kyselyCountedCeremonies(db, countedWith, ofKind) : {}),
    async create(ceremony: NewCeremony) {
      await insertCeremony(db, {
        id_hash: ceremony.idHash,
        kind: ceremony.kind,
        user_id: ceremony.userId,
        session_id: ceremony.sessionId,
        challenge: ceremony.challenge,
        usage: ceremony.usage,
        name: ceremony.name,
        data: JSON.stringify(ceremony.data),
        expires_at: ceremony.expiresAt,
      });
    },
    async consume(idHash, kind, sessionId) {
      const { rows } =
        sessionId === undefined
          ? await consumeCeremony(db, { idHash, kind })
          : await consumeSessionCeremony(db, { idHash, kind, sessionId });
      return ofKind(rows[0], kind);
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
    deleteExpired(now) {
      return changeRows(db, db.deleteFrom("ceremonies").where("expires_at", "<=", now).compile());
    },
  };
}

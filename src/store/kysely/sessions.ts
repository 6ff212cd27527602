import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { Aal, Amr, FactorRef, Session, SessionLimit } from "../../core/types.js";
import type { NewSession, SessionRepo } from "../store.js";
import { prepared } from "./prepared.js";
import type { Database, SessionsTable } from "./schema.js";
import { changeRows } from "./sqlite-direct.js";

function toSession(row: Selectable<SessionsTable>): Session {
  return {
    id: row.id_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    lastSeenAt: Number(row.last_seen_at),
    freshAt: Number(row.fresh_at),
    amr: JSON.parse(row.amr) as Amr[],
    aal: row.aal as Aal,
    aal2At: row.aal2_at === null ? null : Number(row.aal2_at),
    uv: row.uv === 1,
    ip: row.ip,
    userAgent: row.user_agent,
    limited: (row.limited as SessionLimit | null) ?? null,
    earnedBy: {
      first: (row.first_factor as FactorRef | null) ?? null,
      second: (row.second_factor as FactorRef | null) ?? null,
    },
    persistent: Number(row.persistent) !== 0,
  };
}

// Every sign-in inserts a session and every signed-in request reads one: compiled once.
const insertSession = prepared(
  (db, row: Selectable<SessionsTable>) =>
    db.insertInto("sessions").values({
      id_hash: row.id_hash,
      user_id: row.user_id,
      created_at: row.created_at,
      expires_at: row.expires_at,
      last_seen_at: row.last_seen_at,
      fresh_at: row.fresh_at,
      amr: row.amr,
      aal: row.aal,
      uv: row.uv,
      ip: row.ip,
      user_agent: row.user_agent,
      limited: row.limited,
      aal2_at: row.aal2_at,
      first_factor: row.first_factor,
      second_factor: row.second_factor,
      persistent: row.persistent,
    }),
  // The id is 256 random bits: a failure here is a fault, never a conflict a caller handles.
  { deferrable: true },
);

const sessionByIdHash = prepared((db, p: { idHash: string }) =>
  db.selectFrom("sessions").selectAll().where("id_hash", "=", p.idHash),
);

export function kyselySessions(db: Kysely<Database>, clock: Clock): SessionRepo {
  return {
    async create(session: NewSession) {
      const now = clock.now();
      const row = {
        id_hash: session.idHash,
        user_id: session.userId,
        created_at: now,
        expires_at: session.expiresAt,
        last_seen_at: now,
        fresh_at: session.freshAt ?? now,
        amr: JSON.stringify(session.amr),
        aal: session.aal,
        uv: session.uv ? 1 : 0,
        ip: session.ip,
        user_agent: session.userAgent,
        limited: session.limited ?? null,
        aal2_at: session.aal === 2 ? now : null,
        first_factor: session.earnedBy?.first ?? null,
        second_factor: session.earnedBy?.second ?? null,
        persistent: session.persistent === false ? 0 : 1,
      };
      await insertSession(db, row);
      return toSession(row);
    },
    async byIdHash(idHash) {
      const [row] = (await sessionByIdHash(db, { idHash })).rows;
      return row ? toSession(row) : undefined;
    },
    async touch(idHash, lastSeenAt) {
      await db
        .updateTable("sessions")
        .set({ last_seen_at: lastSeenAt })
        .where("id_hash", "=", idHash)
        .execute();
    },
    async lapseAal2(idHash, aal2At, now) {
      // Only while AAL2 is still the one proved at aal2At: a reauthentication that renewed it
      // in the meantime (a new id_hash and aal2_at) is not undone.
      await db
        .updateTable("sessions")
        .set({ aal: 1, last_seen_at: now })
        .where("id_hash", "=", idHash)
        .where("aal", "=", 2)
        .where("aal2_at", "=", aal2At)
        .execute();
    },
    async reauthenticate(idHash, newIdHash, at) {
      const result = await db
        .updateTable("sessions")
        .set({ id_hash: newIdHash, aal: 2, aal2_at: at, fresh_at: at, last_seen_at: at })
        .where("id_hash", "=", idHash)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async markFresh(idHash, freshAt) {
      await db
        .updateTable("sessions")
        .set({ fresh_at: freshAt, last_seen_at: freshAt })
        .where("id_hash", "=", idHash)
        .execute();
    },
    async delete(idHash) {
      const result = await db
        .deleteFrom("sessions")
        .where("id_hash", "=", idHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async deleteForUser(userId) {
      const result = await db
        .deleteFrom("sessions")
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteEarnedBy(userId, factors, keepIdHash) {
      if (factors.length === 0) return 0;
      let query = db
        .deleteFrom("sessions")
        .where("user_id", "=", userId)
        .where((eb) =>
          eb.or([eb("first_factor", "in", factors), eb("second_factor", "in", factors)]),
        );
      if (keepIdHash !== undefined) query = query.where("id_hash", "!=", keepIdHash);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    deleteExpired(now, idleBefore) {
      return changeRows(
        db,
        db
          .deleteFrom("sessions")
          .where((eb) => eb.or([eb("expires_at", "<=", now), eb("last_seen_at", "<", idleBefore)]))
          .compile(),
      );
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom("sessions")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("created_at", "desc")
        .orderBy("id_hash", "asc")
        .execute();
      return rows.map(toSession);
    },
    async deleteOthers(userId, keepIdHash) {
      const result = await db
        .deleteFrom("sessions")
        .where("user_id", "=", userId)
        .where("id_hash", "!=", keepIdHash)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

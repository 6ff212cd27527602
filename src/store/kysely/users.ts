import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import { randomId } from "../../core/ids.js";
import type { User } from "../../core/types.js";
import type { NewUser, UserRepo } from "../store.js";
import { prepared } from "./prepared.js";
import type { Database, UsersTable } from "./schema.js";

export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    passwordHash: row.password_hash,
    webauthnUserHandle: row.webauthn_user_handle,
    active: row.active === 1,
    createdAt: Number(row.created_at),
    emailConfirmedAt: row.email_confirmed_at === null ? null : Number(row.email_confirmed_at),
    securityEpoch: Number(row.security_epoch),
    lock:
      row.locked_at === null || row.locked_at === undefined
        ? null
        : {
            reason: row.lock_reason ?? "",
            at: Number(row.locked_at),
            until: row.locked_until === null ? null : Number(row.locked_until),
          },
  };
}

type LookupColumn = "id" | "email" | "username" | "webauthn_user_handle";

// Every signed-in request and sign-in looks a user up: one compiled query per column.
const userByQuery = (column: LookupColumn) =>
  prepared((db, p: { value: string }) =>
    db.selectFrom("users").selectAll().where(column, "=", p.value),
  );
const userBy: Record<LookupColumn, ReturnType<typeof userByQuery>> = {
  id: userByQuery("id"),
  email: userByQuery("email"),
  username: userByQuery("username"),
  webauthn_user_handle: userByQuery("webauthn_user_handle"),
};

export function kyselyUsers(db: Kysely<Database>, clock: Clock): UserRepo {
  const findBy = async (column: LookupColumn, value: string) => {
    const [row] = (await userBy[column](db, { value })).rows;
    return row ? toUser(row) : undefined;
  };
  return {
    async create(user: NewUser) {
      const row = {
        id: randomId(),
        email: user.email,
        username: user.username,
        password_hash: user.passwordHash,
        webauthn_user_handle: user.webauthnUserHandle,
        active: user.active === false ? 0 : 1,
        tf_primary_method: null,
        tf_totp_secret: null,
        tf_totp_last_step: null,
        tf_phone: null,
        tf_email_enabled: 0,
        tf_revision: 0,
        created_at: user.createdAt ?? clock.now(),
        email_confirmed_at: user.emailConfirmedAt ?? null,
        security_epoch: 0,
        locked_at: null,
        locked_until: null,
        lock_reason: null,
      };
      await db.insertInto("users").values(row).execute();
      return toUser(row);
    },
    byId: (id) => findBy("id", id),
    byEmail: (email) => findBy("email", email),
    byUsername: (username) => findBy("username", username),
    byWebauthnUserHandle: (handle) => findBy("webauthn_user_handle", handle),
    async setPasswordHash(id, passwordHash) {
      await db
        .updateTable("users")
        .set({ password_hash: passwordHash })
        .where("id", "=", id)
        .execute();
    },
    async replacePasswordHash(id, from, to) {
      const result = await db
        .updateTable("users")
        .set({ password_hash: to })
        .where("id", "=", id)
        .where("password_hash", "=", from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async setActive(id, active) {
      await db
        .updateTable("users")
        .set({ active: active ? 1 : 0 })
        .where("id", "=", id)
        .execute();
    },
    async setLock(id, lock) {
      await db
        .updateTable("users")
        .set({
          locked_at: lock?.at ?? null,
          locked_until: lock?.until ?? null,
          lock_reason: lock?.reason ?? null,
        })
        .where("id", "=", id)
        .execute();
    },
    async list({ limit, offset }) {
      const rows = await db
        .selectFrom("users")
        .selectAll()
        .orderBy("created_at", "asc")
        .orderBy("id", "asc")
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toUser);
    },
    async confirmEmail(id, email, at) {
      const result = await db
        .updateTable("users")
        .set({ email_confirmed_at: at })
        .where("id", "=", id)
        .where("email", "=", email)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async advanceSecurityEpoch(id) {
      await db
        .updateTable("users")
        .set((eb) => ({ security_epoch: eb("security_epoch", "+", 1) }))
        .where("id", "=", id)
        .execute();
    },
    async changeEmail(id, from, to, confirmedAt) {
      const result = await db
        .updateTable("users")
        .set({ email: to, email_confirmed_at: confirmedAt })
        .where("id", "=", id)
        .where("email", "=", from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}

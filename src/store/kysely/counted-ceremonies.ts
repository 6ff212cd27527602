import type { Kysely, Selectable } from "kysely";
import type { Clock } from "../../core/clock.js";
import type { RateLimitCount } from "../../core/rate-limit.js";
import type { CeremonyKind, CeremonyOf } from "../../core/types.js";
import type { CeremonyRepo } from "../store.js";
import { toCredential } from "./credentials.js";
import { preparedSql } from "./prepared.js";
import type { CeremoniesTable, Database, UsersTable, WebauthnCredentialsTable } from "./schema.js";
import { toUser } from "./users.js";

/**
 * PostgreSQL only (SQLite has no data-modifying CTEs): a ceremony's state and the start
 * counters beside it in one statement, so a PostgreSQL-alone sign-in's options cost one round
 * trip and one commit instead of two each, and its response's counter and state one instead
 * of two. Every counter of a start is one multi-row upsert, as `kyselyRateLimits` counts one.
 */

// The same fixed-window upsert as rate-limits.ts, for every key of $1 at once ($2 now, $3 the
// window's end). Keys are sorted by the caller, so two statements lock shared rows in one
// order and never deadlock.
const HITS = `hits as (
  insert into rate_limits (key, count, reset_at)
  select k, 1, $3::bigint from unnest($1::text[]) as k
  on conflict (key) do update set
    count = case when rate_limits.reset_at > $2::bigint then rate_limits.count + 1 else 1 end,
    reset_at = case when rate_limits.reset_at > $2::bigint then rate_limits.reset_at else excluded.reset_at end
  returning key, count, reset_at
)`;

// Counters and ceremony states are ephemeral: their commit need not wait for the disk flush
// (`synchronous_commit` off for this statement's own transaction alone; see
// docs/deployment.md). A durable commit that follows (a sign-in's session) flushes them with
// it, as the log is written in order. Only ever outside a transaction, which the driver checks
// (isAsyncCommit): inside one, it would spare that whole transaction the flush.
const QUIET = `quiet as (select set_config('synchronous_commit', 'off', true) as off)`;

// $4 the limits, in the order of $1; the state is stored only if no count passes its limit.
const createCountedSql = preparedSql<{ key: string; count: number; reset_at: number }>(
  `with ${QUIET}, ${HITS},
  saved as (
    insert into ceremonies (id_hash, kind, user_id, session_id, challenge, usage, name, data, expires_at)
    select $5, $6, $7, $8, $9, $10, $11, $12, $13::bigint
    where not exists (
      select 1 from hits join unnest($1::text[], $4::int[]) as l(key, max) on l.key = hits.key
      where hits.count > l.max
    )
    returning 1
  )
  select key, count, reset_at from hits cross join quiet`,
);

// The state taken as `consume` takes it ($4 and $5; $6 the session, or null for any), and the
// key $7 names with its owner, as `byCredentialIdWithOwner` reads them (null: none asked).
// Every column is text or a number, which JSON carries as the driver would.
const consumeCountedSql = preparedSql<{
  hits: Array<[string, number, number]>;
  spent: Selectable<CeremoniesTable> | null;
  key: [Selectable<UsersTable>, Selectable<WebauthnCredentialsTable>] | null;
}>(
  `with ${QUIET}, ${HITS},
  spent as (
    delete from ceremonies
    where id_hash = $4 and kind = $5 and ($6::text is null or session_id = $6::text)
    returning *
  )
  select
    (select coalesce(json_agg(json_build_array(key, count, reset_at)), '[]'::json) from hits) as hits,
    (select row_to_json(spent) from spent) as spent,
    (select json_build_array(row_to_json(u), row_to_json(c))
      from webauthn_credentials c join users u on u.id = c.user_id
      where $7::text is not null and c.credential_id = $7::text) as key,
    (select off from quiet) as quiet`,
);

/** Fixed windows aligned to the epoch, as `kyselyRateLimits` aligns them. */
function windowEnd(now: number, windowMs: number): number {
  return (Math.floor(now / windowMs) + 1) * windowMs;
}

/** The counts answered per key, in the order the caller asked for them. */
function inOrder(keys: readonly string[], byKey: Map<string, RateLimitCount>): RateLimitCount[] {
  return keys.map((key) => {
    const count = byKey.get(key);
    if (!count) throw new Error(`rate_limits: the upsert returned no row for ${key}`);
    return count;
  });
}

export function kyselyCountedCeremonies(
  db: Kysely<Database>,
  clock: Clock,
  /** The row as a ceremony of `kind`, or undefined (ceremonies.ts). */
  ofKind: <K extends CeremonyKind>(
    row: Selectable<CeremoniesTable> | undefined,
    kind: K,
  ) => CeremonyOf<K> | undefined,
): Required<Pick<CeremonyRepo, "createCounted" | "consumeCounted">> {
  return {
    async createCounted(ceremony, hits, windowMs) {
      const now = clock.now();
      const sorted = [...hits].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const { rows } = await createCountedSql(db, [
        sorted.map((hit) => hit.key),
        now,
        windowEnd(now, windowMs),
        sorted.map((hit) => hit.limit),
        ceremony.idHash,
        ceremony.kind,
        ceremony.userId,
        ceremony.sessionId,
        ceremony.challenge,
        ceremony.usage,
        ceremony.name,
        JSON.stringify(ceremony.data),
        ceremony.expiresAt,
      ]);
      const byKey = new Map(
        rows.map((row) => [row.key, { count: Number(row.count), resetAt: Number(row.reset_at) }]),
      );
      return inOrder(
        hits.map((hit) => hit.key),
        byKey,
      );
    },
    async consumeCounted(idHash, kind, sessionId, keys, windowMs, credentialId) {
      const now = clock.now();
      const { rows } = await consumeCountedSql(db, [
        [...keys].sort(),
        now,
        windowEnd(now, windowMs),
        idHash,
        kind,
        sessionId ?? null,
        credentialId ?? null,
      ]);
      const [row] = rows;
      if (!row) throw new Error("ceremonies: the counted consume returned no row");
      const byKey = new Map(
        row.hits.map(([key, count, resetAt]) => [
          key,
          { count: Number(count), resetAt: Number(resetAt) },
        ]),
      );
      // row_to_json gives bigints as JSON numbers, which ofKind reads as it reads strings.
      const taken = {
        counted: inOrder(keys, byKey),
        ceremony: ofKind(row.spent ?? undefined, kind),
      };
      if (credentialId === undefined) return taken;
      const key = row.key && { credential: toCredential(row.key[1]), owner: toUser(row.key[0]) };
      return { ...taken, key };
    },
  };
}

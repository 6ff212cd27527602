/**
 * Bulk seeding straight into the store's database (the bench's only SQL): passwordless users with
 * a fresh session each (for registration runs), and filler credentials (for the scale runs).
 * SQLite: prepared statements in one transaction. PostgreSQL: multi-row INSERT … SELECT unnest().
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";

const DAY_MS = 86_400_000;
// A real COSE ES256 public key; filler credentials are looked up, never used to verify.
const FILLER_PUBLIC_KEY =
  "pQECAyYgASFYIIeDTe-gN8A-zQclHoRnGFWN8ehM1b7yAsa8I8KIvmplIlgg4nFGT5px8o6gpPZZhO01wdy9crDSA_Ngtkx0vGpvPHI";

interface UserRow {
  id: string;
  email: string;
  handle: string;
}

function userRows(count: number, tag: string): UserRow[] {
  const rows: UserRow[] = [];
  const handles = randomBytes(64 * count);
  for (let i = 0; i < count; i++) {
    rows.push({
      id: randomUUID(),
      email: `${tag}-${i}@bench.example`,
      handle: handles.subarray(i * 64, i * 64 + 64).toString("base64url"),
    });
  }
  return rows;
}

/** Where seeding writes: a SQLite file or a PostgreSQL schema, as named by a Keyward URL. */
interface Target {
  users(rows: UserRow[], now: number): Promise<void>;
  sessions(rows: Array<{ idHash: string; userId: string }>, now: number): Promise<void>;
  credentials(rows: Array<{ userId: string; credentialId: string }>, now: number): Promise<void>;
  close(): Promise<void>;
}

function sqliteTarget(path: string): Target {
  const db = new BetterSqlite3(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const insertUser = db.prepare(
    `insert into users (id, email, username, password_hash, webauthn_user_handle, active, created_at)
     values (?, ?, null, null, ?, 1, ?)`,
  );
  const insertSession = db.prepare(
    `insert into sessions (id_hash, user_id, created_at, expires_at, last_seen_at, fresh_at, amr, aal, uv)
     values (?, ?, ?, ?, ?, ?, '[]', 1, 0)`,
  );
  const insertCredential = db.prepare(
    `insert into webauthn_credentials (id, user_id, credential_id, public_key, sign_count, transports,
       backup_eligible, backup_state, device_type, aaguid, attestation_format, name, usage, created_at,
       last_used_at, flags)
     values (?, ?, ?, ?, 0, '["internal"]', 0, 0, 'singleDevice',
       '00000000-0000-0000-0000-000000000000', 'none', 'Passkey', 'first', ?, null, '[]')`,
  );
  return {
    async users(rows, now) {
      db.transaction(() => {
        for (const r of rows) insertUser.run(r.id, r.email, r.handle, now);
      })();
    },
    async sessions(rows, now) {
      db.transaction(() => {
        for (const r of rows) insertSession.run(r.idHash, r.userId, now, now + DAY_MS, now, now);
      })();
    },
    async credentials(rows, now) {
      db.transaction(() => {
        for (const r of rows) {
          insertCredential.run(randomUUID(), r.userId, r.credentialId, FILLER_PUBLIC_KEY, now);
        }
      })();
    },
    async close() {
      db.close();
    },
  };
}

async function postgresTarget(url: string): Promise<Target> {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema");
  parsed.search = "";
  const client = new pg.Client({
    connectionString: parsed.toString(),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  await client.connect();
  await client.query("set synchronous_commit = off");
  const BATCH = 20_000;
  const inBatches = async <T>(rows: T[], insert: (batch: T[]) => Promise<unknown>) => {
    await client.query("begin");
    for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
    await client.query("commit");
  };
  return {
    users: (rows, now) =>
      inBatches(rows, (batch) =>
        client.query(
          `insert into users (id, email, webauthn_user_handle, active, created_at)
           select id, email, handle, 1, $4::bigint
           from unnest($1::text[], $2::text[], $3::text[]) as t(id, email, handle)`,
          [batch.map((r) => r.id), batch.map((r) => r.email), batch.map((r) => r.handle), now],
        ),
      ),
    sessions: (rows, now) =>
      inBatches(rows, (batch) =>
        client.query(
          `insert into sessions (id_hash, user_id, created_at, expires_at, last_seen_at, fresh_at, amr, aal, uv)
           select id_hash, user_id, $3::bigint, $4::bigint, $3::bigint, $3::bigint, '[]', 1, 0
           from unnest($1::text[], $2::text[]) as t(id_hash, user_id)`,
          [batch.map((r) => r.idHash), batch.map((r) => r.userId), now, now + DAY_MS],
        ),
      ),
    credentials: (rows, now) =>
      inBatches(rows, (batch) =>
        client.query(
          `insert into webauthn_credentials (id, user_id, credential_id, public_key, sign_count,
             transports, backup_eligible, backup_state, device_type, aaguid, attestation_format,
             name, usage, created_at, last_used_at, flags)
           select gen_random_uuid()::text, user_id, credential_id, $3, 0, '["internal"]', 0, 0,
             'singleDevice', '00000000-0000-0000-0000-000000000000', 'none', 'Passkey', 'first',
             $4::bigint, null, '[]'
           from unnest($1::text[], $2::text[]) as t(user_id, credential_id)`,
          [
            batch.map((r) => r.userId),
            batch.map((r) => r.credentialId),
            FILLER_PUBLIC_KEY,
            now,
          ],
        ),
      ),
    async close() {
      await client.query("analyze");
      await client.end();
    },
  };
}

async function open(url: string): Promise<Target> {
  if (url.startsWith("sqlite:")) return sqliteTarget(url.slice("sqlite:".length));
  return postgresTarget(url);
}

/**
 * Creates `count` passwordless users, each signed in with a fresh session (as if just signed up),
 * and returns their session tokens: each registration iteration uses one.
 */
export async function seedSignedInUsers(url: string, count: number, tag: string) {
  const target = await open(url);
  try {
    const now = Date.now();
    const users = userRows(count, tag);
    await target.users(users, now);
    const tokens = users.map(() => randomBytes(32).toString("base64url"));
    await target.sessions(
      users.map((u, i) => ({
        idHash: createHash("sha256").update(tokens[i]!).digest("base64url"),
        userId: u.id,
      })),
      now,
    );
    return tokens;
  } finally {
    await target.close();
  }
}

/**
 * Adds `count` filler credentials (one per new user, so user lookups are at scale too). Only the
 * rows matter: they are found by credential id and user id like real ones, never verified.
 */
export async function seedFillerCredentials(url: string, count: number): Promise<void> {
  const target = await open(url);
  try {
    const now = Date.now();
    const CHUNK = 100_000;
    for (let done = 0; done < count; done += CHUNK) {
      const n = Math.min(CHUNK, count - done);
      const users = userRows(n, `filler-${done}`);
      await target.users(users, now);
      const ids = randomBytes(32 * n);
      await target.credentials(
        users.map((u, i) => ({
          userId: u.id,
          credentialId: ids.subarray(i * 32, i * 32 + 32).toString("base64url"),
        })),
        now,
      );
    }
  } finally {
    await target.close();
  }
}

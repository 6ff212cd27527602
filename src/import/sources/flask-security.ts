import type { ImportedKey, ImportedUser, ImportFile } from "../format.js";
import {
  blob,
  findTable,
  openReadOnly,
  type Row,
  rowsOf,
  sqliteBoolean,
  sqliteInstant,
} from "./sqlite.js";

export interface FlaskSecurityTables {
  /** The user table; default "user". */
  user?: string;
  /** The WebAuthn table; default the first of "web_authn" (Flask-SQLAlchemy's name for a
   * `WebAuthn` model) and "webauthn". */
  webauthn?: string;
}

/**
 * Reads a Flask-Security SQLite database (models fsqla_v3 and later: `fs_webauthn_user_handle`
 * on the user, and the WebAuthn table) into Keyward's import format, read-only.
 *
 * - The user handle: Flask-Security sends the UTF-8 bytes of `fs_webauthn_user_handle` as
 *   `user.id`, so the authenticator returns those bytes: they are the handle kept here.
 * - `credential_id` and `public_key` are raw bytes (the key in COSE); `transports` a
 *   comma-separated list; `device_type` "single_device" / "multi_device" is the key's BE;
 *   `usage` "first" / "secondary"; `lastuse_datetime` the last use.
 * - `password`: a passlib hash (bcrypt, bcrypt_sha256, pbkdf2_sha512, argon2…), kept as is;
 *   whether it was HMAC pre-hashed with SECURITY_PASSWORD_SALT is the caller's to say
 *   (ImportOptions.passwords), as Flask-Security's configuration is not in the database.
 */
export function readFlaskSecurity(path: string, tables: FlaskSecurityTables = {}): ImportFile {
  const db = openReadOnly(path);
  try {
    const userTable = tables.user ?? findTable(db, ["user", "users"]);
    const keyTable = tables.webauthn ?? findTable(db, ["web_authn", "webauthn", "WebAuthn"]);
    if (!userTable) throw new Error(`${path}: no Flask-Security user table ("user")`);
    const keysByUser = new Map<string, ImportedKey[]>();
    for (const row of keyTable ? rowsOf(db, keyTable) : []) {
      const key = toKey(row);
      if (!key) continue;
      const owner = String(row.user_id);
      keysByUser.set(owner, [...(keysByUser.get(owner) ?? []), key]);
    }
    const users = rowsOf(db, userTable).map((row) =>
      toUser(row, keysByUser.get(String(row.id)) ?? []),
    );
    return { format: "keyward-import", version: 1, source: "flask-security", users };
  } finally {
    db.close();
  }
}

function toUser(row: Row, keys: ImportedKey[]): ImportedUser {
  const handle =
    typeof row.fs_webauthn_user_handle === "string" ? row.fs_webauthn_user_handle : null;
  const confirmedAt = sqliteInstant(row.confirmed_at);
  const createdAt = sqliteInstant(row.create_datetime);
  return {
    email: String(row.email ?? ""),
    username: typeof row.username === "string" && row.username !== "" ? row.username : null,
    active: row.active === undefined ? true : sqliteBoolean(row.active),
    emailConfirmedAt: confirmedAt ?? null,
    ...(createdAt === undefined ? {} : { createdAt }),
    passwordHash: typeof row.password === "string" && row.password !== "" ? row.password : null,
    webauthnUserHandle: handle ? Buffer.from(handle, "utf8").toString("base64url") : null,
    keys,
  };
}

function toKey(row: Row): ImportedKey | undefined {
  const id = blob(row.credential_id);
  const publicKey = blob(row.public_key);
  if (!id || !publicKey) return undefined;
  const lastUsedAt = sqliteInstant(row.lastuse_datetime);
  const createdAt = sqliteInstant(row.create_datetime);
  return {
    credentialId: id.toString("base64url"),
    publicKey: publicKey.toString("base64url"),
    signCount: Number(row.sign_count ?? 0),
    transports:
      typeof row.transports === "string" && row.transports !== ""
        ? row.transports.split(",").map((t) => t.trim())
        : [],
    backupEligible: row.device_type === "multi_device",
    backupState: sqliteBoolean(row.backup_state),
    ...(typeof row.name === "string" ? { name: row.name } : {}),
    usage: row.usage === "first" ? "first" : "secondary",
    ...(createdAt === undefined ? {} : { createdAt }),
    lastUsedAt: lastUsedAt ?? null,
    userHandle: "account",
  };
}

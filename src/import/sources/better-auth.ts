import { betterAuthPasswordHash } from "../../factors/imported-passwords.js";
import type { ImportedKey, ImportedUser, ImportFile } from "../format.js";
import {
  findTable,
  openReadOnly,
  type Row,
  rowsOf,
  sqliteBoolean,
  sqliteInstant,
} from "./sqlite.js";

/**
 * Reads a better-auth SQLite database (its `user` table, the passkey plugin's `passkey`
 * table, and `account` for passwords) into Keyward's import format, read-only.
 *
 * - `credentialID` is base64url; `publicKey` the COSE key in standard base64; `counter`,
 *   `transports` (comma-separated), `deviceType` "singleDevice" / "multiDevice" (BE),
 *   `backedUp` (BS), `aaguid`, `name`, `createdAt`.
 * - User handles: better-auth gives each passkey a random `user.id` at registration and keeps
 *   none, so the keys come in as `userHandle: "unknown"` and the account gets a new handle.
 * - Passwords: better-auth's scrypt `salt:key` comes in as `$better-auth-scrypt$salt$key`,
 *   verified at the next password sign-in and then replaced by argon2id (like every import).
 */
export function readBetterAuth(path: string): ImportFile {
  const db = openReadOnly(path);
  try {
    const userTable = findTable(db, ["user", "users"]);
    const passkeyTable = findTable(db, ["passkey", "passkeys"]);
    const accountTable = findTable(db, ["account", "accounts"]);
    if (!userTable) throw new Error(`${path}: no better-auth user table ("user")`);
    const keysByUser = new Map<string, ImportedKey[]>();
    for (const row of passkeyTable ? rowsOf(db, passkeyTable) : []) {
      const owner = String(row.userId);
      keysByUser.set(owner, [...(keysByUser.get(owner) ?? []), toKey(row)]);
    }
    const passwordByUser = new Map<string, string>();
    for (const row of accountTable ? rowsOf(db, accountTable) : []) {
      if (row.providerId === "credential" && typeof row.password === "string") {
        passwordByUser.set(String(row.userId), betterAuthPasswordHash(row.password));
      }
    }
    const users = rowsOf(db, userTable).map((row): ImportedUser => {
      const createdAt = sqliteInstant(row.createdAt);
      const verified = sqliteBoolean(row.emailVerified);
      return {
        email: String(row.email ?? ""),
        username: typeof row.username === "string" && row.username !== "" ? row.username : null,
        active: true,
        emailConfirmedAt: verified ? (sqliteInstant(row.updatedAt) ?? createdAt ?? 0) : null,
        ...(createdAt === undefined ? {} : { createdAt }),
        passwordHash: passwordByUser.get(String(row.id)) ?? null,
        webauthnUserHandle: null,
        keys: keysByUser.get(String(row.id)) ?? [],
      };
    });
    return { format: "keyward-import", version: 1, source: "better-auth", users };
  } finally {
    db.close();
  }
}

function toKey(row: Row): ImportedKey {
  const createdAt = sqliteInstant(row.createdAt);
  return {
    credentialId: String(row.credentialID ?? "").replace(/=+$/, ""),
    publicKey: Buffer.from(String(row.publicKey ?? ""), "base64").toString("base64url"),
    signCount: Number(row.counter ?? 0),
    transports:
      typeof row.transports === "string" && row.transports !== ""
        ? row.transports.split(",").map((t) => t.trim())
        : [],
    backupEligible: row.deviceType === "multiDevice",
    backupState: sqliteBoolean(row.backedUp),
    ...(typeof row.aaguid === "string" && row.aaguid !== "" ? { aaguid: row.aaguid } : {}),
    ...(typeof row.name === "string" && row.name !== "" ? { name: row.name } : {}),
    // better-auth passkeys sign in on their own.
    usage: "first",
    ...(createdAt === undefined ? {} : { createdAt }),
    userHandle: "unknown",
  };
}

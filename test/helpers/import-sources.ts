import { randomBytes } from "node:crypto";
import {
  type PublicKeyCredentialCreationOptionsJSON,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import Database from "better-sqlite3";
import type { SoftwareAuthenticator } from "../../src/testing/index.js";

/** A key as another system's server stored it after verifying the registration. */
export interface KeyElsewhere {
  credentialId: Buffer;
  /** COSE public key. */
  publicKey: Buffer;
  counter: number;
  transports: string[];
  deviceType: "singleDevice" | "multiDevice";
  backedUp: boolean;
}

/**
 * Registers a key with another system, as its server would: options with the user handle it
 * chose, the software authenticator's real response, verified by @simplewebauthn/server (what
 * better-auth runs; py_webauthn stores the same credential id, COSE key and counter).
 */
export async function registerElsewhere(
  authenticator: SoftwareAuthenticator,
  input: { rpId: string; origin: string; userHandle: Buffer; resident: boolean },
): Promise<KeyElsewhere> {
  const challenge = randomBytes(32).toString("base64url");
  const options: PublicKeyCredentialCreationOptionsJSON = {
    challenge,
    rp: { id: input.rpId, name: "The old app" },
    user: { id: input.userHandle.toString("base64url"), name: "holder", displayName: "holder" },
    pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    authenticatorSelection: {
      residentKey: input.resident ? "required" : "discouraged",
      userVerification: "preferred",
    },
    attestation: "none",
  };
  const response = await authenticator.register(options);
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: input.origin,
    expectedRPID: input.rpId,
    requireUserVerification: false,
  });
  if (!verified.verified) throw new Error("the old app refused the registration");
  const info = verified.registrationInfo;
  return {
    credentialId: Buffer.from(info.credential.id, "base64url"),
    publicKey: Buffer.from(info.credential.publicKey),
    counter: info.credential.counter,
    transports: response.response.transports ?? [],
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp,
  };
}

export interface FlaskUser {
  email: string;
  username?: string;
  password: string | null;
  active?: boolean;
  /** fs_webauthn_user_handle: Flask-Security's `secrets.token_urlsafe(32)`. */
  handle: string | null;
  keys: Array<KeyElsewhere & { name: string; usage: "first" | "secondary" }>;
}

/**
 * A Flask-Security SQLite database as SQLAlchemy creates it for the fsqla_v3 models
 * (`User` → table "user", `WebAuthn` → "web_authn"): DateTime as "YYYY-MM-DD HH:MM:SS.ffffff",
 * Boolean as 0/1, LargeBinary as BLOB, AsaList as a comma-separated string.
 */
export function writeFlaskSecurityDb(path: string, users: FlaskUser[]): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE user (
      id INTEGER NOT NULL PRIMARY KEY,
      email VARCHAR(255) NOT NULL UNIQUE,
      username VARCHAR(255) UNIQUE,
      password VARCHAR(255),
      active BOOLEAN NOT NULL,
      fs_uniquifier VARCHAR(64) NOT NULL UNIQUE,
      confirmed_at DATETIME,
      last_login_at DATETIME,
      current_login_at DATETIME,
      last_login_ip VARCHAR(64),
      current_login_ip VARCHAR(64),
      login_count INTEGER,
      tf_primary_method VARCHAR(64),
      tf_totp_secret VARCHAR(255),
      tf_phone_number VARCHAR(128),
      create_datetime DATETIME NOT NULL,
      update_datetime DATETIME NOT NULL,
      us_totp_secrets TEXT,
      us_phone_number VARCHAR(128) UNIQUE,
      fs_webauthn_user_handle VARCHAR(64) UNIQUE,
      mf_recovery_codes VARCHAR
    );
    CREATE TABLE web_authn (
      id INTEGER NOT NULL PRIMARY KEY,
      credential_id BLOB NOT NULL UNIQUE,
      public_key BLOB NOT NULL,
      sign_count INTEGER,
      transports VARCHAR,
      backup_state BOOLEAN NOT NULL,
      device_type VARCHAR(64) NOT NULL,
      extensions VARCHAR(255),
      create_datetime DATETIME NOT NULL,
      lastuse_datetime DATETIME NOT NULL,
      name VARCHAR(64) NOT NULL,
      usage VARCHAR(64) NOT NULL,
      user_id INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE
    );
  `);
  const insertUser = db.prepare(
    `INSERT INTO user (id, email, username, password, active, fs_uniquifier, confirmed_at,
       create_datetime, update_datetime, fs_webauthn_user_handle)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertKey = db.prepare(
    `INSERT INTO web_authn (credential_id, public_key, sign_count, transports, backup_state,
       device_type, extensions, create_datetime, lastuse_datetime, name, usage, user_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  users.forEach((user, index) => {
    const id = index + 1;
    insertUser.run(
      id,
      user.email,
      user.username ?? null,
      user.password,
      user.active === false ? 0 : 1,
      randomBytes(32).toString("hex"),
      "2024-03-01 10:00:00.000000",
      "2024-02-01 09:30:00.123456",
      "2024-03-01 10:00:00.000000",
      user.handle,
    );
    for (const key of user.keys) {
      insertKey.run(
        key.credentialId,
        key.publicKey,
        key.counter,
        key.transports.join(","),
        key.backedUp ? 1 : 0,
        key.deviceType === "multiDevice" ? "multi_device" : "single_device",
        '{"credProps": {"rk": true}}',
        "2024-02-02 08:00:00.000000",
        "2024-05-01 12:00:00.000000",
        key.name,
        key.usage,
        id,
      );
    }
  });
  db.close();
}

export interface BetterAuthUser {
  email: string;
  /** What better-auth's account table holds for an email/password user: scrypt "salt:key". */
  password: string | null;
  keys: Array<KeyElsewhere & { name: string }>;
}

/** A better-auth SQLite database: its core `user` and `account` tables and the `passkey` plugin. */
export function writeBetterAuthDb(path: string, users: BetterAuthUser[]): void {
  const db = new Database(path);
  db.exec(`
    CREATE TABLE "user" ("id" text not null primary key, "name" text not null, "email" text not null unique,
      "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null);
    CREATE TABLE "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null,
      "userId" text not null references "user" ("id") on delete cascade, "accessToken" text, "refreshToken" text,
      "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text,
      "createdAt" date not null, "updatedAt" date not null);
    CREATE TABLE "passkey" ("id" text not null primary key, "name" text, "publicKey" text not null,
      "userId" text not null references "user" ("id") on delete cascade, "credentialID" text not null,
      "counter" integer not null, "deviceType" text not null, "backedUp" integer not null, "transports" text,
      "createdAt" date, "aaguid" text);
  `);
  const now = Date.now();
  for (const user of users) {
    const id = randomBytes(16).toString("hex");
    db.prepare(`INSERT INTO "user" VALUES (?, ?, ?, ?, NULL, ?, ?)`).run(
      id,
      user.email.split("@")[0],
      user.email,
      1,
      now,
      now,
    );
    if (user.password !== null) {
      db.prepare(
        `INSERT INTO "account" ("id", "accountId", "providerId", "userId", "password", "createdAt", "updatedAt")
         VALUES (?, ?, 'credential', ?, ?, ?, ?)`,
      ).run(randomBytes(16).toString("hex"), id, id, user.password, now, now);
    }
    for (const key of user.keys) {
      db.prepare(`INSERT INTO "passkey" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        randomBytes(16).toString("hex"),
        key.name,
        // better-auth keeps the COSE key in standard base64, the id in base64url.
        key.publicKey.toString("base64"),
        id,
        key.credentialId.toString("base64url"),
        key.counter,
        key.deviceType,
        key.backedUp ? 1 : 0,
        key.transports.join(","),
        now,
        "00000000-0000-0000-0000-000000000000",
      );
    }
  }
  db.close();
}

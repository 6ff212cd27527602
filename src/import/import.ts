import type { AdminContext } from "../account/admin.js";
import { isEmail, normaliseEmail, normaliseUsername } from "../account/identity.js";
import { newUserHandle } from "../account/register.js";
import { UniqueViolationError } from "../core/errors.js";
import { USER_HANDLE_UNKNOWN, type User } from "../core/types.js";
import {
  type ImportedPasswordOptions,
  importedPasswordHash,
  passwordScheme,
} from "../factors/imported-passwords.js";
import type { NewCredential } from "../store/store.js";
import { webauthnLibrary } from "../webauthn/library.js";
import {
  type ImportedKey,
  type ImportedUser,
  type ImportFile,
  type ImportFileInput,
  readImportFile,
  toMillis,
} from "./format.js";

export interface ImportOptions {
  /** Check everything and report, but write nothing. */
  dryRun?: boolean;
  /** Who ran the import, for the events (`cli`, or the app's own label). */
  by?: string;
  /** What verifying the imported password hashes needs besides the hash (Flask-Security). */
  passwords?: ImportedPasswordOptions;
}

export type UserOutcome = "imported" | "keys-added" | "unchanged" | "skipped";

export interface ImportedUserReport {
  email: string;
  outcome: UserOutcome;
  /** Why the user was skipped, or left unchanged. */
  reason?: string;
  keys: {
    imported: number;
    unchanged: number;
    skipped: Array<{ credentialId: string; reason: string }>;
  };
  /** The password's scheme when imported; why not otherwise; null without a password. */
  password: { imported: string } | { skipped: string } | null;
}

export interface ImportReport {
  source: string;
  dryRun: boolean;
  users: Record<UserOutcome, number>;
  keys: { imported: number; unchanged: number; skipped: number };
  entries: ImportedUserReport[];
}

const KEY_NAME_MAX = 64;

/**
 * Brings users, their WebAuthn keys and their user handles into Keyward as the other system
 * stored them, so passkeys keep working (the stored handle is the one the authenticator
 * returns) and passwords are checked by their old hash until the next sign-in rehashes them.
 * Each user commits in its own transaction with an `account.imported` event. Re-running with
 * the same input changes nothing: a user whose email and user handle are already here is
 * unchanged (new keys of theirs are added), a key already here is unchanged.
 */
export async function importUsers(
  ctx: AdminContext,
  input: ImportFile | ImportFileInput,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const file = readImportFile(input);
  const dryRun = options.dryRun === true;
  const by = options.by ?? "api";
  const report: ImportReport = {
    source: file.source,
    dryRun,
    users: { imported: 0, "keys-added": 0, unchanged: 0, skipped: 0 },
    keys: { imported: 0, unchanged: 0, skipped: 0 },
    entries: [],
  };
  // What this input already claimed, so a duplicate within it is reported, not written twice.
  const seenEmails = new Set<string>();
  const seenKeys = new Set<string>();
  for (const user of file.users) {
    const entry = await importOne(ctx, file.source, user, {
      dryRun,
      by,
      options,
      seenEmails,
      seenKeys,
    });
    report.users[entry.outcome] += 1;
    report.keys.imported += entry.keys.imported;
    report.keys.unchanged += entry.keys.unchanged;
    report.keys.skipped += entry.keys.skipped.length;
    report.entries.push(entry);
  }
  return report;
}

interface Run {
  dryRun: boolean;
  by: string;
  options: ImportOptions;
  seenEmails: Set<string>;
  seenKeys: Set<string>;
}

async function importOne(
  ctx: AdminContext,
  source: string,
  input: ImportedUser,
  run: Run,
): Promise<ImportedUserReport> {
  const email = normaliseEmail(input.email);
  const entry: ImportedUserReport = {
    email,
    outcome: "skipped",
    keys: { imported: 0, unchanged: 0, skipped: [] },
    password: null,
  };
  const skip = (reason: string) => ({ ...entry, outcome: "skipped" as const, reason });
  if (!isEmail(email)) return skip("not an email address");
  if (run.seenEmails.has(email)) return skip("the same email appears earlier in this input");
  run.seenEmails.add(email);

  const handle = input.webauthnUserHandle ?? null;
  if (handle !== null) {
    const bytes = Buffer.from(handle, "base64url").length;
    if (bytes < 1 || bytes > 64) return skip("the user handle must be 1 to 64 bytes");
  }
  const existing = await ctx.store.users.byEmail(email);
  // Without a handle to compare, an account with the address is taken as this user, imported
  // before (a re-run): nothing about it changes. With another handle it is someone else.
  if (existing && handle === null) {
    return { ...entry, outcome: "unchanged", reason: "an account with this email is already here" };
  }
  if (existing && existing.webauthnUserHandle !== handle) {
    return skip("an account with this email and another user handle is already here");
  }
  if (!existing && handle !== null && (await ctx.store.users.byWebauthnUserHandle(handle))) {
    return skip("another account here has this user handle");
  }
  const username = input.username ? normaliseUsername(input.username) : null;
  if (!existing && username !== null) {
    const holder = await ctx.store.users.byUsername(username);
    if (holder) return skip("the username is taken here");
  }

  // The keys: each checked on its own; one that cannot be used is skipped, the rest come in.
  const owned = existing ? await ctx.store.credentials.listForUser(existing.id) : [];
  const names = new Set(owned.map((key) => key.name));
  const handleKnown = handle !== null;
  const keys: NewCredential[] = [];
  for (const key of input.keys) {
    const refused = await refuseKey(ctx, key, existing, run.seenKeys);
    if (refused === "unchanged") {
      entry.keys.unchanged += 1;
      continue;
    }
    if (refused) {
      entry.keys.skipped.push({ credentialId: key.credentialId, reason: refused });
      continue;
    }
    run.seenKeys.add(key.credentialId);
    keys.push(newKey(key, uniqueName(key, names), handleKnown));
  }

  let passwordHash: string | null = null;
  if (!existing && input.passwordHash) {
    const scheme = passwordScheme(input.passwordHash);
    if (scheme === null) {
      entry.password = { skipped: "a hash scheme Keyward cannot verify" };
    } else {
      passwordHash = importedPasswordHash(
        input.passwordHash,
        run.options.passwords ?? {},
        ctx.config.secret,
      );
      entry.password = { imported: scheme };
    }
  }

  if (existing) {
    entry.outcome = keys.length > 0 ? "keys-added" : "unchanged";
    if (keys.length === 0) entry.reason = "already imported";
    if (keys.length > 0 && !run.dryRun) {
      const added = await write(() =>
        ctx.transaction(async (tx) => {
          for (const key of keys) await tx.credentials.create({ ...key, userId: existing.id });
          await tx.record(
            "account.import-keys-added",
            { userId: existing.id, ip: null },
            { source, by: run.by, keys: keys.length },
          );
        }),
      );
      if (added !== true) return skip(added);
    }
    entry.keys.imported = keys.length;
    return entry;
  }

  if (!run.dryRun) {
    const created = await write(() =>
      ctx.transaction(async (tx) => {
        const user = await tx.users.create({
          email,
          username,
          passwordHash,
          webauthnUserHandle: handle ?? newUserHandle(),
          emailConfirmedAt:
            input.emailConfirmedAt == null ? null : toMillis(input.emailConfirmedAt),
          active: input.active,
          ...(input.createdAt === undefined ? {} : { createdAt: toMillis(input.createdAt) }),
        });
        for (const key of keys) await tx.credentials.create({ ...key, userId: user.id });
        await tx.record(
          "account.imported",
          { userId: user.id, ip: null },
          {
            source,
            by: run.by,
            keys: keys.length,
            passwordScheme:
              entry.password && "imported" in entry.password ? entry.password.imported : null,
          },
        );
      }),
    );
    if (created !== true) return skip(created);
  }
  entry.outcome = "imported";
  entry.keys.imported = keys.length;
  return entry;
}

/** Why a key cannot come in, "unchanged" when it is already this user's, or null. */
async function refuseKey(
  ctx: AdminContext,
  key: ImportedKey,
  owner: User | undefined,
  seen: Set<string>,
): Promise<string | "unchanged" | null> {
  if (Buffer.from(key.credentialId, "base64url").length > 1023) {
    return "the credential id is longer than 1023 bytes";
  }
  if (seen.has(key.credentialId)) return "the same credential id appears earlier in this input";
  const here = await ctx.store.credentials.byCredentialId(key.credentialId);
  if (here)
    return owner && here.userId === owner.id
      ? "unchanged"
      : "the key belongs to another account here";
  const { decodeCredentialPublicKey } = (await webauthnLibrary()).helpers;
  try {
    const cose = decodeCredentialPublicKey(new Uint8Array(Buffer.from(key.publicKey, "base64url")));
    if (typeof cose.get(3) !== "number") return "the public key names no algorithm";
  } catch {
    return "the public key is not a COSE key";
  }
  if (!key.backupEligible && key.backupState) {
    return "a key that cannot be synced (BE=0) cannot be backed up (BS=1)";
  }
  return null;
}

function newKey(key: ImportedKey, name: string, handleKnown: boolean): NewCredential {
  const flags = handleKnown && key.userHandle === "account" ? [] : [USER_HANDLE_UNKNOWN];
  return {
    userId: "",
    credentialId: key.credentialId,
    publicKey: key.publicKey,
    signCount: key.signCount,
    transports: key.transports,
    backupEligible: key.backupEligible,
    backupState: key.backupState,
    deviceType: key.backupEligible ? "multiDevice" : "singleDevice",
    aaguid: key.aaguid ?? "00000000-0000-0000-0000-000000000000",
    attestationFormat: "imported",
    name,
    usage: key.usage,
    flags,
    ...(key.createdAt === undefined ? {} : { createdAt: toMillis(key.createdAt) }),
    ...(key.lastUsedAt == null ? {} : { lastUsedAt: toMillis(key.lastUsedAt) }),
  };
}

/** The key's name, cleaned and made unique among the user's keys ("Passkey 2"…). */
function uniqueName(key: ImportedKey, taken: Set<string>): string {
  const cleaned = (key.name ?? "")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, KEY_NAME_MAX);
  const base =
    cleaned || (key.usage === "first" || key.backupEligible ? "Passkey" : "Security key");
  let name = base;
  for (let n = 2; taken.has(name); n += 1) name = `${base.slice(0, KEY_NAME_MAX - 4)} ${n}`;
  taken.add(name);
  return name;
}

/** Runs a write; a row taken meanwhile by someone else is a reason to skip, not a failure. */
async function write(change: () => Promise<void>): Promise<true | string> {
  try {
    await change();
    return true;
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      return `taken here meanwhile (${error.constraint ?? "a unique value"})`;
    }
    throw error;
  }
}

import { z } from "zod";
import { ErrorCode, KeywardError } from "../core/errors.js";

/**
 * Keyward's neutral import format (docs/import.md): users, their WebAuthn keys and their user
 * handles as another system stored them. The Flask-Security and better-auth readers produce
 * it; a team coming from anything else writes it.
 */

const base64url = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, "must be unpadded base64url")
  .describe("bytes, unpadded base64url");
const instant = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .describe("an ISO 8601 date-time, or milliseconds since the epoch");

export const importedKeySchema = z.object({
  credentialId: base64url.describe("the credential id, as the authenticator returns it"),
  publicKey: base64url.describe("the credential's COSE public key"),
  signCount: z.number().int().nonnegative().default(0),
  transports: z.array(z.string().max(32)).max(16).default([]),
  backupEligible: z
    .boolean()
    .describe("BE: a synced (multi-device) passkey; fixed for the key's life"),
  backupState: z.boolean().default(false),
  aaguid: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
    .optional(),
  name: z.string().max(256).optional(),
  usage: z.enum(["first", "secondary"]),
  createdAt: instant.optional(),
  lastUsedAt: instant.nullable().optional(),
  userHandle: z
    .enum(["account", "unknown"])
    .default("account")
    .describe(
      '"account": registered with the user\'s webauthnUserHandle; "unknown": with a handle nobody kept',
    ),
});

export const importedUserSchema = z.object({
  email: z.string().max(320),
  username: z.string().max(64).nullable().optional(),
  active: z.boolean().default(true),
  emailConfirmedAt: instant.nullable().optional(),
  createdAt: instant.optional(),
  passwordHash: z
    .string()
    .max(1024)
    .nullable()
    .optional()
    .describe(
      "bcrypt, argon2 or passlib hash string, as stored; better-auth's salt:key as $better-auth-scrypt$salt$key",
    ),
  webauthnUserHandle: base64url
    .nullable()
    .optional()
    .describe("the user.id the keys were registered with (1 to 64 bytes)"),
  keys: z.array(importedKeySchema).max(100).default([]),
});

export const importFileSchema = z.object({
  format: z.literal("keyward-import"),
  version: z.literal(1),
  source: z.string().max(64).default("json"),
  users: z.array(importedUserSchema),
});

export type ImportedKey = z.output<typeof importedKeySchema>;
export type ImportedUser = z.output<typeof importedUserSchema>;
export type ImportFile = z.output<typeof importFileSchema>;
export type ImportFileInput = z.input<typeof importFileSchema>;

/** How many of a refused file's problems the error names. */
const ISSUES_SHOWN = 5;

/**
 * An import file checked against the format, or an INVALID_INPUT error that says where it is
 * wrong (`users.3.email: Invalid email address; …`), with the first place in `details.field`.
 */
export function readImportFile(input: ImportFile | ImportFileInput): ImportFile {
  const result = importFileSchema.safeParse(input);
  if (result.success) return result.data;
  const { issues } = result.error;
  const where = (issue: z.core.$ZodIssue) => issue.path.join(".") || "file";
  const named = issues.slice(0, ISSUES_SHOWN).map((issue) => `${where(issue)}: ${issue.message}`);
  const more = issues.length > ISSUES_SHOWN ? [`and ${issues.length - ISSUES_SHOWN} more`] : [];
  throw new KeywardError(
    ErrorCode.INVALID_INPUT,
    `Not a Keyward import file: ${[...named, ...more].join("; ")}`,
    { field: where(issues[0]!) },
  );
}

/** Milliseconds since the epoch of an `instant`. */
export function toMillis(value: string | number): number {
  return typeof value === "number" ? value : Date.parse(value);
}

import { readFile } from "node:fs/promises";
import type { NormalForm } from "../../factors/imported-passwords.js";
import type { ImportFileInput } from "../../import/format.js";
import type { ImportReport } from "../../import/import.js";
import { CliFailure, type Command, UsageError } from "../command.js";
import { storeOnlyDefaults } from "../config.js";
import { table } from "../format.js";

const SOURCES = ["json", "flask-security", "better-auth"] as const;
const FORMS = ["NFKD", "NFKC", "NFD", "NFC", "none"] as const;

export const importCommand: Command = {
  name: "import",
  summary: "Import users, their keys, user handles and password hashes from another system",
  args: [
    { name: "file", description: "The export: a SQLite database, or a JSON file (--from json)" },
  ],
  options: {
    from: {
      type: "string",
      value: "<source>",
      description: `Where it comes from: ${SOURCES.join(", ")} (default json)`,
    },
    "dry-run": { type: "boolean", description: "Check and report everything, write nothing" },
    "password-salt-env": {
      type: "string",
      value: "<VAR>",
      description:
        "flask-security: the environment variable holding SECURITY_PASSWORD_SALT, when passwords were HMAC pre-hashed (the default there)",
    },
    normalize: {
      type: "string",
      value: "<form>",
      description: `Unicode form passwords were normalised to before hashing: ${FORMS.join(", ")} (flask-security default NFKD, else none)`,
    },
    "user-table": {
      type: "string",
      value: "<name>",
      description: "flask-security: the user table",
    },
    "webauthn-table": {
      type: "string",
      value: "<name>",
      description: "flask-security: the WebAuthn table (default web_authn or webauthn)",
    },
  },
  details:
    "Users come in with their WebAuthn keys and user handles as they were, so passkeys keep\n" +
    "working; password hashes (bcrypt, argon2, passlib's bcrypt_sha256 and pbkdf2) are checked\n" +
    "at the next sign-in and then rehashed to argon2id. Running it again with the same input\n" +
    "changes nothing. The report lists what was imported, left unchanged or skipped, and why.\n" +
    "Pre-hashed passwords need the app's KEYWARD_SECRET: the salt is stored sealed with it.\n" +
    "See docs/import.md.",
  async run(cli) {
    // The runner has checked that the command line gives the file.
    const file = cli.args[0]!;
    const from = (cli.options.from ?? "json") as string;
    if (!(SOURCES as readonly string[]).includes(from)) {
      throw new UsageError(`--from: one of ${SOURCES.join(", ")}`, importCommand);
    }
    const normalize = (cli.options.normalize ??
      (from === "flask-security" ? "NFKD" : "none")) as string;
    if (!(FORMS as readonly string[]).includes(normalize)) {
      throw new UsageError(`--normalize: one of ${FORMS.join(", ")}`, importCommand);
    }
    const saltVar = cli.options["password-salt-env"];
    const salt = typeof saltVar === "string" ? cli.env[saltVar] : undefined;
    if (typeof saltVar === "string" && !salt) {
      throw new UsageError(`--password-salt-env: ${saltVar} is not set`, importCommand);
    }
    if (salt && cli.config().secret === storeOnlyDefaults.secret) {
      throw new UsageError(
        "pre-hashed passwords need the app's secret (KEYWARD_SECRET or the config file): the salt is sealed with it",
        importCommand,
      );
    }
    // Loaded here: the other commands start without the importers and hash libraries.
    const { importUsers } = await import("../../import/import.js");
    const { readFlaskSecurity } = await import("../../import/sources/flask-security.js");
    const { readBetterAuth } = await import("../../import/sources/better-auth.js");
    const { readImportFile } = await import("../../import/format.js");
    const read =
      from === "flask-security"
        ? readFlaskSecurity(file, {
            ...(typeof cli.options["user-table"] === "string"
              ? { user: cli.options["user-table"] }
              : {}),
            ...(typeof cli.options["webauthn-table"] === "string"
              ? { webauthn: cli.options["webauthn-table"] }
              : {}),
          })
        : from === "better-auth"
          ? readBetterAuth(file)
          : jsonFile(file, await readFile(file, "utf8"));
    // A file that is not an import is refused before the database is opened.
    const data = readImportFile(read);
    const admin = await cli.admin();
    const report = await importUsers(admin, data, {
      dryRun: cli.options["dry-run"] === true,
      by: "cli",
      passwords: {
        normalize: normalize === "none" ? null : (normalize as NormalForm),
        flaskSecurityHmacKey: salt ?? null,
      },
    });
    return { json: report, text: reportText(report) };
  },
};

function reportText(report: ImportReport): string {
  const { users, keys } = report;
  const lines = [
    `${report.dryRun ? "Dry run (nothing written): " : ""}${report.source}: ` +
      `${users.imported} imported, ${users["keys-added"]} with keys added, ` +
      `${users.unchanged} unchanged, ${users.skipped} skipped; ` +
      `keys: ${keys.imported} imported, ${keys.unchanged} unchanged, ${keys.skipped} skipped`,
  ];
  const notes = report.entries.flatMap((entry) => [
    ...(entry.outcome === "skipped" ? [[entry.email, "user skipped", entry.reason ?? ""]] : []),
    ...entry.keys.skipped.map((key) => [
      entry.email,
      `key ${key.credentialId.slice(0, 16)}… skipped`,
      key.reason,
    ]),
    ...(entry.password && "skipped" in entry.password
      ? [[entry.email, "password skipped", entry.password.skipped]]
      : []),
  ]);
  if (notes.length > 0) lines.push("", table(["user", "what", "why"], notes));
  return lines.join("\n");
}

function jsonFile(file: string, text: string): ImportFileInput {
  try {
    return JSON.parse(text) as ImportFileInput;
  } catch (error) {
    throw new CliFailure("MALFORMED_JSON", `${file} is not JSON: ${(error as Error).message}`);
  }
}

/**
 * keyward/import: reading users and keys from another system for `auth.api.importUsers` and
 * `keyward import` (see docs/import.md).
 *
 * @example
 * import { readFlaskSecurity } from "keyward/import";
 * const report = await auth.api.importUsers(readFlaskSecurity("./app.db"), { dryRun: true });
 */
export type { ImportedPasswordOptions, NormalForm } from "./factors/imported-passwords.js";
export type { ImportedKey, ImportedUser, ImportFile, ImportFileInput } from "./import/format.js";
export type { ImportedUserReport, ImportOptions, ImportReport } from "./import/import.js";
export { readBetterAuth } from "./import/sources/better-auth.js";
export { type FlaskSecurityTables, readFlaskSecurity } from "./import/sources/flask-security.js";

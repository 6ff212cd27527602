import { createRequire } from "node:module";

/**
 * Names of authenticator models by AAGUID, from the `aaguids` package (MIT,
 * https://github.com/darthmaim/aaguids): security keys (YubiKey, Feitian, Titan…) and passkey
 * providers (iCloud Keychain, Google Password Manager, Windows Hello, 1Password, Bitwarden…).
 */
const known = createRequire(import.meta.url)("aaguids") as Readonly<Record<string, string>>;

/** The AAGUID of authenticators that do not say what they are (and of "none" attestation). */
const ANONYMOUS = "00000000-0000-0000-0000-000000000000";

/** An AAGUID in canonical form: lowercase, hyphenated; undefined when it is not a UUID. */
export function normaliseAaguid(aaguid: string): string | undefined {
  const hex = aaguid.trim().toLowerCase().replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An app's own names (constructor option `authenticatorNames`), keys normalised. */
export function normaliseNames(
  names: Readonly<Record<string, string>> | undefined,
): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [aaguid, name] of Object.entries(names ?? {})) {
    const key = normaliseAaguid(aaguid);
    if (key === undefined) throw new Error(`authenticatorNames: "${aaguid}" is not an AAGUID`);
    out[key] = name;
  }
  return Object.freeze(out);
}

/**
 * The model name of the authenticator with this AAGUID ("YubiKey 5 Series", "iCloud Keychain"),
 * looking in `overrides` first (the app's own map), then in the bundled list; undefined for the
 * all-zero AAGUID and for models nobody has named.
 */
export function authenticatorName(
  aaguid: string,
  overrides: Readonly<Record<string, string>> = {},
): string | undefined {
  const key = normaliseAaguid(aaguid);
  if (key === undefined) return undefined;
  // The app's map wins; an empty name there hides a bundled one.
  if (Object.hasOwn(overrides, key)) return overrides[key] || undefined;
  if (key === ANONYMOUS) return undefined;
  return Object.hasOwn(known, key) ? known[key] : undefined;
}

import { type Credential, PASSKEY_UPGRADE, type Usage } from "../core/types.js";
import { authenticatorName } from "./aaguid.js";

/**
 * Whether a key survives the loss of its device, in words: `synced` (backed up to a passkey
 * provider: BE and BS set), `not-backed-up` (it could be synced, but is not now: BE without
 * BS), `device-bound` (it can never leave its authenticator: no BE). BE is fixed when the key
 * is registered; BS is refreshed from every assertion.
 */
export type KeyBackup = "synced" | "not-backed-up" | "device-bound";

export function backupOf(
  credential: Pick<Credential, "backupEligible" | "backupState">,
): KeyBackup {
  if (!credential.backupEligible) return "device-bound";
  return credential.backupState ? "synced" : "not-backed-up";
}

/** A key as its owner sees it in a list: no key material. */
export interface CredentialView {
  id: string;
  credentialId: string;
  name: string;
  usage: Usage;
  transports: string[];
  /** Synced passkey (backed up to a provider) rather than bound to one device. */
  synced: boolean;
  /** The same in words, telling a key that could be synced but is not from one that never can. */
  backup: KeyBackup;
  /** "upgrade": the browser made it on its own after a password sign-in (webauthn/upgrade.ts). */
  createdBy: "user" | "upgrade";
  deviceType: Credential["deviceType"];
  aaguid: string;
  /** The authenticator model, from its AAGUID ("YubiKey 5 Series"); null when unknown. */
  authenticatorName: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  flags: string[];
}

/** `names`: the app's AAGUID → name map (ctx.authenticatorNames), consulted before the bundled one. */
export function toCredentialView(
  credential: Credential,
  names?: Readonly<Record<string, string>>,
): CredentialView {
  return {
    id: credential.id,
    credentialId: credential.credentialId,
    name: credential.name,
    usage: credential.usage,
    transports: credential.transports,
    // Rows written before a changed BE was refused may say BS=1 for a device-bound key.
    synced: credential.backupEligible && credential.backupState,
    backup: backupOf(credential),
    createdBy: credential.flags.includes(PASSKEY_UPGRADE) ? "upgrade" : "user",
    deviceType: credential.deviceType,
    aaguid: credential.aaguid,
    authenticatorName: authenticatorName(credential.aaguid, names) ?? null,
    createdAt: new Date(credential.createdAt).toISOString(),
    lastUsedAt:
      credential.lastUsedAt === null ? null : new Date(credential.lastUsedAt).toISOString(),
    flags: credential.flags,
  };
}

import type { Credential, Usage } from "../core/types.js";

/** A key as its owner sees it in a list: no key material. */
export interface CredentialView {
  id: string;
  credentialId: string;
  name: string;
  usage: Usage;
  transports: string[];
  /** Synced passkey (backed up to a provider) rather than bound to one device. */
  synced: boolean;
  deviceType: Credential["deviceType"];
  aaguid: string;
  createdAt: string;
  lastUsedAt: string | null;
  flags: string[];
}

export function toCredentialView(credential: Credential): CredentialView {
  return {
    id: credential.id,
    credentialId: credential.credentialId,
    name: credential.name,
    usage: credential.usage,
    transports: credential.transports,
    synced: credential.backupState,
    deviceType: credential.deviceType,
    aaguid: credential.aaguid,
    createdAt: new Date(credential.createdAt).toISOString(),
    lastUsedAt:
      credential.lastUsedAt === null ? null : new Date(credential.lastUsedAt).toISOString(),
    flags: credential.flags,
  };
}

import type { KeywardContext } from "../context.js";
import type { ActiveSession } from "../core/caller.js";

/**
 * What the browser's passkey provider should know about this user (WebAuthn Signal API):
 * the keys this site still accepts, and the current name and display name, so deleted keys
 * and old addresses disappear from the provider's list.
 */
export interface PasskeySignals {
  rpId: string;
  /** The WebAuthn user handle (base64url), as sent as `user.id` at registration. */
  userId: string;
  allAcceptedCredentialIds: string[];
  name: string;
  displayName: string;
}

export async function passkeySignals(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<PasskeySignals> {
  const keys = await ctx.store.credentials.listForUser(active.user.id);
  return {
    rpId: ctx.webauthnUtil.rpId(),
    userId: active.user.webauthnUserHandle,
    allAcceptedCredentialIds: keys.map((key) => key.credentialId),
    // The same name and display name registration options carry.
    name: active.user.username ?? active.user.email,
    displayName: active.user.email,
  };
}

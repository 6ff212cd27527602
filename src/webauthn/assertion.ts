import type { KeywardContext } from "../context.js";
import type { Caller, ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import {
  type CeremonyOf,
  type Credential,
  keyFactor,
  USER_HANDLE_UNKNOWN,
  USER_VERIFYING,
  type Usage,
  type User,
} from "../core/types.js";
import type { Repositories } from "../store/store.js";
import { refuseCrossOrigin, verificationFailed } from "./client-data.js";
import { verifyAssertionFast } from "./fast-assertion.js";
import type { AuthenticationResponse } from "./schemas.js";

export interface VerifiedAssertion {
  credential: Credential;
  owner: User;
  userVerified: boolean;
  /** The counter went backwards: the key is flagged and the sessions it earned have ended. */
  flagged: boolean;
  /**
   * Writes the key's use (counter, backup state, last use) on `store`, so that the caller can
   * commit it in one transaction with the session or change the assertion earned.
   */
  recordUse(store: Repositories): Promise<void>;
}

const unknownCredential = () => new KeywardError(ErrorCode.WEBAUTHN_UNKNOWN_CREDENTIAL);

/** A stored key and its owner. */
export type KeyWithOwner = { credential: Credential; owner: User };

/**
 * The key an assertion names, with its owner in the same query (a key always has one: deletes
 * cascade). A read with no effect, so a caller may start it before the checks that precede it.
 */
export function lookUpKey(
  ctx: KeywardContext,
  credentialId: string,
): Promise<KeyWithOwner | undefined> {
  return ctx.store.credentials.byCredentialIdWithOwner(credentialId);
}

/**
 * Verifies an assertion against a ceremony, in the order of WebAuthn §7.2: the credential must
 * be known, allowed (its owner and usage), its userHandle must name its owner, and the
 * signature, challenge, origin, RP ID and flags must verify, the backup eligibility must be the
 * registered one, and the owner must be active. Then the counter policy applies; the key's use
 * is left for the caller to record (recordUse).
 */
export async function verifyAssertion(
  ctx: KeywardContext,
  ceremony: CeremonyOf<"signin" | "verify">,
  {
    response,
    ...allowed
  }: {
    response: AuthenticationResponse;
    /** The usages that may answer, and the one user whose keys may (null: anyone's). */
    usages: Usage[];
    userId: string | null;
    /**
     * The lookup of the key `response.id` names (`lookUpKey`), when the caller started it
     * alongside other reads instead of after them. Default: looked up here.
     */
    key?: Promise<KeyWithOwner | undefined>;
  },
  { request, client }: Caller,
): Promise<VerifiedAssertion> {
  // Look the credential up by its id: the library does not bind response.id to the key we pass.
  if (response.id !== response.rawId) throw unknownCredential();
  const found = await (allowed.key ?? lookUpKey(ctx, response.id));
  if (!found) throw unknownCredential();
  const { credential, owner } = found;
  // A ceremony for a known user accepts only that user's keys (allowCredentials is advisory).
  if (allowed.userId !== null && credential.userId !== allowed.userId) throw unknownCredential();
  if (!allowed.usages.includes(credential.usage)) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_USAGE_NOT_ALLOWED,
      `A ${credential.usage === "first" ? "sign-in" : "second-factor"} key cannot be used here.`,
    );
  }

  // The user handle, when present, must be the owner's; when no user was named, it must be there.
  // An imported key whose registration handle was never kept can only show that it has one.
  const userHandle = response.response.userHandle;
  const handleKnown = !credential.flags.includes(USER_HANDLE_UNKNOWN);
  if (userHandle !== undefined && handleKnown && userHandle !== owner.webauthnUserHandle) {
    throw new KeywardError(ErrorCode.WEBAUTHN_USER_HANDLE_MISMATCH);
  }
  if (userHandle === undefined && allowed.userId === null) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_USER_HANDLE_MISMATCH,
      "The key did not say which account it belongs to.",
    );
  }
  await refuseCrossOrigin(response.response.clientDataJSON);

  // verifyAssertionFast decides exactly as @simplewebauthn/server's verifyAuthenticationResponse
  // (held to it by a differential test) but keeps each key imported, at a tenth of the cost.
  let info: Awaited<ReturnType<typeof verifyAssertionFast>>["authenticationInfo"];
  try {
    const result = await verifyAssertionFast({
      response,
      expectedChallenge: ceremony.challenge ?? "",
      expectedOrigin: ctx.webauthnUtil.origins(request),
      expectedRPID: ctx.webauthnUtil.rpId(),
      credential: {
        id: credential.credentialId,
        publicKey: Buffer.from(credential.publicKey, "base64url"),
        // The counter policy is Keyward's (warn or reject), so the verifier is not asked to judge.
        counter: 0,
      },
      // UV is demanded only where the policy asked the browser for it (WebauthnUtil).
      requireUserVerification: ceremony.data.userVerification === "required",
    });
    if (!result.verified) throw new Error("the signature did not verify");
    info = result.authenticationInfo;
  } catch (error) {
    throw verificationFailed(error);
  }
  await refuseChangedBackupEligibility(ctx, credential, info.credentialDeviceType, client);

  const regressed =
    (info.newCounter > 0 || credential.signCount > 0) && info.newCounter <= credential.signCount;
  const flags = [
    ...new Set([
      ...credential.flags,
      ...(regressed ? ["counter-regression"] : []),
      // Seen once, the key can verify its user: it reaches AAL2 on its own (factors/reach.ts).
      ...(info.userVerified ? [USER_VERIFYING] : []),
    ]),
  ];
  const use = {
    signCount: Math.max(info.newCounter, credential.signCount),
    backupState: info.credentialBackedUp,
    lastUsedAt: ctx.clock.now(),
    flags,
  };
  const verified = {
    credential: { ...credential, backupState: info.credentialBackedUp, flags },
    owner,
    userVerified: info.userVerified,
    flagged: regressed,
  };
  if (!regressed) {
    refuseInactive(owner);
    return { ...verified, recordUse: (store) => store.credentials.recordUse(credential.id, use) };
  }
  // A possible clone is recorded at once, on its own: it must stay recorded when refused.
  // Whoever holds the copy may have earned sessions with it, and which holder is genuine is
  // unknown: the sessions the key earned so far end with the flag (invariant 12). Under
  // "warn" the sign-in that raised the flag still gets its session, after this.
  await ctx.transaction(async (tx) => {
    await tx.credentials.recordUse(credential.id, use);
    const sessionsRevoked = await tx.sessions.deleteEarnedBy(owner.id, [keyFactor(credential.id)]);
    await tx.record(
      "webauthn.counter-regression",
      { userId: owner.id, ip: client.ip },
      {
        credentialId: credential.credentialId,
        stored: credential.signCount,
        received: info.newCounter,
        sessionsRevoked,
      },
    );
  });
  if (ctx.config.webauthn.counterPolicy === "reject") {
    throw new KeywardError(ErrorCode.WEBAUTHN_COUNTER_REGRESSION);
  }
  refuseInactive(owner);
  return { ...verified, recordUse: async () => {} };
}

/**
 * BE is fixed for a credential's life (WebAuthn §6.1.3): a key registered device-bound that now
 * claims to be synced (or the reverse) is not the key that was registered, or is broken. Left
 * alone, its BS would be stored on a device-bound key and its sessions would claim what the key
 * does not support. The refusal changes nothing on the key, so the genuine key keeps working;
 * the event stays recorded for audit (only the key's holder can sign such an assertion).
 */
async function refuseChangedBackupEligibility(
  ctx: KeywardContext,
  credential: Credential,
  deviceType: "singleDevice" | "multiDevice",
  client: ClientInfo,
): Promise<void> {
  const received = deviceType === "multiDevice";
  if (received === credential.backupEligible) return;
  await ctx.record(
    "webauthn.backup-eligibility-changed",
    { userId: credential.userId, ip: client.ip },
    { credentialId: credential.credentialId, stored: credential.backupEligible, received },
  );
  throw new KeywardError(
    ErrorCode.WEBAUTHN_BACKUP_ELIGIBILITY_CHANGED,
    received
      ? "This key was registered as bound to one device and now says it can be synced."
      : "This key was registered as a synced passkey and now says it is bound to one device.",
  );
}

function refuseInactive(owner: User): void {
  if (!owner.active) {
    throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  }
}

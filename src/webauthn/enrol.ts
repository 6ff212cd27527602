import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { KeywardContext } from "../context.js";
import { refuseLocked } from "../core/account-lock.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken } from "../core/ids.js";
import { keyFactor, toPublicUser, type Usage, type User } from "../core/types.js";
import { reachableAal } from "../factors/reach.js";
import {
  assertSameEpoch,
  holdsPendingSignIn,
  type PendingSignIn,
  pendingFirstFactor,
  pendingSignIn,
  recordSignIn,
  type SessionOutcome,
} from "../factors/two-factor.js";
import { startCeremony } from "../session/ceremony-state.js";
import {
  refuseDisabledUsage,
  refusePastKeyLimit,
  retryingDefaultName,
  roomForNewKey,
  storeNewKey,
  verifyNewKey,
} from "./register.js";
import type { RegistrationResponse } from "./schemas.js";
import type { KeyPlacement } from "./util.js";
import { type CredentialView, toCredentialView } from "./view.js";

/**
 * A key enrolled as the second factor of a sign-in held back for enrolment
 * (`twoFactor.required`, a pending state with `enrol: true`), top to bottom. POST /wan-register
 * with the pending state starts it in place of a session; POST /wan-register-response stores
 * the key, spends the pending sign-in and issues its AAL2 session, in one unit of work.
 *
 * The rules are /tf-setup's (factors/setup.ts): only the client holding the pending sign-in
 * (its pending cookie, or the pending token of a bearer client) may start or finish; only an
 * account that cannot reach AAL2 yet may enrol (a password alone must never add the factor
 * that passes the second step, nor a key to an account a passkey already guards); the lock,
 * the account's state and its security epoch are checked at both ends; the pending sign-in
 * completes exactly once. A `secondary` key needs keys among `twoFactor.methods`; a `first` key
 * serves only where it signs in at AAL2 on its own, so it must verify its user here.
 */

/** Step 1: creation options for the key, bound to the pending sign-in behind `pendingState`. */
export async function startKeyEnrolment(
  ctx: KeywardContext,
  pendingState: string,
  input: { name?: string | undefined; usage: Usage; attachment?: KeyPlacement | undefined },
  caller: Caller,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; state: string }> {
  refuseEnrolledUsage(ctx, input.usage);
  const { pending, user } = await pendingSignIn(ctx, pendingState);
  await refuseUnlessEnrolling(ctx, pending, user);
  const { name, existing } = await roomForNewKey(ctx, user.id, input.name);
  const offered = await ctx.webauthnUtil.registrationOptions(
    user,
    input.usage,
    existing,
    input.attachment,
  );
  const userVerification = input.usage === "first" ? "required" : userVerificationOf(offered);
  const options: PublicKeyCredentialCreationOptionsJSON = {
    ...offered,
    authenticatorSelection: { ...offered.authenticatorSelection, userVerification },
  };
  const state = await startCeremony(
    ctx,
    {
      kind: "register",
      userId: user.id,
      sessionId: null,
      challenge: options.challenge,
      usage: input.usage,
      name,
      data: { userVerification, pending: hashToken(pendingState) },
      ttlMs: ctx.config.webauthn.registerWithin,
    },
    // The first factor is proved: the user answers for this state, and the IP is counted too.
    { ip: caller.client.ip, holder: user.id },
  );
  return { options, state };
}

/** What finishing an enrolment gives: the key, and the session it completed. */
export interface EnrolledKey {
  credential: CredentialView;
  outcome: SessionOutcome;
}

/**
 * Step 2: the key's response verified, stored, and the pending sign-in completed with it at
 * AAL2 (earned by the first factor and the new key), all in one unit of work.
 */
export async function finishKeyEnrolment(
  ctx: KeywardContext,
  input: { state: string; credential: RegistrationResponse },
  caller: Caller,
): Promise<EnrolledKey> {
  const invalid = () => new KeywardError(ErrorCode.STATE_INVALID);
  // Look before spending: a session's registration state is no enrolment, and a client that
  // does not hold the pending sign-in must not burn the state of the one that does.
  const found = await ctx.store.ceremonies.find(hashToken(input.state), "register");
  const pendingHash = found?.data.pending;
  if (!found?.userId || found.sessionId !== null || pendingHash === undefined) throw invalid();
  if (!(await holdsPendingSignIn(ctx, pendingHash, caller))) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in was started in another browser or app; sign in again here.",
    );
  }
  const ceremony = await ctx.store.ceremonies.consume(hashToken(input.state), "register");
  if (!ceremony?.userId || ceremony.sessionId !== null || ceremony.data.pending !== pendingHash) {
    throw invalid();
  }
  if (ceremony.expiresAt <= ctx.clock.now()) throw new KeywardError(ErrorCode.STATE_EXPIRED);
  const usage = ceremony.usage ?? "secondary";
  refuseEnrolledUsage(ctx, usage);
  const info = await verifyNewKey(ctx, ceremony, input.credential, caller, {
    requireUserPresence: true,
  });

  const user = await ctx.store.users.byId(ceremony.userId);
  if (!user) throw invalid();
  if (!user.active) throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  refuseLocked(user, ctx.clock.now());
  // The held-back sign-in is spent now, so it completes exactly once, whichever way it is
  // finished (this key, another key, a code set up with /tf-setup).
  const pending = await ctx.store.ceremonies.consume(pendingHash, "second-factor");
  if (!pending || pending.userId !== user.id) throw invalid();
  if (pending.expiresAt <= ctx.clock.now()) throw new KeywardError(ErrorCode.STATE_EXPIRED);
  assertSameEpoch(pending, user);

  return retryingDefaultName(ceremony.name !== null, () =>
    ctx.transaction(async (tx) => {
      // Held again where it is written: a factor may have been enrolled since the start.
      await refuseUnlessEnrolling({ ...ctx, store: tx }, pending, user);
      const existing = await tx.credentials.listForUser(user.id);
      refusePastKeyLimit(ctx, existing);
      const stored = await storeNewKey(
        ctx,
        tx,
        { userId: user.id, name: ceremony.name, usage, info, upgrade: false, existing },
        caller,
      );
      const issued = await ctx.sessions.issue(
        tx,
        user,
        {
          amr: [...pending.data.amr, stored.backupEligible ? "swk" : "hwk"],
          aal: 2,
          uv: pending.data.uv || info.userVerified,
          earnedBy: { first: pendingFirstFactor(pending), second: keyFactor(stored.id) },
        },
        caller,
        pending.data.persistent !== false,
      );
      await tx.record(
        "two-factor.succeeded",
        { userId: user.id, ip: caller.client.ip },
        { method: "webauthn", aal: 2 },
      );
      await recordSignIn(tx, issued.session, caller.client, "webauthn");
      return {
        credential: toCredentialView(stored, ctx.authenticatorNames),
        outcome: { kind: "session", ...issued, user: toPublicUser(user) },
      };
    }),
  );
}

/**
 * A key of `usage` could never complete this sign-in: a `secondary` key needs keys among
 * `twoFactor.methods`; a `first` key must sign in at AAL2 on its own
 * (`webauthn.allowAsFirstFactor` and `allowAsMultiFactor`).
 */
function refuseEnrolledUsage(ctx: KeywardContext, usage: Usage): void {
  refuseDisabledUsage(ctx, usage);
  if (usage === "first" && !ctx.config.webauthn.allowAsMultiFactor) {
    throw new KeywardError(
      ErrorCode.WEBAUTHN_USAGE_NOT_ALLOWED,
      "A sign-in key is not a second factor here; add a security key.",
      { usage },
    );
  }
}

/**
 * Only a sign-in held back for enrolment may add a key, and only while the account cannot
 * reach AAL2: a factor enrolled, or a passkey that verifies its user, is what the second step
 * (or a passkey sign-in) must prove instead.
 */
async function refuseUnlessEnrolling(
  ctx: KeywardContext,
  pending: PendingSignIn,
  user: User,
): Promise<void> {
  // Any second factor enrolled makes the account reach AAL2 (factors/reach.ts).
  if (pending.data.enrol !== true || (await reachableAal(ctx, user)) > 1) {
    throw new KeywardError(
      ErrorCode.STATE_INVALID,
      "This sign-in is waiting for a second factor, not a new one.",
    );
  }
}

/** What the options ask of user verification (the register state records it). */
function userVerificationOf(
  options: PublicKeyCredentialCreationOptionsJSON,
): "required" | "preferred" | "discouraged" {
  return options.authenticatorSelection?.userVerification ?? "preferred";
}

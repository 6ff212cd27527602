import type { KeywardContext } from "../context.js";
import type { ActiveSession } from "../core/caller.js";
import type { Aal, User } from "../core/types.js";
import { factorsOf, loadEnrolment } from "./enrolment.js";

/**
 * The highest assurance level this account can reach with what it has enrolled: 2 once it
 * has a second factor the configuration accepts, or a `first` key that signs in at AAL2 on its
 * own (one that has verified its user, when `webauthn.allowAsMultiFactor` is on); otherwise 1.
 * A key that never verified its user (a security key without a PIN) does not count: it cannot
 * give its owner the AAL2 session that changing factors would then demand.
 *
 * SP 800-63B-4: binding or removing an authenticator needs a session at the highest AAL
 * currently available to the account, so a password alone can neither add the passkey that
 * would then sign in at AAL2 nor remove the factor that protects the account.
 */
export async function reachableAal(
  ctx: KeywardContext,
  user: Pick<User, "id" | "email" | "securityEpoch">,
): Promise<Aal> {
  const enrolment = await loadEnrolment(ctx, user);
  if (factorsOf(ctx, enrolment).length > 0) return 2;
  const { allowAsFirstFactor, allowAsMultiFactor } = ctx.config.webauthn;
  return enrolment.hasMultiFactorKey && allowAsFirstFactor && allowAsMultiFactor ? 2 : 1;
}

/**
 * The one rule for adding, removing or changing an authenticator or what controls recovery
 * (keys of both usages, second factors, recovery codes, email, password): a fresh session at
 * the highest assurance level the account can reach. Routes declare it (`access:
 * "factor-change"` in http/route.ts); nothing re-checks it by hand.
 *
 * A limited recovery session is the exception for the one thing it exists to do (register a
 * key): the recovery already demanded what the account's policy asks of a lost-key recovery
 * (the mailbox, and a recovery code when two-step is on; `lifecycle.recoveryRequiresRecoveryCode`).
 * `presenceProven`: the request itself carries a proof of presence that the feature checks
 * (the current password), standing in for freshness, never for the assurance level.
 */
export async function requireFactorChangeSession(
  ctx: KeywardContext,
  active: ActiveSession,
  options: { presenceProven?: boolean } = {},
): Promise<void> {
  const { session } = active;
  if (session.limited === null) {
    ctx.sessions.requireAal(
      session,
      await reachableAal(ctx, active.user),
      "To change how you sign in, sign in with your second factor or passkey first.",
    );
  }
  if (!options.presenceProven) ctx.sessions.requireFresh(session);
}

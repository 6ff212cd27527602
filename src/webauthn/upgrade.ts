import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import type { KeywardContext } from "../context.js";
import type { ActiveSession, ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { Credential, Session } from "../core/types.js";
import { isKeyUsageEnabled } from "../factors/methods.js";
import { startCeremony } from "../session/ceremony-state.js";
import { refusePastKeyLimit } from "./register.js";

/**
 * Automatic passkey upgrades (WebAuthn Level 3 conditional create): right after a password
 * sign-in, the browser script asks the password manager that filled the password for a
 * passkey, with `mediation: "conditional"`, so the user gets one without a prompt. The
 * browser may make it without user presence, so the server accepts UP=0 for exactly this:
 * a registration state started here, by a session that a password earned within
 * `webauthn.passkeyUpgradeWithin`, finished by that same session (register states are bound to
 * their session, and so to its user). Everything else about a registration holds: the route
 * is a factor change (a fresh session at the highest AAL the account can reach), the key is
 * a `first` key, excluded keys stay excluded, and the key limit applies. The key is flagged
 * `passkey-upgrade`; it reaches AAL2 on its own only once it has verified its user.
 */

/** The session was earned by a password just now, and upgrades are on: no store read needed. */
function upgradeWindowOpen(ctx: KeywardContext, session: Session): boolean {
  const { passkeyUpgrade, passkeyUpgradeWithin } = ctx.config.webauthn;
  return (
    passkeyUpgrade &&
    isKeyUsageEnabled(ctx, "first") &&
    session.limited === null &&
    session.earnedBy.first === "pwd" &&
    ctx.clock.now() - session.createdAt <= passkeyUpgradeWithin
  );
}

/**
 * Whether this session may start an automatic passkey upgrade now: the pages tell the browser
 * script to try one only then. Reads the user's keys only inside the window.
 */
export async function passkeyUpgradeOffered(
  ctx: KeywardContext,
  active: ActiveSession,
): Promise<boolean> {
  if (!upgradeWindowOpen(ctx, active.session)) return false;
  const keys = await ctx.store.credentials.listForUser(active.user.id);
  return (
    keys.length < ctx.config.webauthn.maxKeysPerUser &&
    ctx.webauthnUtil.offerPasskeyUpgrade(active.user, keys)
  );
}

/**
 * The upgrade's rule, held at both ends: when its state is issued and again when its key is
 * stored (in the transaction that stores it). A state outlives the window (registerWithin),
 * and several may be started before the first key lands; only a session still inside its
 * window, of an account the policy still offers an upgrade to, gets a key without user
 * presence.
 */
export function refuseClosedUpgrade(
  ctx: KeywardContext,
  active: ActiveSession,
  existing: readonly Credential[],
): void {
  if (
    !upgradeWindowOpen(ctx, active.session) ||
    !ctx.webauthnUtil.offerPasskeyUpgrade(active.user, existing)
  ) {
    throw new KeywardError(ErrorCode.PASSKEY_UPGRADE_UNAVAILABLE);
  }
}

/**
 * Step 1 of an upgrade: creation options for a conditional create, and a register state that
 * accepts UP=0. Step 2 is the ordinary finishRegistration (POST /wan-register-response).
 */
export async function startPasskeyUpgrade(
  ctx: KeywardContext,
  active: ActiveSession,
  client: ClientInfo,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; state: string }> {
  if (!upgradeWindowOpen(ctx, active.session)) {
    throw new KeywardError(ErrorCode.PASSKEY_UPGRADE_UNAVAILABLE);
  }
  const existing = await ctx.store.credentials.listForUser(active.user.id);
  refuseClosedUpgrade(ctx, active, existing);
  refusePastKeyLimit(ctx, existing);
  const options = await ctx.webauthnUtil.passkeyUpgradeOptions(active.user, existing);
  const state = await startCeremony(
    ctx,
    {
      kind: "register",
      userId: active.user.id,
      sessionId: active.session.id,
      challenge: options.challenge,
      usage: "first",
      name: null,
      data: {
        userVerification: options.authenticatorSelection?.userVerification ?? "preferred",
        upgrade: true,
      },
      ttlMs: ctx.config.webauthn.registerWithin,
    },
    { ip: client.ip, holder: active.user.id },
  );
  return { options, state };
}

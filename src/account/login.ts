import type { KeywardContext } from "../context.js";
import { isLocked } from "../core/account-lock.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { User } from "../core/types.js";
import { verifyPassword } from "../factors/password.js";
import { afterFirstFactor, commitSignin, type SignInOutcome } from "../factors/two-factor.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";
import { upgradePasswordHash } from "./password-upgrade.js";
import { recordingRefusals } from "./refusals.js";
import { reserveSignInAttempt } from "./signin-limits.js";

/** The user an email or username names, if any. */
export function findByIdentity(ctx: KeywardContext, identity: string): Promise<User | undefined> {
  return isEmail(identity)
    ? ctx.store.users.byEmail(normaliseEmail(identity))
    : ctx.store.users.byUsername(normaliseUsername(identity));
}

const invalid = () => new KeywardError(ErrorCode.INVALID_CREDENTIALS);

/**
 * Password sign-in. An unknown identity, an account without a password, a wrong password, a
 * disabled account and a locked one (whatever the password) all fail the same way after the
 * same hashing work, so the answer reveals neither the account nor whether its password is
 * right; the `user.login-failed` event (server-side) says which it was. The attempt is
 * reserved before the password is checked, and refunded only when the password is right and
 * the account open.
 */
export async function signInWithPassword(
  ctx: KeywardContext,
  input: { identity: string; password: string; remember?: boolean },
  caller: Caller,
): Promise<SignInOutcome> {
  const { client } = caller;
  return recordingRefusals(
    ctx,
    { method: "password", stage: "sign-in", client },
    async (attempt) => {
      const user = await findByIdentity(ctx, input.identity);
      attempt.userId = user?.id ?? null;
      const reservation = await reserveSignInAttempt(ctx, {
        kind: "password",
        userId: user?.id,
        identity: input.identity,
        ip: client.ip,
      });
      const ok = await verifyPassword(
        user?.passwordHash ?? null,
        input.password,
        ctx.config.secret,
      );
      const refusal = !user || !ok ? "invalid-credentials" : closedReason(ctx, user);
      if (!user || refusal !== undefined) {
        // The event says why; the answer is the same for every reason.
        attempt.reason = refusal;
        throw invalid();
      }
      await reservation.refund();
      await upgradePasswordHash(ctx, user, input.password, client);
      // The password was right, so saying why a sign-in is refused now is no leak
      // (lifecycle.confirmEmail).
      return signInWithRightPassword(ctx, user, caller, input.remember);
    },
  );
}

/** Why an account whose password was right may not sign in: disabled, or locked. */
function closedReason(ctx: KeywardContext, user: User): string | undefined {
  if (!user.active) return "account-inactive";
  if (isLocked(user, ctx.clock.now())) return "account-locked";
  return undefined;
}

/**
 * The user's password was right: the session it earns (commitSignin writes its `user.login`) or the
 * second factor still owed, written in one unit of work. /login and the sign-in after a
 * password reset both end here. `persistent` is the user's "remember me".
 */
export async function signInWithRightPassword(
  ctx: KeywardContext,
  user: User,
  caller: Caller,
  persistent = true,
): Promise<SignInOutcome> {
  const password = {
    amr: ["pwd" as const],
    uv: false,
    multiFactor: false,
    ref: "pwd" as const,
    persistent,
  };
  const step = await afterFirstFactor(ctx, user, password, caller);
  return ctx.transaction(async (tx) => {
    return commitSignin(ctx, tx, step, caller);
  });
}

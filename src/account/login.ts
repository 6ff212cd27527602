import type { KeywardContext } from "../context.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { User } from "../core/types.js";
import { verifyPassword } from "../factors/password.js";
import { afterFirstFactor, commitSignin, type SignInOutcome } from "../factors/two-factor.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";
import { upgradePasswordHash } from "./password-upgrade.js";
import { reserveSignInAttempt } from "./signin-limits.js";

/** The user an email or username names, if any. */
export function findByIdentity(ctx: KeywardContext, identity: string): Promise<User | undefined> {
  return isEmail(identity)
    ? ctx.store.users.byEmail(normaliseEmail(identity))
    : ctx.store.users.byUsername(normaliseUsername(identity));
}

const invalid = () => new KeywardError(ErrorCode.INVALID_CREDENTIALS);

/**
 * Password sign-in. An unknown identity, an account without a password, a wrong password and
 * a disabled account (whatever the password) all fail the same way after the same hashing
 * work, so the answer reveals neither the account nor whether its password is right. The
 * attempt is reserved before the password is checked, and refunded only when the password
 * is right and the account active.
 */
export async function signInWithPassword(
  ctx: KeywardContext,
  input: { identity: string; password: string; remember?: boolean },
  caller: Caller,
): Promise<SignInOutcome> {
  const { client } = caller;
  const user = await findByIdentity(ctx, input.identity);
  const attempt = await reserveSignInAttempt(ctx, {
    kind: "password",
    userId: user?.id,
    identity: input.identity,
    ip: client.ip,
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password, ctx.config.secret);
  if (!user || !ok || !user.active) {
    await ctx.record(
      "user.login-failed",
      {
        userId: user?.id ?? null,
        ip: client.ip,
      },
      { reason: ok && user && !user.active ? "account-inactive" : "invalid-credentials" },
    );
    throw invalid();
  }
  await attempt.refund();
  await upgradePasswordHash(ctx, user, input.password, client);
  try {
    return await signInWithRightPassword(ctx, user, caller, input.remember);
  } catch (error) {
    // The password was right, so saying why is no leak (lifecycle.confirmEmail).
    if (error instanceof KeywardError && error.code === ErrorCode.EMAIL_NOT_CONFIRMED) {
      await ctx.record(
        "user.login-failed",
        { userId: user.id, ip: client.ip },
        { reason: "email-not-confirmed" },
      );
    }
    throw error;
  }
}

/**
 * The user's password was right: the session it earns (with its `user.login` event) or the
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
    const outcome = await commitSignin(ctx, tx, step, caller);
    if (outcome.kind === "session") {
      await tx.record(
        "user.login",
        { userId: user.id, ip: caller.client.ip },
        { method: "password", aal: outcome.session.aal },
      );
    }
    return outcome;
  });
}

import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import type { User } from "../core/types.js";
import { verifyPassword } from "../factors/password.js";
import { completeFirstFactor, type SignInOutcome } from "../factors/two-factor.js";
import type { ClientInfo } from "../session/sessions.js";
import { isEmail, normaliseEmail, normaliseUsername } from "./identity.js";
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
  input: { identity: string; password: string },
  client: ClientInfo,
  replacingToken?: string,
): Promise<SignInOutcome> {
  const user = await findByIdentity(ctx, input.identity);
  const attempt = await reserveSignInAttempt(ctx, {
    kind: "password",
    userId: user?.id,
    identity: input.identity,
    ip: client.ip,
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || !user.active) {
    await ctx.events.record(
      ctx.store.events,
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
  let outcome: SignInOutcome;
  try {
    outcome = await completeFirstFactor(
      ctx,
      user,
      { amr: ["pwd"], uv: false, multiFactor: false, ref: "pwd" },
      client,
      replacingToken,
    );
  } catch (error) {
    // The password was right, so saying why is no leak (lifecycle.confirmEmail).
    if (error instanceof KeywardError && error.code === ErrorCode.EMAIL_NOT_CONFIRMED) {
      await ctx.events.record(
        ctx.store.events,
        "user.login-failed",
        { userId: user.id, ip: client.ip },
        { reason: "email-not-confirmed" },
      );
    }
    throw error;
  }
  if (outcome.kind === "session") {
    await ctx.events.record(
      ctx.store.events,
      "user.login",
      { userId: user.id, ip: client.ip },
      {
        method: "password",
        aal: outcome.session.aal,
      },
    );
  }
  return outcome;
}

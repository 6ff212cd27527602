import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { verifyPassword } from "../factors/password.js";
import { recordingRefusals } from "./refusals.js";
import { reserveSignInAttempt } from "./signin-limits.js";

/** Re-verifies the signed-in user's password: the session becomes fresh, nothing else changes. */
export async function reverifyWithPassword(
  ctx: KeywardContext,
  active: ActiveSession,
  password: string,
  { client }: Caller,
): Promise<void> {
  if (active.user.passwordHash === null) {
    throw new KeywardError(
      ErrorCode.PASSWORD_NOT_SET,
      "This account has no password; verify with a key.",
    );
  }
  // A session cookie is no licence to guess: the account's and the IP's budgets apply here too.
  await recordingRefusals(ctx, { method: "password", stage: "verify", client }, async (attempt) => {
    attempt.userId = active.user.id;
    const reservation = await reserveSignInAttempt(ctx, {
      kind: "password",
      userId: active.user.id,
      ip: client.ip,
    });
    if (!(await verifyPassword(active.user.passwordHash, password, ctx.config.secret))) {
      throw new KeywardError(ErrorCode.INVALID_CREDENTIALS, "The password is not right.");
    }
    await reservation.refund();
  });
  await ctx.transaction(async (tx) => {
    await ctx.sessions.markFresh(tx, active.session);
    await tx.record(
      "session.verified",
      { userId: active.user.id, ip: client.ip },
      { method: "password", reauthenticated: false, aal: active.session.aal },
    );
  });
}

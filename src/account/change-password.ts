import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashPassword, verifyPassword } from "../factors/password.js";
import { accountMail, sendAccountMail } from "./mails.js";
import { assertPasswordLength } from "./password-rules.js";
import { setPassword } from "./set-password.js";
import { reserveSignInAttempt } from "./signin-limits.js";

/**
 * POST /change-password {currentPassword?, newPassword}: the signed-in user sets a new
 * password (or a first one, for a passkey-only account). Its route declares what it takes
 * (http/routes/lifecycle.ts): a session at the account's highest AAL, fresh or proving
 * presence with the current password, which is checked here. The user's other sessions are
 * revoked, pending reset links die, and remembered devices and waiting sign-ins are voided (a
 * new security epoch: whoever knew the old password may hold them); the user is told by email.
 */
export async function changePassword(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { currentPassword?: string | undefined; newPassword: string },
  { client }: Caller,
): Promise<{ sessionsRevoked: number }> {
  const { user, session } = active;
  if (input.currentPassword !== undefined) {
    if (user.passwordHash === null) {
      throw new KeywardError(
        ErrorCode.PASSWORD_NOT_SET,
        "This account has no password yet; leave the current password out.",
      );
    }
    // A session cookie is no licence to guess: the account's and the IP's budgets apply here too.
    const attempt = await reserveSignInAttempt(ctx, {
      kind: "password",
      userId: user.id,
      ip: client.ip,
    });
    if (!(await verifyPassword(user.passwordHash, input.currentPassword, ctx.config.secret))) {
      throw new KeywardError(ErrorCode.INVALID_CREDENTIALS, "The current password is not right.");
    }
    await attempt.refund();
  }
  assertPasswordLength(ctx, input.newPassword);
  const passwordHash = await hashPassword(input.newPassword);
  const sessionsRevoked = await ctx.transaction(async (tx) => {
    await setPassword(tx, user.id, passwordHash);
    const revoked = await tx.sessions.deleteOthers(user.id, session.id);
    await tx.users.advanceSecurityEpoch(user.id);
    await tx.record(
      "account.password-changed",
      { userId: user.id, ip: client.ip },
      { firstPassword: user.passwordHash === null, sessionsRevoked: revoked },
    );
    return revoked;
  });
  ctx.background.run(() =>
    sendAccountMail(ctx, accountMail(ctx, "password-changed", user.email, { client })),
  );
  return { sessionsRevoked };
}

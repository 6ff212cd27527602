import type { KeywardContext } from "../context.js";
import { refuseLocked } from "../core/account-lock.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashPassword } from "../factors/password.js";
import type { SignInOutcome } from "../factors/two-factor.js";
import { signInWithRightPassword } from "./login.js";
import { acceptMailRequest } from "./mail-requests.js";
import { accountMail, sendAccountMail } from "./mails.js";
import { assertPasswordLength } from "./password-rules.js";
import { setPassword } from "./set-password.js";
import { mailLinkOrPointElsewhere } from "./token-links.js";
import { consumeAccountToken, peekAccountToken, tokenField } from "./tokens.js";
import { removedAnything, removeUnconfirmedHolder } from "./unconfirmed-holder.js";

/**
 * "I forgot my password", top to bottom:
 * 1. POST /reset-password {email}: answered alike for every address; an active account with a
 *    password is mailed a single-use link (an account without one is told to recover instead).
 * 2. POST /reset-password/complete {token, password}: the token is spent with the change;
 *    every session of the user is revoked, every remembered device and waiting sign-in voided
 *    (a new security epoch); on an account whose address was never confirmed, everything
 *    added before goes too (unconfirmed-holder.ts). Then the new password signs in like
 *    /login, so a user with two-factor still owes the second factor.
 */

export async function requestPasswordReset(
  ctx: KeywardContext,
  input: { email: string },
  { client }: Caller,
): Promise<void> {
  await acceptMailRequest(ctx, input.email, client, (user) =>
    mailLinkOrPointElsewhere(ctx, user, client, {
      purpose: "reset-password",
      suits: (account) => account.passwordHash !== null,
      // Keys only: a password set from a mailbox would skip the key; recovery is the way in.
      otherwise: { mail: "reset-without-password", path: "/recover-account" },
    }),
  );
}

export async function completePasswordReset(
  ctx: KeywardContext,
  input: { token: string; password: string },
  caller: Caller,
): Promise<SignInOutcome> {
  const { client } = caller;
  assertPasswordLength(ctx, input.password);
  const peeked = await peekAccountToken(ctx, input.token, "reset-password");
  const email = tokenField(peeked, "email");
  const before = await ctx.store.users.byId(peeked.userId);
  if (!before?.active) {
    throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  }
  // Refused before anything changes (the session at the end would be refused anyway).
  refuseLocked(before, ctx.clock.now());
  // Hash before opening the transaction: hashing is slow and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const removal = await ctx.transaction(async (tx) => {
    const token = await consumeAccountToken(ctx, tx, input.token, "reset-password");
    const user = await tx.users.byId(token.userId);
    // The link went to an address the account no longer has: it proves nothing now.
    if (!user || user.email !== email) {
      throw new KeywardError(
        ErrorCode.TOKEN_INVALID,
        "This link is for an address the account no longer has.",
      );
    }
    // The link reached the mailbox: that confirms the address, and whoever held the account
    // before it was confirmed proved nothing of the kind.
    const removal =
      user.emailConfirmedAt === null
        ? await removeUnconfirmedHolder(tx, user, "reset-password", client)
        : undefined;
    if (user.emailConfirmedAt === null) {
      await tx.users.confirmEmail(user.id, email, ctx.clock.now());
    }
    await setPassword(tx, user.id, passwordHash);
    const revoked = await tx.sessions.deleteForUser(user.id);
    await tx.users.advanceSecurityEpoch(user.id);
    await tx.record(
      "account.password-reset",
      { userId: user.id, ip: client.ip },
      { sessionsRevoked: revoked + (removal?.sessions ?? 0) },
    );
    return removal;
  });
  ctx.background.run(() =>
    sendAccountMail(ctx, accountMail(ctx, "password-reset", email, { client })),
  );
  if (removal && removedAnything(removal)) {
    ctx.background.run(() =>
      sendAccountMail(
        ctx,
        accountMail(ctx, "unconfirmed-holder-removed", email, { client, removal }),
      ),
    );
  }
  const user = await ctx.store.users.byId(peeked.userId);
  if (!user) throw new KeywardError(ErrorCode.TOKEN_INVALID);
  // Sign in with the new password: the same path as /login, second factor included.
  return signInWithRightPassword(ctx, user, caller);
}

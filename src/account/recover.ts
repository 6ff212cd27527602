import type { KeywardContext } from "../context.js";
import { refuseLocked } from "../core/account-lock.js";
import type { Caller } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { type PublicUser, type Session, toPublicUser, type User } from "../core/types.js";
import { limitAttempts } from "../factors/attempts.js";
import { spendRecoveryCode } from "../factors/recovery.js";
import { secondFactorMethods } from "../factors/two-factor.js";
import { acceptMailRequest } from "./mail-requests.js";
import { accountMail, sendAccountMail } from "./mails.js";
import { mailLinkOrPointElsewhere } from "./token-links.js";
import { consumeAccountToken, peekAccountToken, tokenField } from "./tokens.js";
import { removedAnything, removeUnconfirmedHolder } from "./unconfirmed-holder.js";

/**
 * "I lost my phone" for a passkey-only account, top to bottom:
 * 1. POST /recover-account {email}: answered alike for every address; an active account
 *    without a password is mailed a single-use link (one with a password is told to reset it).
 * 2. POST /recover-account/complete {token, recoveryCode?}: when the user has two-factor on
 *    and `lifecycle.recoveryRequiresRecoveryCode`, one of their recovery codes too. The token
 *    is spent and a limited session opens (amr `email`, limited "recovery", short-lived) that
 *    can only register a new key; the user then signs in with that key. Every recovery is an
 *    event and a notice to the user's address, and voids remembered devices and waiting
 *    sign-ins (a new security epoch). On an account whose address was never confirmed, no
 *    recovery code is asked (they are not the owner's) and everything added before goes,
 *    every session included (unconfirmed-holder.ts).
 */

export async function requestRecovery(
  ctx: KeywardContext,
  input: { email: string },
  { client }: Caller,
): Promise<void> {
  await acceptMailRequest(ctx, input.email, client, (user) =>
    mailLinkOrPointElsewhere(ctx, user, client, {
      purpose: "recover-account",
      suits: (account) => account.passwordHash === null,
      // A password account recovers through the password reset, which keeps its second factor.
      otherwise: { mail: "recover-with-password", path: "/reset-password" },
    }),
  );
}

/**
 * Policy: with two-factor on, a mailbox alone is one factor; a recovery code is the other.
 * Not on an account never confirmed: its codes came from whoever held it, not from the
 * mailbox's owner, and the recovery removes them anyway.
 */
export async function recoveryNeedsCode(ctx: KeywardContext, user: User): Promise<boolean> {
  return (
    ctx.config.lifecycle.recoveryRequiresRecoveryCode &&
    user.emailConfirmedAt !== null &&
    (await secondFactorMethods(ctx, user)).length > 0
  );
}

/**
 * What the landing page of a recovery link asks: whether completing it takes a recovery code
 * too. TOKEN_INVALID / TOKEN_EXPIRED for a link that cannot be used.
 */
export async function recoveryLinkNeedsCode(ctx: KeywardContext, token: string): Promise<boolean> {
  const found = await peekAccountToken(ctx, token, "recover-account");
  const user = await ctx.store.users.byId(found.userId);
  return user !== undefined && (await recoveryNeedsCode(ctx, user));
}

export async function completeRecovery(
  ctx: KeywardContext,
  input: { token: string; recoveryCode?: string | undefined },
  caller: Caller,
): Promise<{ token: string; session: Session; user: PublicUser }> {
  const { client } = caller;
  const peeked = await peekAccountToken(ctx, input.token, "recover-account");
  const email = tokenField(peeked, "email");
  const user = await ctx.store.users.byId(peeked.userId);
  if (!user?.active) {
    throw new KeywardError(ErrorCode.ACCOUNT_INACTIVE);
  }
  // Refused before anything changes (the session at the end would be refused anyway).
  refuseLocked(user, ctx.clock.now());
  // The code is checked before the token is spent, so a typo does not cost the link.
  const needsCode = await recoveryNeedsCode(ctx, user);
  if (needsCode) {
    if (input.recoveryCode === undefined) {
      throw new KeywardError(ErrorCode.RECOVERY_CODE_REQUIRED);
    }
    await limitAttempts(ctx, "attempt", { userId: user.id, ip: client.ip });
    const remaining = await spendRecoveryCode(ctx, user.id, input.recoveryCode);
    await ctx.record(
      "two-factor.recovery-code-used",
      { userId: user.id, ip: client.ip },
      { remaining },
    );
  }
  const { issued, removal } = await ctx.transaction(async (tx) => {
    const token = await consumeAccountToken(ctx, tx, input.token, "recover-account");
    const current = await tx.users.byId(token.userId);
    // The link went to an address the account no longer has: it proves nothing now.
    if (!current || current.email !== email) {
      throw new KeywardError(
        ErrorCode.TOKEN_INVALID,
        "This link is for an address the account no longer has.",
      );
    }
    const removal =
      current.emailConfirmedAt === null
        ? await removeUnconfirmedHolder(tx, current, "recover-account", client)
        : undefined;
    if (current.emailConfirmedAt === null) {
      await tx.users.confirmEmail(current.id, email, ctx.clock.now());
    }
    await tx.accountTokens.deleteForUser(current.id, "recover-account");
    await tx.users.advanceSecurityEpoch(current.id);
    const issued = await ctx.sessions.issueLimited(tx, current, "recovery", caller);
    await tx.record(
      "account.recovered",
      { userId: current.id, ip: client.ip },
      { recoveryCodeUsed: needsCode, limited: "recovery" },
    );
    return { issued, removal };
  });
  ctx.background.run(() =>
    sendAccountMail(ctx, accountMail(ctx, "account-recovered", email, { client })),
  );
  if (removal && removedAnything(removal)) {
    ctx.background.run(() =>
      sendAccountMail(
        ctx,
        accountMail(ctx, "unconfirmed-holder-removed", email, { client, removal }),
      ),
    );
  }
  const after = (await ctx.store.users.byId(user.id)) ?? user;
  return { ...issued, user: toPublicUser(after) };
}

import type { KeywardContext } from "../context.js";
import type { ActiveSession, Caller } from "../core/caller.js";
import { ErrorCode, KeywardError, UniqueViolationError } from "../core/errors.js";
import { type PublicUser, toPublicUser } from "../core/types.js";
import { normaliseEmail } from "./identity.js";
import { limitAccountMails } from "./mail-requests.js";
import { accountMail, sendAccountMail } from "./mails.js";
import { mailTokenLink } from "./token-links.js";
import { consumeAccountToken, peekAccountToken, tokenField } from "./tokens.js";

/**
 * Changing the account's email, top to bottom:
 * 1. POST /change-email {newEmail} (fresh session): the new address is mailed a single-use
 *    link and the old one a notice. Whether the new address has an account is not revealed
 *    to the requester: that address is told instead, and nothing changes.
 * 2. POST /change-email/complete {token}, signed in as the same user: the address changes
 *    (confirmed), every other link sent to the old address dies, the old address is told.
 */
export async function requestEmailChange(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { newEmail: string },
  { client }: Caller,
): Promise<void> {
  const { user } = active;
  const to = normaliseEmail(input.newEmail);
  if (to === user.email) {
    throw new KeywardError(ErrorCode.INVALID_INPUT, "newEmail: that is already your address", {
      field: "newEmail",
    });
  }
  await limitAccountMails(ctx, to, client.ip);
  await ctx.record("account.email-change-requested", { userId: user.id, ip: client.ip }, { to });
  // Looked up after the response, so the answer is the same whether `to` is taken or not.
  ctx.background.run(async () => {
    await sendAccountMail(
      ctx,
      accountMail(ctx, "email-change-requested", user.email, { email: to, client }),
    );
    if (await ctx.store.users.byEmail(to)) {
      await sendAccountMail(ctx, accountMail(ctx, "email-taken", to, { locale: client.locale }));
      return;
    }
    await mailTokenLink(ctx, {
      user,
      purpose: "change-email",
      client,
      to,
      data: { from: user.email, to },
      mention: { email: user.email },
    });
  });
}

export async function completeEmailChange(
  ctx: KeywardContext,
  active: ActiveSession,
  input: { token: string },
  { client }: Caller,
): Promise<PublicUser> {
  const peeked = await peekAccountToken(ctx, input.token, "change-email");
  // Another user's link is refused before it is spent: it stays usable by its owner.
  if (peeked.userId !== active.user.id) {
    throw new KeywardError(
      ErrorCode.TOKEN_INVALID,
      "This link belongs to another account; sign in as that account to use it.",
    );
  }
  const from = tokenField(peeked, "from");
  const to = tokenField(peeked, "to");
  try {
    await ctx.transaction(async (tx) => {
      await consumeAccountToken(ctx, tx, input.token, "change-email");
      if (!(await tx.users.changeEmail(active.user.id, from, to, ctx.clock.now()))) {
        throw new KeywardError(
          ErrorCode.TOKEN_INVALID,
          "The account's address changed since this link was sent; ask for a new one.",
        );
      }
      // Links mailed to the old address (confirm, reset, recover, other changes) die with it.
      await tx.accountTokens.deleteForUser(active.user.id);
      await tx.record(
        "account.email-changed",
        { userId: active.user.id, ip: client.ip },
        { from, to },
      );
    });
  } catch (error) {
    if (error instanceof UniqueViolationError) {
      throw new KeywardError(ErrorCode.EMAIL_TAKEN);
    }
    throw error;
  }
  ctx.background.run(() =>
    sendAccountMail(ctx, accountMail(ctx, "email-changed", from, { email: to, client })),
  );
  const user = await ctx.store.users.byId(active.user.id);
  if (!user) throw new KeywardError(ErrorCode.UNAUTHENTICATED);
  return toPublicUser(user);
}

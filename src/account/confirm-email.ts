import type { KeywardContext } from "../context.js";
import type { Caller, ClientInfo } from "../core/caller.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { type PublicUser, toPublicUser, type User } from "../core/types.js";
import { acceptMailRequest } from "./mail-requests.js";
import { mailTokenLink } from "./token-links.js";
import { consumeAccountToken, peekAccountToken, tokenField } from "./tokens.js";

/**
 * Email confirmation, top to bottom: at sign-up (unless `lifecycle.confirmEmail` is "off")
 * and on request, a link is mailed to the address; opening it marks the address confirmed,
 * only if the account still has that address. Whether an unconfirmed account may sign in is
 * the policy in Sessions.requireConfirmedEmail.
 */

/** Stores a confirmation token for the user's current address and mails the link. */
export async function sendEmailConfirmation(
  ctx: KeywardContext,
  user: User,
  client: ClientInfo,
): Promise<void> {
  await mailTokenLink(ctx, { user, purpose: "confirm-email", client });
}

/** POST /confirm-email/resend: a new link, if the address has an unconfirmed, active account. */
export async function resendEmailConfirmation(
  ctx: KeywardContext,
  input: { email: string },
  { client }: Caller,
): Promise<void> {
  await acceptMailRequest(ctx, input.email, client, async (user) => {
    if (!user?.active || user.emailConfirmedAt !== null) return;
    await sendEmailConfirmation(ctx, user, client);
  });
}

/** POST /confirm-email: spends the token and marks the address it was sent to confirmed. */
export async function confirmEmail(
  ctx: KeywardContext,
  input: { token: string },
  { client }: Caller,
): Promise<PublicUser> {
  const peeked = await peekAccountToken(ctx, input.token, "confirm-email");
  const email = tokenField(peeked, "email");
  await ctx.transaction(async (tx) => {
    const token = await consumeAccountToken(ctx, tx, input.token, "confirm-email");
    // A link sent to an address the account no longer has confirms nothing.
    if (!(await tx.users.confirmEmail(token.userId, email, ctx.clock.now()))) {
      throw new KeywardError(
        ErrorCode.TOKEN_INVALID,
        "This link is for an address the account no longer has.",
      );
    }
    // Other links sent for this address have done their job.
    await tx.accountTokens.deleteForUser(token.userId, "confirm-email");
    await tx.record("account.email-confirmed", { userId: token.userId, ip: client.ip }, { email });
  });
  const user = await ctx.store.users.byId(peeked.userId);
  if (!user) throw new KeywardError(ErrorCode.TOKEN_INVALID);
  return toPublicUser(user);
}

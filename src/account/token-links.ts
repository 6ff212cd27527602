import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { AccountTokenPurpose, User } from "../core/types.js";
import { type AccountMailKind, accountMail, linkTo, sendAccountMail } from "./mails.js";
import { issueAccountToken, tokenLifetime } from "./tokens.js";

export interface TokenLink {
  user: User;
  purpose: AccountTokenPurpose;
  /** Who asked (recorded on the event). */
  client: ClientInfo;
  /** Where the mail goes (default: the user's address). */
  to?: string;
  /** Stored with the token (default: the user's current address). */
  data?: Record<string, unknown>;
  /** Extra facts for the mail text: the requesting device, the other address. */
  mention?: { client?: ClientInfo; email?: string };
}

/**
 * Mails a single-use link for `purpose` (confirm, reset, recover, change email): stores the
 * token's hash, records that a link was sent, and sends `{baseUrl}/{purpose}?token=…`.
 */
export async function mailTokenLink(ctx: KeywardContext, link: TokenLink): Promise<void> {
  const { user, purpose } = link;
  // Not one unit of work with the event: a transaction would make this background work, which
  // runs only for known addresses, measurably slower (enumeration timing, invariant 8).
  const { token } = await issueAccountToken(ctx, ctx.store, {
    userId: user.id,
    purpose,
    data: link.data ?? { email: user.email },
  });
  await ctx.record("account.token-sent", { userId: user.id, ip: link.client.ip }, { purpose });
  await sendAccountMail(
    ctx,
    accountMail(ctx, purpose, link.to ?? user.email, {
      link: linkTo(ctx, `/${purpose}`, token),
      ttlMs: tokenLifetime(ctx, purpose),
      locale: link.client.locale,
      ...link.mention,
    }),
  );
}

export interface LinkFlow {
  purpose: AccountTokenPurpose;
  /** Whether this flow is the way in for the account (e.g. reset: it has a password). */
  suits(user: User): boolean;
  /** What an active account it does not suit is mailed instead: a pointer to its flow. */
  otherwise: { mail: AccountMailKind; path: string };
}

/**
 * The background half of a "mail me a link" request (see acceptMailRequest): an active account
 * the flow suits gets its link; another active account is pointed to the flow that suits it;
 * an unknown or disabled one gets nothing.
 */
export async function mailLinkOrPointElsewhere(
  ctx: KeywardContext,
  user: User | undefined,
  client: ClientInfo,
  flow: LinkFlow,
): Promise<void> {
  if (!user?.active) return;
  if (!flow.suits(user)) {
    const pointer = { link: linkTo(ctx, flow.otherwise.path), locale: client.locale };
    await sendAccountMail(ctx, accountMail(ctx, flow.otherwise.mail, user.email, pointer));
    return;
  }
  await mailTokenLink(ctx, { user, purpose: flow.purpose, client, mention: { client } });
}

import type { KeywardContext } from "../context.js";
import { ErrorCode, KeywardError } from "../core/errors.js";
import { hashToken, randomToken } from "../core/ids.js";
import type { AccountToken, AccountTokenPurpose } from "../core/types.js";
import type { Repositories } from "../store/store.js";

/**
 * Emailed account tokens: 32 random bytes in the link, only their SHA-256 in the store; each
 * is bound to one purpose and one user, expires, and is spent by exactly one request.
 */

// A well-formed token is 32 random bytes in base64url; anything else is not worth a lookup.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const invalid = () => new KeywardError(ErrorCode.TOKEN_INVALID);

/** Lifetime of a token of each purpose (config `lifecycle.*Within`). */
export function tokenLifetime(
  ctx: Pick<KeywardContext, "config">,
  purpose: AccountTokenPurpose,
): number {
  const { lifecycle } = ctx.config;
  switch (purpose) {
    case "confirm-email":
      return lifecycle.confirmWithin;
    case "reset-password":
      return lifecycle.resetWithin;
    case "recover-account":
      return lifecycle.recoveryWithin;
    case "change-email":
      return lifecycle.changeEmailWithin;
  }
}

/** Stores a new token for `userId` and returns it in the clear, for the link only. */
export async function issueAccountToken(
  ctx: Pick<KeywardContext, "config" | "clock">,
  store: Repositories,
  input: { userId: string; purpose: AccountTokenPurpose; data: Record<string, unknown> },
): Promise<{ token: string; expiresAt: number }> {
  const token = randomToken(32);
  const expiresAt = ctx.clock.now() + tokenLifetime(ctx, input.purpose);
  await store.accountTokens.create({
    idHash: hashToken(token),
    userId: input.userId,
    purpose: input.purpose,
    data: input.data,
    expiresAt,
  });
  return { token, expiresAt };
}

/**
 * The unused token of `purpose`, without spending it, so the caller can check whose it is
 * before anything changes. Unknown, used or of another purpose → TOKEN_INVALID; past its
 * lifetime → TOKEN_EXPIRED.
 */
export async function peekAccountToken(
  ctx: KeywardContext,
  token: string,
  purpose: AccountTokenPurpose,
): Promise<AccountToken> {
  if (!TOKEN_PATTERN.test(token)) throw invalid();
  const found = await ctx.store.accountTokens.find(hashToken(token), purpose);
  if (!found) throw invalid();
  if (found.expiresAt <= ctx.clock.now()) {
    throw new KeywardError(ErrorCode.TOKEN_EXPIRED);
  }
  return found;
}

/**
 * Spends the token, in one statement, on `store` (the transaction that makes its change, so
 * a failed change leaves it usable). Of two racing requests one wins; the other gets
 * TOKEN_INVALID.
 */
export async function consumeAccountToken(
  ctx: KeywardContext,
  store: Repositories,
  token: string,
  purpose: AccountTokenPurpose,
): Promise<AccountToken> {
  const spent = await store.accountTokens.consume(hashToken(token), purpose, ctx.clock.now());
  if (!spent) throw invalid();
  return spent;
}

/** The string a token carries in `data`, or TOKEN_INVALID when it is missing. */
export function tokenField(token: AccountToken, field: string): string {
  const value = token.data[field];
  if (typeof value !== "string") throw invalid();
  return value;
}

import type { Repositories } from "../store/store.js";

/**
 * The one way a password is set or removed (by its owner, a reset link, an administrator, or
 * the removal of an unconfirmed holder): the hash, and with it every password reset and
 * account recovery link mailed before. Such a link was issued for the account as it stood;
 * once someone has chosen the password since, it would let whoever holds the old mail
 * replace theirs.
 */
export async function setPassword(
  tx: Repositories,
  userId: string,
  passwordHash: string | null,
): Promise<void> {
  await tx.users.setPasswordHash(userId, passwordHash);
  await tx.accountTokens.deleteForUser(userId, "reset-password");
  await tx.accountTokens.deleteForUser(userId, "recover-account");
}

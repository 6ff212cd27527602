import type { KeywardContext } from "../context.js";
import type { ClientInfo } from "../core/caller.js";
import type { User } from "../core/types.js";
import { passwordScheme } from "../factors/imported-passwords.js";
import { hashPassword, isCurrentPasswordHash } from "../factors/password.js";

/**
 * After a right password: a hash that is not Keyward's current argon2id (one brought in by
 * `keyward import`, or older parameters) is replaced by one, so the imported scheme is used
 * once per user. The write is conditional on the hash still being the one checked, so a
 * password changed meanwhile is never overwritten with the old one.
 */
export async function upgradePasswordHash(
  ctx: KeywardContext,
  user: User,
  password: string,
  client: ClientInfo,
): Promise<void> {
  const stored = user.passwordHash;
  if (stored === null || isCurrentPasswordHash(stored)) return;
  const upgraded = await hashPassword(password);
  await ctx.transaction(async (tx) => {
    if (!(await tx.users.replacePasswordHash(user.id, stored, upgraded))) return;
    await tx.record(
      "account.password-rehashed",
      { userId: user.id, ip: client.ip },
      { from: passwordScheme(stored) ?? "unknown" },
    );
  });
}

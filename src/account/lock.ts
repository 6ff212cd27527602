import type { KeywardContext } from "../context.js";
import { isLocked } from "../core/account-lock.js";
import type { LockDecision } from "../core/policy.js";
import type { AccountLock, User } from "../core/types.js";

/** What locking needs: the admin operations' context is enough (the CLI locks too). */
type LockContext = Pick<KeywardContext, "store" | "clock" | "transaction">;

/**
 * Locks `user`'s account: every sign-in is refused (core/account-lock.ts) until `unlockAccount`
 * or `until`. Its sessions stay: a lock stops new sign-ins, and a lock an attacker's failures
 * set must not sign the owner out too (deactivating the account ends them).
 */
export async function lockAccount(
  ctx: LockContext,
  user: User,
  lock: { by: string; reason: string; until: number | null },
  ip: string | null = null,
): Promise<AccountLock> {
  const locked: AccountLock = { reason: lock.reason, at: ctx.clock.now(), until: lock.until };
  await ctx.transaction(async (tx) => {
    await tx.users.setLock(user.id, locked);
    await tx.record(
      "account.locked",
      { userId: user.id, ip },
      {
        by: lock.by,
        reason: lock.reason,
        until: lock.until === null ? null : new Date(lock.until).toISOString(),
      },
    );
  });
  return locked;
}

/** Lifts the account's lock (whether or not it still held). */
export async function unlockAccount(ctx: LockContext, user: User, by: string): Promise<void> {
  await ctx.transaction(async (tx) => {
    await tx.users.setLock(user.id, null);
    await tx.record("account.unlocked", { userId: user.id, ip: null }, { by });
  });
}

/** What `policy.onSignInFailed` answered, as a lock to set (undefined: none). */
export function lockOf(
  decision: LockDecision | undefined,
): { reason: string; until: number | null } | undefined {
  if (decision === undefined) return undefined;
  if (decision === "lock") return { reason: "failed sign-ins", until: null };
  const { reason, until } = decision.lock;
  return {
    reason: reason ?? "failed sign-ins",
    until: until === undefined ? null : until instanceof Date ? until.getTime() : until,
  };
}

/** Locks the account a refused attempt was for, if the policy says so and it is not locked. */
export async function applyLockDecision(
  ctx: KeywardContext,
  userId: string | null,
  decision: LockDecision | undefined,
  ip: string | null,
): Promise<void> {
  const lock = lockOf(decision);
  if (!lock || userId === null) return;
  const user = await ctx.store.users.byId(userId);
  // An account locked already keeps its lock (and its time): failures never extend it.
  if (!user || isLocked(user, ctx.clock.now())) return;
  await lockAccount(ctx, user, { by: "policy", ...lock }, ip);
}
